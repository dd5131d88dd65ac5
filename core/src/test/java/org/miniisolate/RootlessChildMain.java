package org.miniisolate;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.miniisolate.fs.Quota;
import org.miniisolate.result.RunResult;
import org.miniisolate.spec.CgroupLimits;
import org.miniisolate.spec.DirRules;
import org.miniisolate.spec.Limits;
import org.miniisolate.spec.RunSpec;

/**
 * The library user of {@link RootlessTest}, run in a JVM of its own as an unprivileged user: it
 * opens the sandbox with the defaults (rootless mode then picks the user's own directories), plays
 * one scenario and reports each run as a line the test parses:
 * {@code RESULT name verdict exit cpuMs wallMs base64(stdout)}; a refusal as {@code REFUSED message};
 * other facts as {@code FACT name value}. Only the test asserts.
 *
 * <p>Usage: RootlessChildMain SCENARIO [ARGS...] with SCENARIO one of
 * {@code basic SECRET_FILE CONNECT_PROGRAM PORT}, {@code quota}, {@code strict-quota},
 * {@code strict-cgroup}, {@code cgroup BOX_CGROUP_DIR}, {@code pool SECRET_FILE}.
 */
public final class RootlessChildMain {
    private static final int BOX = 0;
    private static final int POOL_BOX = 1;

    private RootlessChildMain() {}

    public static void main(String[] args) throws Exception {
        try (Sandbox sandbox = Sandbox.open(SandboxConfig.defaults())) {
            fact("rootless", sandbox.rootless());
            fact("boxRoot", sandbox.config().boxRoot());
            Box box = sandbox.box(BOX);
            switch (args[0]) {
                case "basic" -> basic(box, Path.of(args[1]), Path.of(args[2]), args[3]);
                case "quota" -> {
                    box.init(new InitOptions(false, new Quota(1024, 100)));
                    report("quota-ok", Captured.run(box, "/bin/echo", "fine"));
                }
                case "strict-quota" -> refusal(() -> box.init(new InitOptions(false, new Quota(1024, 100), true)));
                case "strict-cgroup" -> {
                    box.init(new InitOptions(true, Quota.NONE));
                    refusal(() -> box.run(RunSpec.of("/bin/true").cgroups(CgroupLimits.memory(65536).withStrict(true)).build()));
                }
                case "cgroup" -> cgroup(box, Path.of(args[1]));
                case "pool" -> pool(sandbox, Path.of(args[1]));
                default -> throw new IllegalArgumentException("unknown scenario " + args[0]);
            }
            box.cleanup();
            fact("boxDirectoryLeft", Files.exists(box.directory(), LinkOption.NOFOLLOW_LINKS));
        } catch (SandboxException e) {
            System.out.println("REFUSED " + e.getMessage().replace('\n', ' '));
        }
    }

    private static void basic(Box box, Path secret, Path connectProgram, String port) throws Exception {
        box.init();
        Limits many = Limits.DEFAULTS.withProcesses(0);
        // kill(-1) reaches only the box's own processes: this JVM, the same uid outside, goes on (the runs below).
        report("killall", Captured.run(box, Limits.DEFAULTS.withProcesses(0), "/bin/sh", "-c", "kill -9 -1; echo survived"));
        report("ok", Captured.run(box, "/bin/echo", "hello"));
        report("exit", Captured.run(box, "/bin/sh", "-c", "exit 3"));
        report("cpu", Captured.run(box, many.withCpuTime(Duration.ofMillis(300)), "/bin/sh", "-c", "while :; do :; done"));
        report("wall", Captured.run(box, many.withWallTime(Duration.ofMillis(500)), "/bin/sleep", "10"));
        report("secret", Captured.run(box, "/bin/cat", secret.toString()));
        report("pids", Captured.run(box, many, "/bin/ls", "/proc"));
        report("netdev", Captured.run(box, "/bin/cat", "/proc/net/dev"));
        report("status", Captured.run(box, "/bin/grep", "-E", "^(Uid|Gid|CapEff|CapPrm|CapBnd|NoNewPrivs|Seccomp):", "/proc/self/status"));
        Files.copy(connectProgram, box.workDirectory().resolve("connect_tcp"), StandardCopyOption.REPLACE_EXISTING);
        box.workDirectory().resolve("connect_tcp").toFile().setExecutable(true);
        report("connect", Captured.run(box, "./connect_tcp", port));
        report("made", Captured.run(box, many, "/bin/sh", "-c", "echo x > /box/made; id -u"));
        fact("madeHostUid", Files.getAttribute(box.workDirectory().resolve("made"), "unix:uid", LinkOption.NOFOLLOW_LINKS));
        // A program that closes a directory to its owner: the owner (the same uid) must still clean up.
        report("closed", Captured.run(box, many, "/bin/sh", "-c", "mkdir -p /box/d/e && echo y > /box/d/e/f && chmod 000 /box/d/e /box/d"));
        // RLIMIT_NPROC counts the box's own processes in its user namespace, not the caller's others
        // (this JVM's threads alone are more than 3): the shell and two sleeps run, the third fork fails.
        report("nproc", Captured.run(box, Limits.DEFAULTS.withProcesses(3), "/bin/sh", "-c",
                "/bin/sleep 5 & echo one; /bin/sleep 5 & echo two; /bin/sleep 5 & echo three; wait"));
        // Above this user's own hard limit: capped at it, and said.
        long hardFiles = hardOpenFiles();
        fact("hardOpenFiles", hardFiles);
        report("ceiling", Captured.run(box, Limits.DEFAULTS.withOpenFiles((int) hardFiles + 1), "/bin/sh", "-c", "ulimit -Hn"));
        // /sys has mounts below it: without them (norec) the kernel refuses the bind in a user namespace.
        report("norec", Captured.run(box, RunSpec.of("/bin/true").dirs(DirRules.apply(DirRules.defaults(), List.of("/sys:norec")))));
    }

