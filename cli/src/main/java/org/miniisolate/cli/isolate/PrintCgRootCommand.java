package org.miniisolate.cli.isolate;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import org.miniisolate.cgroup.CgroupLayout;
import org.miniisolate.cgroup.Controller;
import org.miniisolate.cgroup.Cgroups;
import org.miniisolate.cgroup.Home;

/**
 * {@code --print-cg-root}: the directories box cgroups are created in, one per line (v2 first). isolate has one
 * root; mini-isolate has one per hierarchy it uses, since a machine may keep memory in v1 and kill in v2.
 */
final class PrintCgRootCommand {

    private PrintCgRootCommand() {
    }

    /** Prints the roots, or (exit 2) why there are none. */
    static int run(Cgroups cgroups, PrintStream out, RunReport report) throws IOException {
        List<Path> roots = cgroups.roots();
        if (roots.isEmpty()) {
            return report.internalError(noRoots(cgroups.layout()));
        }
        for (Path p : roots) {
            out.println(p);
        }
        return IsolateExit.OK;
    }

    /** The reason discovery gave for the memory controller (the one judges need most), with its fix. */
    static String noRoots(CgroupLayout layout) {
        for (Controller c : Controller.values()) {
            if (layout.home(c) instanceof Home.Missing m) {
                return "No usable cgroup hierarchy: " + m.reason() + ". Fix: " + m.fix();
            }
        }
        return "No usable cgroup hierarchy";
    }
}
