package org.miniisolate.cli.commands;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"List the boxes of this installation: condition, owner, cgroup mode, creation, last run.",
            "ready: initialized and usable; busy: a command holds it now; stale: its state and its directory "
                    + "disagree (a crashed init or run, a directory removed by hand) — `cleanup` clears it.",
            "Reads the per-box state files and takes no lock, so it never disturbs a running box."},
        footer = {"", "Examples:", "  mini-isolate list", "  mini-isolate list --json"})
final class ListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "One JSON array of boxes on stdout.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Installation inst = Installation.open(Subcommands.environment(), spec.commandLine().getErr())) {
            List<BoxInventory.Entry> boxes = BoxInventory.all(inst.sandbox());
            if (json) {
                out.println(Json.write(boxes));
            } else if (boxes.isEmpty()) {
                out.println("no boxes under " + inst.sandbox().config().boxRoot());
            } else {
                out.print(table(boxes));
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    static String table(List<BoxInventory.Entry> boxes) {
        StringBuilder b = new StringBuilder();
        String fmt = "%-5s %-6s %-10s %-7s %-20s %s%n";
        b.append(String.format(Locale.ROOT, fmt, "BOX", "STATE", "OWNER", "CGROUPS", "CREATED", "LAST RUN"));
        for (BoxInventory.Entry e : boxes) {
            b.append(String.format(Locale.ROOT, fmt, e.box(), e.condition(), owner(e),
                    e.cgroups() == null ? "-" : e.cgroups() ? "yes" : "no",
                    e.createdAt() == null ? "-" : e.createdAt().replaceFirst("\\.\\d+Z$", "Z"),
                    e.problem() != null ? "(" + e.problem() + ")" : e.lastRun() == null || e.lastRun().isEmpty() ? "-" : e.lastRun()));
        }
        return b.toString();
    }

    static String owner(BoxInventory.Entry e) {
        if (e.ownerUid() == null) {
            return "-";
        }
        return e.owner() != null ? e.owner() : Integer.toString(e.ownerUid());
    }
}
