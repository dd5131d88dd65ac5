package org.miniisolate.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.miniisolate.seccomp.SyscallPolicy;

/**
 * One program to run in a box, validated once here.
 *
 * @param command      program and arguments; the program is exec'd as given, without a PATH
 *                     search, relative to /box when it has no slash
 * @param limits       resource limits
 * @param io           standard stream redirections
 * @param environment  the program's whole environment, in order
 * @param dirs         the box's directory layout, in mount order
 * @param chdir        working directory to change to right before exec (relative to /box); null for /box
 * @param shareNetwork run in the host's network namespace instead of a private one
 * @param inheritedFds descriptors above 2 that the program inherits from the caller
 * @param cgroups      cgroup mode (isolate's --cg) with its limits; null runs without cgroups
 * @param syscalls     the system calls the program may not make (isolate's syscall_flags);
 *                     {@link SyscallPolicy#DEFAULT} unless set
 * @param keepSpecialFiles leave the symlinks, FIFOs, sockets and devices the program made in the
 *                     box when handing it back (isolate's --special-files); deleted otherwise
 */
public record RunSpec(
        List<String> command,
        Limits limits,
        Io io,
        Map<String, String> environment,
        List<DirRule> dirs,
        String chdir,
        boolean shareNetwork,
        List<Integer> inheritedFds,
        CgroupLimits cgroups,
        SyscallPolicy syscalls,
        boolean keepSpecialFiles) {

    public RunSpec {
        command = List.copyOf(command);
        if (command.isEmpty() || command.getFirst().isEmpty()) {
            throw new IllegalArgumentException("a run needs a program to execute");
        }
        Objects.requireNonNull(limits);
        Objects.requireNonNull(io);
        environment = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        for (var e : environment.entrySet()) {
            if (e.getKey().isEmpty() || e.getKey().contains("=")) {
                throw new IllegalArgumentException("invalid environment variable name '" + e.getKey() + "'");
            }
        }
        dirs = List.copyOf(dirs);
        if (chdir != null && chdir.isEmpty()) {
            throw new IllegalArgumentException("chdir needs a directory");
        }
        Objects.requireNonNull(syscalls, "syscalls: use SyscallPolicy.OFF for no filter");
        inheritedFds = List.copyOf(inheritedFds);
        for (int fd : inheritedFds) {
            if (fd < 3) {
                throw new IllegalArgumentException("inherited descriptor " + fd + " is one of the standard streams");
            }
        }
    }

    /** As before cgroup mode existed: a run without cgroups. */
    public RunSpec(List<String> command, Limits limits, Io io, Map<String, String> environment, List<DirRule> dirs,
                   String chdir, boolean shareNetwork, List<Integer> inheritedFds) {
        this(command, limits, io, environment, dirs, chdir, shareNetwork, inheritedFds, null, SyscallPolicy.DEFAULT, false);
    }

    /** True when the run uses cgroups (isolate's --cg). */
    public boolean cgroupMode() {
        return cgroups != null;
    }

    /** A run of {@code command} with isolate's defaults. */
    public static Builder of(String... command) {
        return new Builder(List.of(command));
    }

    public static Builder of(List<String> command) {
        return new Builder(command);
    }

    /** Builds a {@link RunSpec}; starts from isolate's defaults. */
    public static final class Builder {
        private final List<String> command;
        private Limits limits = Limits.DEFAULTS;
        private Io io = Io.INHERIT;
        private Map<String, String> environment = EnvRules.resolve(List.of(), false, Map.of());
        private List<DirRule> dirs = DirRules.defaults();
        private String chdir;
        private boolean shareNetwork;
        private List<Integer> inheritedFds = List.of();
        private CgroupLimits cgroups;
        private SyscallPolicy syscalls = SyscallPolicy.DEFAULT;
        private boolean keepSpecialFiles;

        private Builder(List<String> command) {
            this.command = new ArrayList<>(command);
        }

        public Builder limits(Limits limits) {
            this.limits = limits;
            return this;
        }

        public Builder io(Io io) {
            this.io = io;
            return this;
        }

        public Builder environment(Map<String, String> environment) {
            this.environment = environment;
            return this;
        }

        public Builder dirs(List<DirRule> dirs) {
            this.dirs = dirs;
            return this;
        }

        public Builder chdir(String chdir) {
            this.chdir = chdir;
            return this;
        }

        public Builder shareNetwork(boolean shareNetwork) {
            this.shareNetwork = shareNetwork;
            return this;
        }

        public Builder inheritedFds(List<Integer> fds) {
            this.inheritedFds = fds;
            return this;
        }

        /** Cgroup mode with these limits (isolate's --cg, --cg-mem); null for none, the default. */
        public Builder cgroups(CgroupLimits cgroups) {
            this.cgroups = cgroups;
            return this;
        }

        /**
         * The system call filter: {@code SyscallPolicy.isolate(flags)} for isolate's
         * {@code --syscalls=FLAGS} or {@code syscall_flags}, {@link SyscallPolicy#OFF} for none.
         */
        public Builder syscalls(SyscallPolicy syscalls) {
            this.syscalls = syscalls;
            return this;
        }

        /** Keep the special files the program makes (isolate's --special-files). */
        public Builder keepSpecialFiles(boolean keep) {
            this.keepSpecialFiles = keep;
            return this;
        }

        public RunSpec build() {
            return new RunSpec(command, limits, io, environment, dirs, chdir, shareNetwork, inheritedFds, cgroups, syscalls,
                    keepSpecialFiles);
        }
    }
}
