package org.miniisolate.bench;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import java.util.stream.Stream;

import org.miniisolate.Box;
import org.miniisolate.BoxPool;
import org.miniisolate.InitOptions;
import org.miniisolate.PooledBox;
import org.miniisolate.Sandbox;
import org.miniisolate.SandboxConfig;
import org.miniisolate.config.ConfigFile;
import org.miniisolate.fs.Quota;
import org.miniisolate.result.RunResult;
import org.miniisolate.result.Verdict;
import org.miniisolate.spec.CgroupLimits;
import org.miniisolate.spec.RunSpec;

/**
 * The benchmark command: one run of it measures, side by side and on the same machine state, what a sandboxed
 * {@code /bin/true} costs through each path (bare fork+exec, the library, the CLI, the reference isolate), the CPU
 * time each reports for it, and how many runs per second 1, 2 and 4 concurrent boxes sustain. Prints a table with
 * ratios and writes the figures as JSON. See docs/performance.md for the method and the results.
 *
 * <p>It works in a private installation of its own ({@code --work}: box root, locks, a config file whose uids lie
 * outside the default box range and whose cgroups are named {@code mini-isolate-bench}), so it can run on a machine
 * that judges at the same time without touching a judge's boxes; the reference isolate uses its own configuration
 * and the box ids given.
 */
public final class Bench {
    private static final String TRUE = "/bin/true";
    private static final int FIRST_UID = 61500;
    private static final int BOXES = 16;
    // Our box ids (in the private installation): one per row, so rows never see each other's state.
    private static final int LIB_BOX = 0;
    private static final int LIB_CG_BOX = 1;
    private static final int CLI_BOX = 2;
    private static final int CLI_CYCLE_BOX = 3;
    private static final int CLI_CG_BOX = 4;
    private static final int CLI_CG_CYCLE_BOX = 5;
    private static final int POOL_BOX = 6;
    private static final int POOL_CG_BOX = 7;
    private static final int THROUGHPUT_BOX = 8; // 8..11
    private static final int POOL_THROUGHPUT_BOX = 12; // 12..15

    private final Options o;
    private final Report report;
    private final Map<String, String> cliEnv = new LinkedHashMap<>();
    private final Map<String, String> isolateEnv = new LinkedHashMap<>();
    private Path config;

    private Bench(Options o) {
        this.o = o;
        this.report = new Report(o);
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("mini-isolate-bench: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        if (o.help()) {
            System.out.print(Options.USAGE);
            return;
        }
        new Bench(o).run();
    }

