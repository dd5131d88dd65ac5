package org.miniisolate.cli.commands;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

import org.miniisolate.result.RunResult;
import org.miniisolate.result.Verdict;

/** The summary of a run for people, printed on stderr so that the program's stdout stays its own. */
final class HumanReport {
    private static final String[] SIGNALS = {"", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS",
        "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD",
        "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF",
        "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"};

    private HumanReport() {
    }

    /** Four or five aligned lines: verdict, CPU and wall time, peak memory, how the program ended. */
    static String summary(RunResult r) {
        StringBuilder b = new StringBuilder();
        b.append(line("verdict", r.verdict().name() + (r.message().isEmpty() ? "" : ": " + r.message())));
        if (r.started()) {
            b.append(line("cpu time", seconds(r.cpuTime())));
            b.append(line("wall time", seconds(r.wallTime())));
            b.append(line("memory", r.cgroupMemoryKib().isPresent()
                    ? r.cgroupMemoryKib().getAsLong() + " KiB peak (box cgroup)"
                    : r.maxRssKib() + " KiB peak (largest process)"));
            b.append(line("ended", ending(r)));
        }
        return b.toString();
    }

    private static String ending(RunResult r) {
        if (r.oomKilled()) {
            return "killed by the kernel's OOM killer: the box reached its memory limit";
        }
        if (r.exitCode().isPresent()) {
            return "exit code " + r.exitCode().getAsInt();
        }
        if (r.signal().isPresent()) {
            int s = r.signal().getAsInt();
            return "signal " + s + (s > 0 && s < SIGNALS.length ? " (" + SIGNALS[s] + ")" : "")
                    + (s == 25 ? ": file-size limit" : "");
        }
        if (r.killed()) {
            return r.verdict() == Verdict.INTERRUPTED ? "stopped on request" : "killed by mini-isolate";
        }
        return "-";
    }

    private static String line(String label, String value) {
        return String.format(Locale.ROOT, "%-10s %s%n", label, value);
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%d.%03d s", d.toMillis() / 1000, d.toMillis() % 1000);
    }

    static void print(PrintWriter err, RunResult r) {
        err.print(summary(r));
        err.flush();
    }
}
