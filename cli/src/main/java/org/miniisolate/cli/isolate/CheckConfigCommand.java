package org.miniisolate.cli.isolate;

import java.io.PrintStream;
import java.nio.file.Files;
import java.util.Map;
import java.util.TreeMap;

import org.miniisolate.SandboxConfig;
import org.miniisolate.config.ConfigValues;
import org.miniisolate.seccomp.SyscallFlags;

/**
 * {@code --check-config}: the configuration was read and found valid (errors are reported before this runs, with
 * the line, exit 2); with {@code -vv} the settings in effect are printed on stdout, in the file's own syntax, so
 * the output can be saved as a complete configuration file.
 */
final class CheckConfigCommand {

    private CheckConfigCommand() {
    }

    static int run(Installation installation, int verbose, PrintStream out) {
        if (verbose > 1) {
            out.print(dump(installation));
        }
        return IsolateExit.OK;
    }

    /** Every setting in effect, defaults included, as {@code key = value} lines after a comment naming the file. */
    static String dump(Installation installation) {
        SandboxConfig c = installation.config();
        ConfigValues v = installation.values();
        StringBuilder b = new StringBuilder();
        b.append("# ").append(installation.configFile())
                .append(Files.exists(installation.configFile()) ? "" : " does not exist")
                .append("; keys it does not set have their defaults\n");
        line(b, "box_root", c.boxRoot());
        line(b, "lock_root", c.lockRoot());
        line(b, "cg_root", c.cgroups().name());
        line(b, "first_uid", c.firstUid());
        line(b, "first_gid", c.firstGid());
        line(b, "num_boxes", c.numBoxes());
        line(b, "restricted_init", c.restrictedInit() ? 1 : 0);
        line(b, "syscall_flags", v.syscallFlags().orElse(SyscallFlags.ALL));
        // Sorted by box id, cpus before mems: the same input always prints the same way.
        Map<Integer, String[]> perBox = new TreeMap<>();
        v.boxCpus().forEach((id, cpus) -> perBox.computeIfAbsent(id, k -> new String[2])[0] = cpus);
        v.boxMems().forEach((id, mems) -> perBox.computeIfAbsent(id, k -> new String[2])[1] = mems);
        perBox.forEach((id, cpusMems) -> {
            if (cpusMems[0] != null) {
                line(b, "box" + id + ".cpus", cpusMems[0]);
            }
            if (cpusMems[1] != null) {
                line(b, "box" + id + ".mems", cpusMems[1]);
            }
        });
        return b.toString();
    }

    private static void line(StringBuilder b, String key, Object value) {
        b.append(key).append(" = ").append(value).append('\n');
    }
}
