package org.miniisolate.cli.isolate;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

import org.miniisolate.Box;
import org.miniisolate.Sandbox;
import org.miniisolate.SandboxException;
import org.miniisolate.cgroup.Cgroups;
import org.miniisolate.config.ConfigException;
import org.miniisolate.spec.DirRule;

/**
 * The isolate-compatible command line: parses the options, opens the meta-file, runs the one command with the core
 * API and turns every outcome into isolate's output and exit status.
 *
 * <p>Errors a user can cause (bad options, a box never initialized, an unusable path) end as one line on stderr,
 * never as a stack trace: usage errors as isolate prints them, everything else as an internal error (XX), which is
 * also written to the meta-file.
 */
public final class IsolateMain {

    private IsolateMain() {
    }

    /** Runs one invocation with this process's environment and standard streams; returns the exit status. */
    public static int run(String[] args) {
        // The FFM linker's start overlaps with everything up to the box hand-over, the first native call (see Libc).
        org.miniisolate.nativeio.Libc.linkInBackground();
        return run(args, System.getenv(), System.out, System.err);
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        IsolateOptions o;
        List<DirRule> dirs;
        try {
            o = IsolateCommandLine.parse(args);
            String unsupported = UnsupportedOptions.find(o);
            if (unsupported != null) {
                err.println(UnsupportedOptions.message(unsupported));
                return IsolateExit.INTERNAL_ERROR;
            }
            // Part of checking the command line, as in isolate: a bad -d rule is a usage error for any command.
            dirs = IsolateRunSpec.dirs(o);
        } catch (UsageException e) {
            return usageError(e, out, err);
        }

        MetaFile meta;
        try {
            meta = MetaFileOpener.open(o.metaPath());
        } catch (IOException e) {
            err.println(MetaFileOpener.failure(o.metaPath()));
            return IsolateExit.INTERNAL_ERROR;
        }
        int status;
        try {
            status = execute(o, dirs, env, out, err, meta);
        } finally {
            out.flush();
        }
        try {
            meta.close();
        } catch (IOException e) {
            err.println("Cannot write the meta-file: " + e.getMessage());
            status = IsolateExit.INTERNAL_ERROR;
        }
        err.flush();
        return status;
    }

    private static int execute(IsolateOptions o, List<DirRule> dirs, Map<String, String> env, PrintStream out,
            PrintStream err, MetaFile meta) {
        RunReport report = new RunReport(meta, err, o.silent() > 0);
        try {
            try {
                return command(o, dirs, env, out, err, report);
            } catch (SandboxException | ConfigException | IllegalArgumentException e) {
                return report.internalError(e.getMessage());
            } catch (RuntimeException e) {
                // A bug, not a user error: say so, and give the details to whoever asks for them.
                if (o.verbose() > 0) {
                    e.printStackTrace(err);
                }
                return report.internalError("Internal error in mini-isolate: " + e
                        + (o.verbose() > 0 ? "" : " (run with -v for details)"));
            }
        } catch (IOException e) {
            err.println("Cannot write the meta-file: " + e.getMessage());
            return IsolateExit.INTERNAL_ERROR;
        }
    }

    private static int command(IsolateOptions o, List<DirRule> dirs, Map<String, String> env, PrintStream out,
            PrintStream err, RunReport report) throws IOException {
        if (o.command() == IsolateOptions.Command.VERSION) {
            // Before the configuration: --version must work whatever the file says.
            out.print(VersionText.text());
            return IsolateExit.OK;
        }
        Installation installation = Installation.load(o, env).ownedBy(ActingUser.of(o));
        if (o.command() == IsolateOptions.Command.CHECK_CONFIG) {
            // Needs no root and touches nothing: reading the file without error was the check.
            return CheckConfigCommand.run(installation, o.verbose(), out);
        }
        try (Sandbox sandbox = Sandbox.open(installation.config())) {
            // Warnings about what cgroup mode cannot enforce here go with the other messages, never on stdout.
            sandbox.cgroups().onWarning(Cgroups.printingTo(err));
            if (o.command() == IsolateOptions.Command.PRINT_CG_ROOT) {
                return PrintCgRootCommand.run(sandbox.cgroups(), out, report);
            }
            Box box = sandbox.box(o.boxId());
            if (o.waitForLock()) {
                box = box.waitingForLock();
            }
            switch (o.command()) {
                case INIT -> {
                    return InitCommand.run(box, o, sandbox.config().ownerUid(), StrictMode.requested(env), out);
                }
                case RUN -> {
                    return RunCommand.run(sandbox, box, o, dirs, env, installation.values(), report, err);
                }
                case CLEANUP -> {
                    return CleanupCommand.run(box, o.cg(), o.verbose() > 0, err);
                }
                default -> throw new IllegalStateException("command not dispatched: " + o.command());
            }
        }
    }

    /** isolate's way: the message on stderr, then the whole usage on stdout or a hint on stderr. */
    private static int usageError(UsageException e, PrintStream out, PrintStream err) {
        err.println(e.getMessage());
        if (e.printUsage()) {
            out.print(UsageText.text(IsolateCommandLine.PROGRAM_NAME));
            out.flush();
        } else {
            err.println(UsageText.hint(IsolateCommandLine.PROGRAM_NAME));
        }
        err.flush();
        return UsageException.EXIT_CODE;
    }
}
