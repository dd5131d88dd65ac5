package org.miniisolate.cli.commands;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.miniisolate.Box;
import org.miniisolate.SandboxException;
import org.miniisolate.box.BoxState;
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

@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Run PROGRAM with ARGS in box N (made by init) and report how it ended.",
            "Options come before PROGRAM: everything after it belongs to the program. A `--` right after PROGRAM "
                    + "is dropped, so `run /bin/sleep -- 3` and `run /bin/sleep 3` are the same. A PROGRAM without "
                    + "a slash is looked for in the box, then in /usr/local/bin, /usr/bin and /bin.",
            "The limits apply to this run only. Exit code: 0 OK, 1 runtime error, signal or memory limit, "
                    + "2 time limit, 3 internal or usage error."},
        footer = {"", "Examples:",
            "  mini-isolate run --box-id 0 --max-time 1 /bin/sleep -- 3          # exit 2: time limit",
            "  mini-isolate run --max-cpu 1 --max-memory 64 ./solution < in.txt",
            "  mini-isolate run --json --capture /bin/echo hello"})
final class RunProgramCommand implements Callable<Integer> {
    /** Where a PROGRAM without a slash is looked for when the box does not have it (all visible in the box). */
    static final List<String> SEARCH_PATH = List.of("/usr/local/bin", "/usr/bin", "/bin");
    /** The program's environment before the -E rules. */
    static final List<String> BASE_ENV = List.of("PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/box");

    @Spec
    CommandSpec spec;

    @Mixin
    BoxOptions box;

    @Mixin
    LimitOptions limits;

    @Mixin
    ResultOptions result;

    @Option(names = "--stdin", paramLabel = "FILE", order = 40,
            description = "Standard input from this file of yours (copied into the box). Default: mini-isolate's own.")
    Path stdin;

    @Option(names = {"-d", "--dir"}, paramLabel = "RULE", order = 41,
            description = "A directory rule as isolate's -d takes it (IN=OUT[:OPTIONS], DIR[:OPTIONS], IN=), "
                    + "applied to the default layout.")
    List<String> dirRules = new ArrayList<>();

    @Option(names = {"-E", "--env"}, paramLabel = "VAR[=VALUE]", order = 42,
            description = "Set VAR (VAR=VALUE), copy it from this environment (VAR) or remove it (VAR=). "
                    + "The program starts with PATH=/usr/local/bin:/usr/bin:/bin, HOME=/box and LIBC_FATAL_STDERR_=1.")
    List<String> envRules = new ArrayList<>();

    @Parameters(index = "0", paramLabel = "PROGRAM", description = "The program to run.")
    String program;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "Its arguments.")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Resources r = limits.given().effective();
        Map<String, String> env = Subcommands.environment();
        List<DirRule> dirs = DirRules.apply(DirRules.defaults(), dirRules);
        Map<String, String> programEnv = programEnvironment(envRules, env);
        try (Installation inst = Installation.open(env, err)) {
            Box b = inst.box(box);
            BoxState state = initializedState(b);
            List<String> command = new ArrayList<>();
            command.add(resolve(program, b.workDirectory()));
            command.addAll(programArgs(args));
            if (stdin != null) {
                Capture.stdinFrom(stdin, b.workDirectory());
            }
            boolean capture = result.capture;
            Io io = new Io(stdin != null ? Capture.STDIN : null, capture ? Capture.STDOUT : null,
                    capture ? Capture.STDERR : null, false);
            RunPlan plan = RunPlan.of(command, r, capture, inst.machineFor(b, state), io, programEnv, dirs);
            plan.warnings().forEach(inst::warn);
            BoxRun run;
            try {
                run = BoxRun.run(b, plan, io.stdout(), io.stderr(), r.outputKib());
            } finally {
                if (stdin != null) {
                    Files.deleteIfExists(b.workDirectory().resolve(Capture.STDIN));
                }
            }
            if (result.json) {
                out.println(Json.write(RunJson.of(b.id(), command, run.result(), r, plan, run.stdout(), run.stderr())));
                out.flush();
            } else {
                echoCaptured(run, out, err);
                HumanReport.print(err, run.result());
            }
            return ExitCodes.of(run.result().verdict());
        }
    }

    /** The box's state, if it is ready for runs. */
    static BoxState initializedState(Box b) {
        return b.state().filter(s -> s.initialized() && Files.isDirectory(b.workDirectory(), LinkOption.NOFOLLOW_LINKS))
                .orElseThrow(() -> new SandboxException("box " + b.id() + " is not initialized: run `mini-isolate init --box-id "
                        + b.id() + "` first"));
    }

    static Map<String, String> programEnvironment(List<String> rules, Map<String, String> callerEnv) {
        List<String> all = new ArrayList<>(BASE_ENV);
        all.addAll(rules);
        return EnvRules.resolve(all, false, callerEnv);
    }

    /** The program's arguments: one `--` right after the program is the separator, not an argument. */
    static List<String> programArgs(List<String> args) {
        return !args.isEmpty() && args.getFirst().equals("--") ? args.subList(1, args.size()) : args;
    }

    /** A name without a slash: the box's own file if it has one, else the first of {@link #SEARCH_PATH}. */
    static String resolve(String program, Path workDir) {
        if (program.contains("/") || Files.exists(workDir.resolve(program), LinkOption.NOFOLLOW_LINKS)) {
            return program;
        }
        for (String dir : SEARCH_PATH) {
            Path p = Path.of(dir, program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return program;
    }

    /** Human mode with --capture: the captured streams go where they would have gone, then the summary. */
    static void echoCaptured(BoxRun run, PrintWriter out, PrintWriter err) {
        if (run.stdout() != null) {
            out.print(run.stdout().text());
            out.flush();
        }
        if (run.stderr() != null) {
            err.print(run.stderr().text());
        }
        if (run.stdout() != null && run.stdout().truncated()) {
            err.println("(stdout truncated at " + run.stdout().bytes() + " bytes)");
        }
        if (run.stderr() != null && run.stderr().truncated()) {
            err.println("(stderr truncated at " + run.stderr().bytes() + " bytes)");
        }
        err.flush();
    }
}
