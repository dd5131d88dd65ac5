package org.miniisolate.cli.commands;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.miniisolate.Box;
import org.miniisolate.InitOptions;
import org.miniisolate.SandboxException;
import org.miniisolate.box.BoxState;
import org.miniisolate.fs.Quota;
import org.miniisolate.result.RunResult;
import org.miniisolate.result.Verdict;
import org.miniisolate.spec.DirRule;
import org.miniisolate.spec.DirRules;
import org.miniisolate.spec.EnvRules;
import org.miniisolate.spec.Io;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "execute", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Compile SOURCE in box N with the language's compiler, then run it, both sandboxed.",
            "The box is emptied first (as init does; no init needed). The compile step has the language's own limits; "
                    + "the limit flags apply to the run step. `mini-isolate check` lists the languages that work here.",
            "Exit code: 0 OK, 1 compilation error, runtime error, signal or memory limit, 2 time limit, "
                    + "3 internal or usage error."},
        footer = {"", "Languages: c, cpp, java, python3, javascript, go, rust (where installed).", "", "Examples:",
            "  mini-isolate execute --box-id 1 --language cpp sol.cpp --stdin in.txt --max-cpu 1 --max-memory 256",
            "  mini-isolate execute -l python3 sol.py --json --capture"})
final class ExecuteCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    BoxOptions box;

    @Option(names = {"-l", "--language"}, paramLabel = "LANGUAGE", required = true, order = 3,
            completionCandidates = LanguageIds.class, description = "Language id (or alias): ${COMPLETION-CANDIDATES}.")
    String language;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "The source file (copied into the box).")
    Path source;

    @Option(names = "--stdin", paramLabel = "FILE", order = 4,
            description = "Standard input of the run step from this file (copied into the box). Default: mini-isolate's own.")
    Path stdin;

    @Mixin
    LimitOptions limits;

    @Mixin
    ResultOptions result;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<LanguageProfile> profiles = LanguageProfiles.shipped();
        LanguageProfile profile = LanguageProfiles.find(profiles, language).orElseThrow(() -> new IllegalArgumentException(
                "unknown language '" + language + "'; known: " + String.join(", ", profiles.stream().map(LanguageProfile::id).toList())));
        Toolchain tc = Toolchain.resolve(profile, hostProperties());
        if (!tc.available()) {
            throw new SandboxException("language " + profile.id() + " is not available here: " + tc.unavailable());
        }
        if (!Files.isRegularFile(source)) {
            throw new IllegalArgumentException("cannot read the source file " + source);
        }
        if (stdin != null && !Files.isRegularFile(stdin)) {
            throw new IllegalArgumentException("cannot read the input file " + stdin);
        }
        Map<String, String> env = Subcommands.environment();
        try (Installation inst = Installation.open(env, err)) {
            Box b = inst.box(box);
            b.init(new InitOptions(true, Quota.NONE));
            BoxState state = RunProgramCommand.initializedState(b);
            Files.copy(source, b.workDirectory().resolve(profile.source()));
            List<DirRule> dirs = new ArrayList<>(DirRules.defaults());
            dirs.addAll(tc.dirs());
            Map<String, String> programEnv = EnvRules.resolve(profile.env(), false, env);
            RunPlan.Machine machine = inst.machineFor(b, state);

            RunJson compileJson = null;
            if (profile.compiles()) {
                Resources cr = profile.compileLimits().effective();
                List<String> command = LanguageProfile.expand(profile.compile(), Map.of("home", String.valueOf(tc.insideHome())));
                RunPlan plan = RunPlan.of(command, cr, false, machine,
                        new Io(null, Capture.COMPILE_OUTPUT, null, true), programEnv, dirs);
                plan.warnings().forEach(inst::warn);
                BoxRun compiled = BoxRun.run(b, plan, Capture.COMPILE_OUTPUT, null, cr.outputKib());
                compileJson = RunJson.of(b.id(), command, compiled.result(), cr, plan, compiled.stdout(), null);
                Verdict v = compiled.result().verdict();
                if (v != Verdict.OK) {
                    boolean ours = v == Verdict.INTERNAL_ERROR || v == Verdict.INTERRUPTED;
                    String verdict = ours ? v.name() : ExecuteJson.COMPILATION_ERROR;
                    if (result.json) {
                        out.println(Json.write(new ExecuteJson(profile.id(), b.id(), verdict, compileJson, null)));
                    } else {
                        err.print(compiled.stdout().text());
                        if (compiled.stdout().truncated()) {
                            err.println("(compiler output truncated)");
                        }
                        err.println(ours ? "compilation could not be done: " + compiled.result().message()
                                : "compilation failed (" + v.name() + (compiled.result().message().isEmpty() ? ""
                                        : ": " + compiled.result().message()) + ")");
                    }
                    out.flush();
                    err.flush();
                    return ours ? ExitCodes.ERROR : ExitCodes.FAILED;
                }
            }

            Resources rr = limits.given().over(profile.runLimits()).effective();
            if (profile.cgroupMemory() && rr.memoryKib() > 0 && !(machine.boxCgroupMode() && machine.memoryController())) {
                throw new SandboxException(profile.name() + " needs the cgroup memory controller for --max-memory ("
                        + machine.memoryMissingWhy() + "); see `mini-isolate check`");
            }
            List<String> command = runCommand(profile, tc, rr.memoryKib());
            if (stdin != null) {
                Capture.stdinFrom(stdin, b.workDirectory());
            }
            boolean capture = result.capture;
            Io io = new Io(stdin != null ? Capture.STDIN : null, capture ? Capture.STDOUT : null,
                    capture ? Capture.STDERR : null, false);
            RunPlan plan = RunPlan.of(command, rr, capture, machine, io, programEnv, dirs);
            plan.warnings().forEach(inst::warn);
            BoxRun run;
            try {
                run = BoxRun.run(b, plan, io.stdout(), io.stderr(), rr.outputKib());
            } finally {
                if (stdin != null) {
                    Files.deleteIfExists(b.workDirectory().resolve(Capture.STDIN));
                }
            }
            RunResult r = run.result();
            if (result.json) {
                out.println(Json.write(new ExecuteJson(profile.id(), b.id(), r.verdict().name(), compileJson,
                        RunJson.of(b.id(), command, r, rr, plan, run.stdout(), run.stderr()))));
                out.flush();
            } else {
                RunProgramCommand.echoCaptured(run, out, err);
                HumanReport.print(err, r);
            }
            return ExitCodes.of(r.verdict());
        }
    }

    /** The run command with {home}, and with the memory arguments when there is a memory limit. */
    static List<String> runCommand(LanguageProfile profile, Toolchain tc, long memoryKib) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("home", String.valueOf(tc.insideHome()));
        List<String> words = new ArrayList<>(profile.run());
        if (memoryKib > 0 && !profile.runMemoryArgs().isEmpty()) {
            long mb = Math.max(1, memoryKib / 1024);
            long heap = Math.max(mb / 2, mb - profile.heapReserveMb());
            values.put("memory_mb", Long.toString(mb));
            values.put("heap_mb", Long.toString(Math.max(1, heap)));
            words.addAll(1, profile.runMemoryArgs());
        }
        return LanguageProfile.expand(words, values);
    }

    /** What the home patterns of the profiles may name. */
    static Map<String, String> hostProperties() {
        return Map.of("java.home", System.getProperty("java.home"), "user.home", System.getProperty("user.home"));
    }

    /** The language ids, for completion and help. */
    static final class LanguageIds extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        LanguageIds() {
            super(LanguageProfiles.shipped().stream().map(LanguageProfile::id).toList());
        }
    }
}
