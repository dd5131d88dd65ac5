package org.miniisolate.cli.isolate;

import java.io.PrintStream;

import org.miniisolate.Box;

/** {@code --cleanup}: removes the box; a box that does not exist is already clean, as in isolate. */
final class CleanupCommand {

    private CleanupCommand() {
    }

    /**
     * Removes {@code box}, saying what happened with {@code -v}.
     *
     * @throws org.miniisolate.SandboxException if the box is in the other cgroup mode, belongs to another user or
     *                                          cannot be removed
     */
    static int run(Box box, boolean cg, boolean verbose, PrintStream err) {
        BoxCompatibility.checkCleanup(box, cg);
        boolean existed = box.cleanup();
        if (verbose) {
            err.println(existed ? "Box " + box.id() + " removed"
                    : "Box " + box.id() + " does not exist: nothing to clean up");
        }
        return IsolateExit.OK;
    }
}
