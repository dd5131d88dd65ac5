package org.miniisolate.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What the benchmark found: the machine, the rows, CPU times and throughput; as a table and as JSON. */
final class Report {
    /** One measured path. {@code compare} is the id of the isolate row it is weighed against, if any. */
    record Row(String id, String label, String compare, Samples samples) {}

    private record Cpu(String what, double medianMs, double maxMs) {}

    private record Rate(String what, int boxes, double perSecond) {}

    private final Options options;
    private final String started = Bench.now();
    private final Map<String, String> machine = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private final List<Row> rows = new ArrayList<>();
    private final List<Cpu> cpu = new ArrayList<>();
    private final List<Rate> rates = new ArrayList<>();
    private final LoadSampler load = new LoadSampler();

    Report(Options options) {
        this.options = options;
    }

    void machineBefore() {
        machine.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        machine.put("cpu_model", firstLine("/proc/cpuinfo", "model name"));
        machine.put("kernel", read("/proc/sys/kernel/osrelease"));
        machine.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        machine.put("load_before", read("/proc/loadavg"));
        load.start();
    }

    void machineAfter() {
        load.stop();
        machine.put("load_after", read("/proc/loadavg"));
        machine.put("load_1m_during_mean", fmt(load.mean()));
        machine.put("load_1m_during_max", fmt(load.max()));
    }

    void add(Row row) {
        rows.add(row);
        System.err.printf(Locale.ROOT, "  %-44s median %8.3f ms%n", row.label(), row.samples().medianMs());
    }

    void note(String note) {
        notes.add(note);
    }

    void cpuTime(String what, double medianMs, double maxMs) {
        cpu.add(new Cpu(what, medianMs, maxMs));
    }

    void throughput(String what, int boxes, double perSecond) {
        rates.add(new Rate(what, boxes, perSecond));
        System.err.printf(Locale.ROOT, "  throughput %-34s %d box(es): %8.1f runs/s%n", what, boxes, perSecond);
    }

    private Row row(String id) {
        return rows.stream().filter(r -> r.id().equals(id)).findFirst().orElse(null);
    }

    private Double ratioToBare(Row r) {
        Row bare = row("bare");
        return bare == null || r == bare ? null : r.samples().medianMs() / bare.samples().medianMs();
    }

    private Double ratioToIsolate(Row r) {
        Row iso = r.compare() == null ? null : row(r.compare());
        return iso == null ? null : r.samples().medianMs() / iso.samples().medianMs();
    }

    void print(PrintStream out) {
        out.println();
        out.println("mini-isolate-bench, " + started);
        out.println("machine: " + machine.get("cpus") + " CPUs (" + machine.get("cpu_model") + "), Linux "
                + machine.get("kernel") + ", " + machine.get("jvm"));
        out.println("load average (1/5/15 min): before " + loadAvg("load_before") + ", after " + loadAvg("load_after")
                + "; 1-minute load during the run: mean " + machine.get("load_1m_during_mean") + ", max "
                + machine.get("load_1m_during_max"));
        out.println(options.iterations() + " timed iterations per row after " + options.warmup() + " warm-up; times in ms");
        for (String n : notes) {
            out.println(n);
        }
        out.println();
        out.printf(Locale.ROOT, "%-44s %8s %8s %8s %8s %8s %9s%n", "", "min", "median", "p90", "max", "÷ bare",
                "÷ isolate");
        for (Row r : rows) {
            Samples s = r.samples();
            out.printf(Locale.ROOT, "%-44s %8.3f %8.3f %8.3f %8.3f %8s %9s%n", r.label(), s.minMs(), s.medianMs(),
                    s.percentileMs(90), s.maxMs(), ratio(ratioToBare(r)), ratio(ratioToIsolate(r)));
        }
        if (!cpu.isEmpty()) {
            out.println();
            out.println("CPU time reported for /bin/true (ms):      median      max");
            for (Cpu c : cpu) {
                out.printf(Locale.ROOT, "  %-38s %8.3f %8.3f%n", c.what(), c.medianMs(), c.maxMs());
            }
        }
        if (!rates.isEmpty()) {
            out.println();
            out.printf(Locale.ROOT, "throughput, runs/s over %.0f s:%n", options.duration().toMillis() / 1000.0);
            out.printf(Locale.ROOT, "  %-34s %9s %9s %9s%n", "", "1 box", "2 boxes", "4 boxes");
            for (String what : rates.stream().map(Rate::what).distinct().toList()) {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-34s", what));
                for (int boxes : new int[] {1, 2, 4}) {
                    double v = rates.stream().filter(x -> x.what().equals(what) && x.boxes() == boxes)
                            .mapToDouble(Rate::perSecond).findFirst().orElse(Double.NaN);
                    line.append(String.format(Locale.ROOT, " %9.1f", v));
                }
                out.println(line);
            }
        }
    }

