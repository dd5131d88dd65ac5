package org.miniisolate.cli.commands;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import org.miniisolate.Sandbox;
import org.miniisolate.cgroup.Controller;
import org.miniisolate.cgroup.Home;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Check this machine for sandboxing and fair judging, and list the languages of execute that work here.",
            "cgroups: where each controller lives, and how to enable a missing one. protections: root, namespaces, "
                    + "the system call filter, quotas. fairness: swap, SMT, CPU governor, turbo, transparent huge pages, "
                    + "ASLR, core_pattern, protected hard links — each failure with the command that fixes it.",
            "Only reads: it never changes a setting. Exit code: 0 when nothing failed, 1 otherwise, 3 error."},
        footer = {"", "Examples:", "  mini-isolate check", "  mini-isolate check --json"})
final class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "One JSON document on stdout.")
    boolean json;

    /**
     * The JSON of {@code check}.
     *
     * @param passed no item failed
     * @param items  every item, in order
     */
    @JsonPropertyOrder({"passed", "items"})
    record Report(boolean passed, List<MachineCheck.Item> items) {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<MachineCheck.Item> items = new ArrayList<>();
        MachineCheck machine = new MachineCheck(Path.of("/"));
        boolean memoryController = false;
        boolean root = isRoot();
        // Without root the sandbox opens in rootless mode; what it lacks is in the items, not a failure.
        try (Installation inst = Installation.open(Subcommands.environment(), spec.commandLine().getErr())) {
            Sandbox s = inst.sandbox();
            items.addAll(MachineCheck.cgroups(s.cgroups().layout()));
            memoryController = s.cgroups().layout().home(Controller.MEMORY) instanceof Home.Usable;
            items.addAll(machine.protections(root, s.seccompSupport()));
        } catch (RuntimeException e) {
            items.add(new MachineCheck.Item("protections", "sandbox", MachineCheck.Status.FAIL,
                    "cannot open the sandbox: " + e.getMessage(), root ? null : "run as root"));
        }
        items.addAll(machine.fairness());
        items.addAll(languages(memoryController));
        boolean passed = items.stream().noneMatch(i -> i.status() == MachineCheck.Status.FAIL);
        if (json) {
            out.println(Json.write(new Report(passed, items)));
        } else {
            out.print(text(items));
            out.println(passed ? "all checks passed" : items.stream().filter(i -> i.status() == MachineCheck.Status.FAIL).count()
                    + " check(s) failed");
        }
        out.flush();
        return passed ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /** One line per language: works here or why not (never a failure of the machine). */
    static List<MachineCheck.Item> languages(boolean memoryController) {
        List<MachineCheck.Item> out = new ArrayList<>();
        for (LanguageProfile p : LanguageProfiles.shipped()) {
            Toolchain tc = Toolchain.resolve(p, ExecuteCommand.hostProperties());
            if (!tc.available()) {
                out.add(new MachineCheck.Item("languages", p.id(), MachineCheck.Status.NA, p.name() + ": " + tc.unavailable(), null));
            } else if (p.cgroupMemory() && !memoryController) {
                out.add(new MachineCheck.Item("languages", p.id(), MachineCheck.Status.WARN, p.name()
                        + ": installed, but --max-memory needs the cgroup memory controller", "see the cgroups section"));
            } else {
                out.add(new MachineCheck.Item("languages", p.id(), MachineCheck.Status.OK, p.name()
                        + (tc.home() != null ? " (" + tc.home() + ")" : ""), null));
            }
        }
        return out;
    }

    static String text(List<MachineCheck.Item> items) {
        StringBuilder b = new StringBuilder();
        String section = null;
        for (MachineCheck.Item i : items) {
            if (!i.section().equals(section)) {
                section = i.section();
                b.append(section).append(System.lineSeparator());
            }
            b.append(String.format(Locale.ROOT, "  %-5s %-13s %s%n", i.status().label(), i.name(), i.detail()));
            if (i.fix() != null) {
                b.append(String.format(Locale.ROOT, "  %-5s %-13s fix: %s%n", "", "", i.fix()));
            }
        }
        return b.toString();
    }

    private static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }
}
