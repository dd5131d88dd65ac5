package org.miniisolate.cli.commands;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Show box N: condition, directory, owner, cgroup mode, quota, creation and last run.",
            "Exit code: 0 ready, 1 busy, stale or absent, 3 error."},
        footer = {"", "Example:", "  mini-isolate status --box-id 3 --json"})
final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    BoxOptions box;

    @Option(names = "--json", description = "One JSON object on stdout.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Installation inst = Installation.open(Subcommands.environment(), spec.commandLine().getErr())) {
            inst.sandbox().box(box.boxId); // range check
            BoxInventory.Entry e = BoxInventory.one(inst.sandbox(), box.boxId);
            out.print(json ? Json.write(e) + System.lineSeparator() : text(e));
            out.flush();
            return e.ready() ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }

    static String text(BoxInventory.Entry e) {
        StringBuilder b = new StringBuilder();
        b.append("box ").append(e.box()).append(": ").append(e.condition());
        if (e.problem() != null) {
            b.append(" (").append(e.problem()).append(')');
        }
        b.append(System.lineSeparator());
        String fmt = "  %-10s %s%n";
        b.append(String.format(Locale.ROOT, fmt, "directory", e.directory() + (e.directoryExists() ? "" : " (no box/ there)")));
        if (e.lockHolderPid() != null) {
            b.append(String.format(Locale.ROOT, fmt, "held by", "pid " + e.lockHolderPid()));
        }
        if (e.ownerUid() != null) {
            b.append(String.format(Locale.ROOT, fmt, "owner", ListCommand.owner(e) + " (uid " + e.ownerUid() + ")"));
            b.append(String.format(Locale.ROOT, fmt, "cgroups", e.cgroups() ? "yes" : "no"));
            b.append(String.format(Locale.ROOT, fmt, "quota", e.quota().isEmpty() ? "none" : e.quota() + " (blocks,inodes)"));
            b.append(String.format(Locale.ROOT, fmt, "created", e.createdAt()));
            b.append(String.format(Locale.ROOT, fmt, "last run", e.lastRun().isEmpty() ? "-" : e.lastRun()));
        }
        return b.toString();
    }
}
