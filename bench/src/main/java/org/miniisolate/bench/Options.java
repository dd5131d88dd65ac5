package org.miniisolate.bench;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The command line of bin/mini-isolate-bench.
 *
 * @param cli         bin/mini-isolate to measure
 * @param isolate     the reference isolate binary, or null
 * @param isolateConfig its configuration file (passed as ISOLATE_CONFIG_FILE), or null for its built-in one
 * @param isolateBox  the first of the four isolate box ids the benchmark may use
 * @param isolateCg   also measure isolate --cg
 */
record Options(int iterations, int warmup, Duration duration, Path json, Path work, Path cli, Path isolate,
               Path isolateConfig, int isolateBox, boolean isolateCg, boolean skipCli, boolean noAot, boolean keepWork,
               boolean help) {

    static final String USAGE = """
            usage: bin/mini-isolate-bench [options]
              -n, --iterations N     timed iterations per row (default 100)
              --warmup N             untimed iterations before each row (default 5)
              --duration S           seconds per throughput measurement (default 10; 0 skips throughput)
              --json FILE            where the figures go (default bench/target/bench-results.json)
              --isolate PATH         also measure this isolate binary (run as root)
              --isolate-config FILE  its config file, passed as ISOLATE_CONFIG_FILE (default: its built-in path)
              --isolate-box ID       first of the four box ids isolate may use (default 0)
              --isolate-no-cg        skip isolate --cg (e.g. no isolate-cg-keeper on this machine)
              --skip-cli             library rows only
              --no-aot               CLI rows without the AOT cache (MINI_ISOLATE_AOT=off)
              --work DIR             the benchmark's private installation (default /var/lib/mini-isolate-bench;
                                     created, then removed)
              --keep-work            leave it in place
              --quick                -n 20 --warmup 2 --duration 2: a smoke test, not a measurement
            Needs root. Measures /bin/true through each path; see docs/performance.md.
            """;

    static Options parse(String[] args) {
        int n = 100;
        int warmup = 5;
        Duration duration = Duration.ofSeconds(10);
        Path json = Path.of("bench/target/bench-results.json");
        Path work = Path.of("/var/lib/mini-isolate-bench");
        Path cli = Path.of("bin/mini-isolate");
        Path isolate = null;
        Path isolateConfig = null;
        int isolateBox = 0;
        boolean isolateCg = true;
        boolean skipCli = false;
        boolean noAot = false;
        boolean keep = false;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                value = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            switch (a) {
                case "-n", "--iterations" -> n = positive(a, value != null ? value : next(args, ++i, a));
                case "--warmup" -> warmup = nonNegative(a, value != null ? value : next(args, ++i, a));
                case "--duration" -> duration = Duration.ofMillis(
                        (long) (Double.parseDouble(value != null ? value : next(args, ++i, a)) * 1000));
                case "--json" -> json = Path.of(value != null ? value : next(args, ++i, a));
                case "--work" -> work = Path.of(value != null ? value : next(args, ++i, a)).toAbsolutePath();
                case "--cli" -> cli = Path.of(value != null ? value : next(args, ++i, a));
                case "--isolate" -> isolate = Path.of(value != null ? value : next(args, ++i, a)).toAbsolutePath();
                case "--isolate-config" -> isolateConfig = Path.of(value != null ? value : next(args, ++i, a)).toAbsolutePath();
                case "--isolate-box" -> isolateBox = nonNegative(a, value != null ? value : next(args, ++i, a));
                case "--isolate-no-cg" -> isolateCg = false;
                case "--skip-cli" -> skipCli = true;
                case "--no-aot" -> noAot = true;
                case "--keep-work" -> keep = true;
                case "--quick" -> {
                    n = 20;
                    warmup = 2;
                    duration = Duration.ofSeconds(2);
                }
                case "-h", "--help" -> help = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (duration.isNegative()) {
            throw new IllegalArgumentException("--duration must not be negative");
        }
        if (work.getParent() == null) {
            throw new IllegalArgumentException("--work must not be the root directory");
        }
        return new Options(n, warmup, duration, json, work, cli, isolate, isolateConfig, isolateBox, isolateCg, skipCli,
                noAot, keep, help);
    }

    private static String next(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int positive(String option, String v) {
        int n = nonNegative(option, v);
        if (n == 0) {
            throw new IllegalArgumentException(option + " must be at least 1");
        }
        return n;
    }

    private static int nonNegative(String option, String v) {
        try {
            int n = Integer.parseInt(v);
            if (n < 0) {
                throw new IllegalArgumentException(option + " must not be negative");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a number, not '" + v + "'");
        }
    }
}