    /** Warm pooled boxes, rootless: the same confinement, and nothing carried from one lease to the next. */
    private static void pool(Sandbox sandbox, Path secret) {
        try (BoxPool pool = BoxPool.open(sandbox, BoxPool.Template.DEFAULT, List.of(POOL_BOX))) {
            try (PooledBox first = pool.lease()) {
                report("pool-ok", Captured.run(first, "/bin/echo", "pooled"));
                report("pool-status", Captured.run(first, "/bin/grep", "-E", "^(Uid|CapEff|NoNewPrivs|Seccomp):", "/proc/self/status"));
                report("pool-secret", Captured.run(first, "/bin/cat", secret.toString()));
                report("pool-exit", Captured.run(first, "/bin/sh", "-c", "exit 4"));
                report("pool-leave", Captured.run(first, Limits.DEFAULTS.withProcesses(0), "/bin/sh", "-c", "echo x > /box/left; echo y > /tmp/left"));
            }
            try (PooledBox second = pool.lease()) {
                report("pool-next", Captured.run(second, "/bin/sh", "-c", "ls -A /box /tmp"));
            }
        }
    }

    /** Box cgroups in the delegated subtree: live CPU from cpu.stat, a kill through cgroup.kill, removal. */
    private static void cgroup(Box box, Path boxCgroup) throws Exception {
        box.init(new InitOptions(true, Quota.NONE));
        CgroupLimits cg = CgroupLimits.memory(65536);
        Limits limits = Limits.DEFAULTS.withProcesses(4);
        RunControl busy = new RunControl();
        CompletableFuture<Boolean> seen = watch(busy, boxCgroup);
        report("cg-cpu", Captured.run(box, RunSpec.of("/bin/sh", "-c", "while :; do :; done").cgroups(cg)
                .limits(limits.withCpuTime(Duration.ofMillis(500))), busy));
        fact("cgroupSeenDuringRun", seen.get());
        fact("cgroupLeftAfterRun", Files.exists(boxCgroup, LinkOption.NOFOLLOW_LINKS));

        RunControl sleeper = new RunControl();
        CompletableFuture<RunResult> run = CompletableFuture.supplyAsync(() -> box.run(RunSpec.of("/bin/sleep", "30").cgroups(cg)
                .limits(limits).build(), sleeper));
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (sleeper.cpuNanos().isEmpty() && System.nanoTime() < deadline && !run.isDone()) {
            Thread.sleep(10);
        }
        sleeper.kill();
        report("cg-kill", new Captured(run.get(), "", ""));
        fact("cgroupLeftAfterKill", Files.exists(boxCgroup, LinkOption.NOFOLLOW_LINKS));
    }

    /** Polls the control until the run's live CPU time (the cgroup's cpu.stat) shows, noting whether the box cgroup existed then. */
    private static CompletableFuture<Boolean> watch(RunControl control, Path boxCgroup) {
        return CompletableFuture.supplyAsync(() -> {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (System.nanoTime() < deadline) {
                if (control.cpuNanos().isPresent()) {
                    return Files.isRegularFile(boxCgroup.resolve("cpu.stat"));
                }
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return false;
                }
            }
            return false;
        });
    }

    /** The hard limit of open files of this JVM (and so of the launcher), from /proc/self/limits. */
    private static long hardOpenFiles() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                return Long.parseLong(line.substring("Max open files".length()).trim().split("\\s+")[1]);
            }
        }
        throw new IllegalStateException("no open files line in /proc/self/limits");
    }

    private static void refusal(Runnable r) {
        try {
            r.run();
            System.out.println("NOT-REFUSED");
        } catch (SandboxException e) {
            System.out.println("REFUSED " + e.getMessage().replace('\n', ' '));
        }
    }

    private static void report(String name, Captured c) {
        RunResult r = c.result();
        System.out.println("RESULT " + name + " " + r.verdict() + " " + r.exitCode().orElse(-1) + " " + r.cpuTime().toMillis()
                + " " + r.wallTime().toMillis() + " " + Base64.getEncoder().encodeToString(c.out().getBytes(StandardCharsets.UTF_8))
                + " " + Base64.getEncoder().encodeToString((r.message() + "|" + c.err()).getBytes(StandardCharsets.UTF_8)));
        System.out.flush();
    }

    private static void fact(String name, Object value) {
        System.out.println("FACT " + name + " " + value);
    }
}