    private void run() throws Exception {
        if (!"0".equals(String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid")))) {
            throw new IllegalStateException("the benchmark runs sandboxes: run it as root");
        }
        // One benchmark at a time: two would share the work directory, box ids and cgroup names, and
        // measure each other anyway.
        Files.createDirectories(o.work().getParent());
        try (FileChannel lock = FileChannel.open(o.work().resolveSibling(o.work().getFileName() + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            if (lock.tryLock() == null) {
                throw new IllegalStateException("another mini-isolate-bench is running with --work " + o.work()
                        + "; wait for it to finish");
            }
            measureAll();
        }
    }

    private void measureAll() throws Exception {
        report.machineBefore();
        prepareWork();
        try (Sandbox sandbox = Sandbox.open(SandboxConfig.from(ConfigFile.load(config, Map.of()), null))) {
            measureBare();
            measureLibrary(sandbox);
            measurePool(sandbox);
            if (!o.skipCli()) {
                measureCli();
            }
            if (o.isolate() != null) {
                measureIsolate();
            }
            cpuTimes(sandbox);
            throughput(sandbox);
            removeCgroupParents(sandbox);
        } finally {
            report.machineAfter();
            if (!o.keepWork()) {
                deleteTree(o.work());
            }
        }
        report.print(System.out);
        report.writeJson(o.json());
        System.out.println("\nJSON: " + o.json());
    }

    // ---- setup ----

    private void prepareWork() throws IOException {
        Path work = o.work();
        if (Files.exists(work, LinkOption.NOFOLLOW_LINKS)) {
            deleteTree(work);
        }
        Files.createDirectory(work, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        config = Files.writeString(work.resolve("mini-isolate.conf"), """
                # mini-isolate-bench's private installation, removed when it ends
                box_root = %s
                lock_root = %s
                first_uid = %d
                first_gid = %d
                num_boxes = %d
                cg_root = mini-isolate-bench
                """.formatted(work.resolve("boxes"), work.resolve("locks"), FIRST_UID, FIRST_UID, BOXES));
        String path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        cliEnv.put("PATH", path);
        cliEnv.put("MINI_ISOLATE_CONFIG", config.toString());
        cliEnv.put("JAVA_HOME", System.getProperty("java.home")); // the script then runs the jar on this JDK
        if (o.noAot()) {
            cliEnv.put("MINI_ISOLATE_AOT", "off");
        }
        isolateEnv.put("PATH", path);
        if (o.isolateConfig() != null) {
            isolateEnv.put("ISOLATE_CONFIG_FILE", o.isolateConfig().toString());
        }
    }

    // ---- rows ----

    private void measureBare() {
        report.add(new Report.Row("bare", "bare fork+exec of /bin/true", null,
                time(i -> exec(List.of(TRUE), Map.of(), 0))));
    }

    private void measureLibrary(Sandbox sandbox) {
        Box box = sandbox.box(LIB_BOX);
        box.init();
        RunSpec spec = RunSpec.of(TRUE).build();
        report.add(new Report.Row("lib", "library: run in a fresh box", "iso-run", time(i -> ok(box.run(spec)))));
        box.cleanup();

        Box cg = sandbox.box(LIB_CG_BOX);
        cg.init(new InitOptions(true, Quota.NONE));
        RunSpec cgSpec = RunSpec.of(TRUE).cgroups(CgroupLimits.DEFAULTS).build();
        report.add(new Report.Row("lib-cg", "library: run in a fresh box, cgroups", "iso-cg-run",
                time(i -> ok(cg.run(cgSpec)))));
        cg.cleanup();
    }

    /**
     * A warm pooled box: namespaces and root built once, one fork+exec per run (BoxPool); and one
     * whose runs get fresh cgroups each, timed alternately with it so that both see the same load.
     */
    private void measurePool(Sandbox sandbox) {
        try (BoxPool pool = BoxPool.open(sandbox, BoxPool.Template.DEFAULT, List.of(POOL_BOX));
             BoxPool cgPool = BoxPool.open(sandbox, BoxPool.Template.DEFAULT.withCgroups(true), List.of(POOL_CG_BOX));
             PooledBox box = pool.lease();
             PooledBox cg = cgPool.lease()) {
            RunSpec spec = RunSpec.of(TRUE).build();
            RunSpec cgSpec = RunSpec.of(TRUE).cgroups(CgroupLimits.DEFAULTS).build();
            Samples[] both = timeAlternately(i -> ok(box.run(spec)), i -> ok(cg.run(cgSpec)));
            report.add(new Report.Row("lib-pool", "library: run in a warm pooled box", "iso-run", both[0]));
            report.add(new Report.Row("lib-pool-cg", "library: run in a warm pooled box, cgroups", "iso-cg-run", both[1]));
        }
    }

    private void measureCli() throws InterruptedException {
        awaitAotCache();
        report.add(new Report.Row("cli-version", "CLI --version (JVM start floor)", null,
                time(i -> cli(List.of("--version")))));

        String b = "--box-id=" + CLI_BOX;
        cli(List.of(b, "--init"));
        report.add(new Report.Row("cli-run", "CLI --run", "iso-run", time(i -> cli(List.of(b, "--run", "--", TRUE)))));
        cli(List.of(b, "--cleanup"));

        String c = "--box-id=" + CLI_CYCLE_BOX;
        report.add(new Report.Row("cli-cycle", "CLI --init, --run, --cleanup", "iso-cycle", time(i -> {
            cli(List.of(c, "--init"));
            cli(List.of(c, "--run", "--", TRUE));
            cli(List.of(c, "--cleanup"));
        })));

        String g = "--box-id=" + CLI_CG_BOX;
        cli(List.of(g, "--cg", "--init"));
        report.add(new Report.Row("cli-cg-run", "CLI --cg --run", "iso-cg-run",
                time(i -> cli(List.of(g, "--cg", "--run", "--", TRUE)))));
        cli(List.of(g, "--cg", "--cleanup"));

        String gc = "--box-id=" + CLI_CG_CYCLE_BOX;
        report.add(new Report.Row("cli-cg-cycle", "CLI --cg --init, --run, --cleanup", "iso-cg-cycle", time(i -> {
            cli(List.of(gc, "--cg", "--init"));
            cli(List.of(gc, "--cg", "--run", "--", TRUE));
            cli(List.of(gc, "--cg", "--cleanup"));
        })));
    }

    private void measureIsolate() {
        String b = "--box-id=" + o.isolateBox();
        isolate(List.of(b, "--init"));
        report.add(new Report.Row("iso-run", "isolate --run", null, time(i -> isolate(List.of(b, "--run", "--", TRUE)))));
        isolate(List.of(b, "--cleanup"));
        report.add(new Report.Row("iso-cycle", "isolate --init, --run, --cleanup", null, time(i -> {
            isolate(List.of(b, "--init"));
            isolate(List.of(b, "--run", "--", TRUE));
            isolate(List.of(b, "--cleanup"));
        })));
        if (o.isolateCg()) {
            isolate(List.of(b, "--cg", "--init"));
            report.add(new Report.Row("iso-cg-run", "isolate --cg --run", null,
                    time(i -> isolate(List.of(b, "--cg", "--run", "--", TRUE)))));
            isolate(List.of(b, "--cg", "--cleanup"));
            report.add(new Report.Row("iso-cg-cycle", "isolate --cg --init, --run, --cleanup", null, time(i -> {
                isolate(List.of(b, "--cg", "--init"));
                isolate(List.of(b, "--cg", "--run", "--", TRUE));
                isolate(List.of(b, "--cg", "--cleanup"));
            })));
        }
    }

    /** The CPU time each path reports for /bin/true: the program's own, or with the sandbox's setup in it. */
    private void cpuTimes(Sandbox sandbox) throws IOException {
        Box box = sandbox.box(LIB_BOX);
        box.init();
        long[] micros = new long[Math.max(1, Math.min(o.iterations(), 50))];
        for (int i = 0; i < micros.length; i++) {
            micros[i] = ok(box.run(RunSpec.of(TRUE).build())).cpuTime().toNanos() / 1000;
        }
        box.cleanup();
        java.util.Arrays.sort(micros);
        report.cpuTime("library RunResult.cpuTime()", micros[micros.length / 2] / 1000.0, micros[micros.length - 1] / 1000.0);
        Path meta = o.work().resolve("meta");
        if (!o.skipCli()) {
            String b = "--box-id=" + CLI_BOX;
            cli(List.of(b, "--init"));
            double[] t = metaTimes(() -> cli(List.of(b, "-M", meta.toString(), "--run", "--", TRUE)), meta);
            report.cpuTime("CLI meta time:", t[0], t[1]);
            cli(List.of(b, "--cleanup"));
        }
        if (o.isolate() != null) {
            String b = "--box-id=" + o.isolateBox();
            isolate(List.of(b, "--init"));
            double[] t = metaTimes(() -> isolate(List.of(b, "-M", meta.toString(), "--run", "--", TRUE)), meta);
            report.cpuTime("isolate meta time:", t[0], t[1]);
            isolate(List.of(b, "--cleanup"));
        }
    }

    /** Median and maximum of the meta-file's {@code time:} over 20 runs, in ms. */
    private static double[] metaTimes(Runnable run, Path meta) throws IOException {
        double[] ms = new double[20];
        for (int i = 0; i < ms.length; i++) {
            run.run();
            ms[i] = Files.readAllLines(meta).stream().filter(l -> l.startsWith("time:")).findFirst()
                    .map(l -> Double.parseDouble(l.substring(5)) * 1000).orElseThrow(() -> new IllegalStateException(
                            "no time: in the meta-file " + meta));
        }
        java.util.Arrays.sort(ms);
        return new double[] {ms[ms.length / 2], ms[ms.length - 1]};
    }

    /** Runs per second with 1, 2 and 4 boxes running /bin/true back to back, each from its own thread. */
    private void pooledThroughput(Sandbox sandbox, String label, BoxPool.Template template, RunSpec spec)
            throws InterruptedException {
        for (int threads : new int[] {1, 2, 4}) {
            List<Integer> ids = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                ids.add(POOL_THROUGHPUT_BOX + t);
            }
            Map<Integer, PooledBox> leases = new java.util.concurrent.ConcurrentHashMap<>();
            try (BoxPool pool = BoxPool.open(sandbox, template, ids)) {
                report.throughput(label, threads, rate(threads, id -> {
                    PooledBox box = pool.lease();
                    leases.put(id, box);
                    return () -> ok(box.run(spec));
                }, id -> {
                    PooledBox box = leases.remove(id);
                    if (box != null) {
                        box.close();
                    }
                }));
            }
        }
    }

    private void throughput(Sandbox sandbox) throws InterruptedException {
        if (o.duration().isZero()) {
            return;
        }
        for (int threads : new int[] {1, 2, 4}) {
            report.throughput("library, fresh box", threads, rate(threads, id -> {
                Box box = sandbox.box(id);
                box.init();
                RunSpec spec = RunSpec.of(TRUE).build();
                return () -> ok(box.run(spec));
            }, id -> sandbox.box(id).cleanup()));
        }
        pooledThroughput(sandbox, "library, warm pooled box", BoxPool.Template.DEFAULT, RunSpec.of(TRUE).build());
        pooledThroughput(sandbox, "library, warm pooled box, cgroups", BoxPool.Template.DEFAULT.withCgroups(true),
                RunSpec.of(TRUE).cgroups(CgroupLimits.DEFAULTS).build());
        if (!o.skipCli()) {
            for (int threads : new int[] {1, 2, 4}) {
                report.throughput("CLI --run", threads, rate(threads, id -> {
                    cli(List.of("--box-id=" + id, "--init"));
                    return () -> cli(List.of("--box-id=" + id, "--run", "--", TRUE));
                }, id -> cli(List.of("--box-id=" + id, "--cleanup"))));
            }
        }
        if (o.isolate() != null) {
            for (int threads : new int[] {1, 2, 4}) {
                report.throughput("isolate --run", threads, rate(threads, id -> {
                    int box = o.isolateBox() + id - THROUGHPUT_BOX;
                    isolate(List.of("--box-id=" + box, "--init"));
                    return () -> isolate(List.of("--box-id=" + box, "--run", "--", TRUE));
                }, id -> isolate(List.of("--box-id=" + (o.isolateBox() + id - THROUGHPUT_BOX), "--cleanup"))));
            }
        }
    }

    interface Setup {
        Runnable prepare(int boxId);
    }

    /** Runs/s over {@link Options#duration()} with {@code threads} workers, box ids from {@link #THROUGHPUT_BOX}. */
    private double rate(int threads, Setup setup, IntConsumer teardown) throws InterruptedException {
        AtomicLong runs = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        long[] window = new long[2];
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = THROUGHPUT_BOX + t;
            Thread w = Thread.ofPlatform().name("bench-" + t).start(() -> {
                try {
                    Runnable one = setup.prepare(id);
                    ready.countDown();
                    go.await();
                    long end = window[1];
                    while (System.nanoTime() < end) {
                        one.run();
                        runs.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    ready.countDown();
                } finally {
                    try {
                        teardown.accept(id);
                    } catch (RuntimeException e) {
                        failure.compareAndSet(null, e);
                    }
                }
            });
            workers.add(w);
        }
        ready.await();
        window[0] = System.nanoTime();
        window[1] = window[0] + o.duration().toNanos();
        go.countDown();
        for (Thread w : workers) {
            w.join();
        }
        long elapsed = System.nanoTime() - window[0];
        if (failure.get() != null) {
            throw new IllegalStateException("throughput with " + threads + " boxes failed: " + failure.get(), failure.get());
        }
        return runs.get() / (elapsed / 1e9);
    }

    /** The (empty) mini-isolate-bench directories box cgroups were made in. */
    private static void removeCgroupParents(Sandbox sandbox) {
        try {
            for (Path p : sandbox.cgroups().roots()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            // not empty or not there: nothing of ours to remove
        }
    }

    // ---- helpers ----

    interface Step {
        void run(int iteration) throws Exception;
    }

    /** {@link Options#warmup()} unmeasured iterations, then {@link Options#iterations()} timed ones. */
    private Samples time(Step step) {
        try {
            for (int i = 0; i < o.warmup(); i++) {
                step.run(-1);
            }
            long[] nanos = new long[o.iterations()];
            for (int i = 0; i < nanos.length; i++) {
                long start = System.nanoTime();
                step.run(i);
                nanos[i] = System.nanoTime() - start;
            }
            return new Samples(nanos);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Two rows measured in turns (a b, b a, a b, ...): neither gets a quieter stretch of the machine than the other. */
    private Samples[] timeAlternately(Step a, Step b) {
        try {
            for (int i = 0; i < o.warmup(); i++) {
                a.run(-1);
                b.run(-1);
            }
            long[][] nanos = new long[2][o.iterations()];
            for (int i = 0; i < o.iterations(); i++) {
                for (int k = 0; k < 2; k++) {
                    int which = (i + k) % 2;
                    long start = System.nanoTime();
                    (which == 0 ? a : b).run(i);
                    nanos[which][i] = System.nanoTime() - start;
                }
            }
            return new Samples[] {new Samples(nanos[0]), new Samples(nanos[1])};
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static RunResult ok(RunResult r) {
        if (r.verdict() != Verdict.OK) {
            throw new IllegalStateException("/bin/true did not run OK: " + r.verdict() + " " + r.message());
        }
        return r;
    }

    private void cli(List<String> args) {
        List<String> argv = new ArrayList<>(List.of(o.cli().toString()));
        argv.addAll(args);
        exec(argv, cliEnv, 0);
    }

    private void isolate(List<String> args) {
        List<String> argv = new ArrayList<>(List.of(o.isolate().toString()));
        argv.addAll(args);
        exec(argv, isolateEnv, 0);
    }

    private static void exec(List<String> argv, Map<String, String> env, int expected) {
        int code = Spawner.exitCode(Spawner.run(argv, env));
        if (code != expected) {
            throw new IllegalStateException(String.join(" ", argv) + " exited with " + code + " (expected " + expected
                    + "); run it by hand to see why");
        }
    }

    /**
     * Before the CLI rows: bin/mini-isolate makes its AOT cache in the background on the first run that finds none;
     * measure once it is there (or without one, with --no-aot).
     */
    private void awaitAotCache() throws InterruptedException {
        cli(List.of("--version"));
        if (o.noAot()) {
            report.note("CLI rows without the AOT cache (--no-aot)");
            return;
        }
        Path cache = o.cli().toAbsolutePath().getParent().getParent().resolve("cli/target/aot-cache");
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline && training(cache)) {
            Thread.sleep(200);
        }
        cli(List.of("--version"));
        boolean present = hasCache(cache);
        report.note(present ? "CLI rows with the AOT cache (" + cache + ")"
                : "CLI rows WITHOUT an AOT cache: none was made (see " + cache.resolve("training.log") + ")");
    }

    private static boolean training(Path cache) {
        try (Stream<Path> s = Files.list(cache)) {
            return s.anyMatch(p -> p.getFileName().toString().startsWith(".training-"));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean hasCache(Path cache) {
        try (Stream<Path> s = Files.list(cache)) {
            return s.anyMatch(p -> p.getFileName().toString().endsWith(".aot"));
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static String now() {
        return Instant.now().toString();
    }
}
