package org.miniisolate.cli.isolate;

import java.io.PrintStream;

import org.miniisolate.Box;
import org.miniisolate.InitOptions;
import org.miniisolate.fs.Quota;

/** {@code --init}: creates or resets the box, in cgroup mode with {@code --cg}, with a disk quota with {@code -q}. */
final class InitCommand {

    private InitCommand() {
    }

    /**
     * Initializes {@code box} and prints its directory, as isolate does.
     *
     * @param ownerUid who will own the box (the caller, or {@code --as-uid})
     * @param strict   refuse rather than go without a quota that cannot be had ({@link StrictMode})
     * @throws org.miniisolate.SandboxException if the box cannot be initialized or belongs to someone else
     */
    static int run(Box box, IsolateOptions o, int ownerUid, boolean strict, PrintStream out) {
        BoxCompatibility.checkInit(box, o.cg(), ownerUid);
        out.println(box.init(new InitOptions(o.cg(), quota(o), strict)));
        return IsolateExit.OK;
    }

    /** {@code -q BLOCKS,INODES}; as in isolate, 0 blocks means no quota. */
    static Quota quota(IsolateOptions o) {
        IsolateOptions.Quota q = o.quota();
        return q == null ? Quota.NONE : new Quota(q.blocks(), q.inodes());
    }
}
