package org.miniisolate.cli.commands;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.miniisolate.Box;
import org.miniisolate.Sandbox;
import org.miniisolate.SandboxConfig;
import org.miniisolate.box.BoxState;
import org.miniisolate.cgroup.Controller;
import org.miniisolate.cgroup.Home;
import org.miniisolate.config.ConfigFile;
import org.miniisolate.config.ConfigValues;

/**
 * The sandbox installation a subcommand works on: the configuration file ({@value ConfigFile#ENVIRONMENT_VARIABLE}
 * or /etc/mini-isolate.conf), with {@value #BOX_ROOT_VARIABLE} as the box root when the file does not set one, and
 * the warnings of this invocation, each said once.
 */
final class Installation implements AutoCloseable {
    /** Where boxes live when the configuration file does not say (also read by the isolate-style flags). */
    static final String BOX_ROOT_VARIABLE = "MINI_ISOLATE_BOX_ROOT";

    private final Sandbox sandbox;
    private final ConfigValues values;
    private final PrintWriter err;
    private final Set<String> warned = new LinkedHashSet<>();

    private Installation(Sandbox sandbox, ConfigValues values, PrintWriter err) {
        this.sandbox = sandbox;
        this.values = values;
        this.err = err;
    }

    /** The configuration file's values; an unreadable or wrong file is an error. */
    static ConfigValues values(Map<String, String> env) {
        return ConfigFile.load(null, env);
    }

    static SandboxConfig config(ConfigValues values, Map<String, String> env) {
        String root = env.get(BOX_ROOT_VARIABLE);
        Path override = null;
        if (root != null && !root.isEmpty()) {
            override = Path.of(root);
            if (!override.isAbsolute()) {
                throw new IllegalArgumentException(BOX_ROOT_VARIABLE + " must be an absolute path, not '" + root + "'");
            }
        }
        return SandboxConfig.from(values, override);
    }

    /** Opens the installation (needs root). Cgroup warnings go to {@code err}, once each. */
    static Installation open(Map<String, String> env, PrintWriter err) {
        ConfigValues values = values(env);
        Installation inst = new Installation(Sandbox.open(config(values, env)), values, err);
        inst.sandbox.cgroups().onWarning(w -> inst.warn(w.message()));
        return inst;
    }

    Sandbox sandbox() {
        return sandbox;
    }

    /** Box {@code id}, waiting for its lock if asked. */
    Box box(BoxOptions o) {
        Box box = sandbox.box(o.boxId);
        return o.waitForLock ? box.waitingForLock() : box;
    }

    /** Prints "mini-isolate: warning: MESSAGE" on stderr, unless this invocation already said it. */
    void warn(String message) {
        if (warned.add(message)) {
            err.println("mini-isolate: warning: " + message);
            err.flush();
        }
    }

    /** What a run's plan needs to know about box {@code box} and this machine. */
    RunPlan.Machine machineFor(Box box, BoxState state) {
        Home memory = sandbox.cgroups().layout().home(Controller.MEMORY);
        return new RunPlan.Machine(state.cgroups(), memory instanceof Home.Usable,
                memory instanceof Home.Missing m ? m.reason() : null,
                values.boxCpus().get(box.id()), values.boxMems().get(box.id()), syscalls());
    }

    /** The system call policy of the configuration ({@code syscall_flags}), or the default. */
    org.miniisolate.seccomp.SyscallPolicy syscalls() {
        return values.syscallFlags().isPresent()
                ? org.miniisolate.seccomp.SyscallPolicy.isolate(values.syscallFlags().getAsInt())
                : org.miniisolate.seccomp.SyscallPolicy.DEFAULT;
    }

    @Override
    public void close() {
        sandbox.close();
    }
}