    void writeJson(Path file) throws IOException {
        StringBuilder j = new StringBuilder("{\n");
        j.append("  \"started\": ").append(str(started)).append(",\n");
        j.append("  \"machine\": {");
        appendMap(j, machine);
        j.append("},\n");
        j.append("  \"options\": {\"iterations\": ").append(options.iterations()).append(", \"warmup\": ")
                .append(options.warmup()).append(", \"throughput_seconds\": ").append(options.duration().toMillis() / 1000.0)
                .append(", \"isolate\": ").append(options.isolate() == null ? "null" : str(options.isolate().toString()))
                .append(", \"aot\": ").append(!options.noAot()).append("},\n");
        j.append("  \"notes\": [");
        for (int i = 0; i < notes.size(); i++) {
            j.append(i == 0 ? "" : ", ").append(str(notes.get(i)));
        }
        j.append("],\n  \"rows\": [\n");
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            Samples s = r.samples();
            j.append("    {\"id\": ").append(str(r.id())).append(", \"label\": ").append(str(r.label()))
                    .append(", \"n\": ").append(s.count())
                    .append(", \"min_ms\": ").append(num(s.minMs())).append(", \"median_ms\": ").append(num(s.medianMs()))
                    .append(", \"p90_ms\": ").append(num(s.percentileMs(90))).append(", \"max_ms\": ").append(num(s.maxMs()))
                    .append(", \"mean_ms\": ").append(num(s.meanMs()))
                    .append(", \"ratio_to_bare\": ").append(num(ratioToBare(r)))
                    .append(", \"compared_with\": ").append(r.compare() == null || row(r.compare()) == null ? "null" : str(r.compare()))
                    .append(", \"ratio_to_isolate\": ").append(num(ratioToIsolate(r))).append('}')
                    .append(i + 1 < rows.size() ? ",\n" : "\n");
        }
        j.append("  ],\n  \"cpu_time_ms\": [");
        for (int i = 0; i < cpu.size(); i++) {
            Cpu c = cpu.get(i);
            j.append(i == 0 ? "\n" : ",\n").append("    {\"what\": ").append(str(c.what())).append(", \"median\": ")
                    .append(num(c.medianMs())).append(", \"max\": ").append(num(c.maxMs())).append('}');
        }
        j.append(cpu.isEmpty() ? "" : "\n  ").append("],\n  \"throughput_runs_per_s\": [");
        for (int i = 0; i < rates.size(); i++) {
            Rate r = rates.get(i);
            j.append(i == 0 ? "\n" : ",\n").append("    {\"what\": ").append(str(r.what())).append(", \"boxes\": ")
                    .append(r.boxes()).append(", \"runs_per_s\": ").append(num(r.perSecond())).append('}');
        }
        j.append(rates.isEmpty() ? "" : "\n  ").append("]\n}\n");
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, j);
    }

    private static void appendMap(StringBuilder j, Map<String, String> m) {
        int i = 0;
        for (Map.Entry<String, String> e : m.entrySet()) {
            j.append(i++ == 0 ? "" : ", ").append(str(e.getKey())).append(": ").append(str(e.getValue()));
        }
    }

    private String loadAvg(String key) {
        String v = machine.getOrDefault(key, "");
        String[] f = v.split(" ");
        return f.length >= 3 ? f[0] + " " + f[1] + " " + f[2] : v;
    }

    private static String ratio(Double r) {
        return r == null ? "" : String.format(Locale.ROOT, "%.2f", r);
    }

    private static String num(Double d) {
        return d == null || d.isNaN() || d.isInfinite() ? "null" : String.format(Locale.ROOT, "%.4f", d);
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%.2f", d);
    }

    static String str(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file)).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    private static String firstLine(String file, String key) {
        try {
            return Files.readAllLines(Path.of(file)).stream().filter(l -> l.startsWith(key))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    /** The 1-minute load average, sampled every second while the benchmark runs. */
    private static final class LoadSampler {
        private final List<Double> samples = new ArrayList<>();
        private Thread thread;

        void start() {
            thread = Thread.ofPlatform().daemon().name("load-sampler").start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    String l = read("/proc/loadavg");
                    try {
                        double v = Double.parseDouble(l.split(" ")[0]);
                        synchronized (samples) {
                            samples.add(v);
                        }
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException e) {
                        return;
                    }
                }
            });
        }

        void stop() {
            if (thread != null) {
                thread.interrupt();
            }
        }

        double mean() {
            synchronized (samples) {
                return samples.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            }
        }

        double max() {
            synchronized (samples) {
                return samples.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
            }
        }
    }
}
