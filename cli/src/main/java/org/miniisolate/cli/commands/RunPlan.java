package org.miniisolate.cli.commands;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.miniisolate.seccomp.SyscallPolicy;
import org.miniisolate.spec.CgroupLimits;
import org.miniisolate.spec.DirRule;
import org.miniisolate.spec.Io;
import org.miniisolate.spec.Limits;
import org.miniisolate.spec.RunSpec;

/**
 * Turns the subcommands' resource settings into a {@link RunSpec} for a box: where the memory limit is enforced
 * depends on the box and the machine, so that decision, and the warning it may need, live here (pure, testable).
 *
 * @param spec     the run
 * @param memory   how {@code --max-memory} is enforced
 * @param warnings what the caller must be told once (degradations)
 */
record RunPlan(RunSpec spec, Memory memory, List<String> warnings) {

    /** Where the memory limit of a run is enforced. */
    enum Memory {
        /** No memory limit. */
        NONE,
        /** The box's cgroup: all its processes together, page cache included; an excess is an OOM kill. */
        CGROUP,
        /** RLIMIT_AS per process: counts reserved address space, not use. */
        ADDRESS_SPACE;

        /** As the JSON result names it. */
        String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * The machine and box facts the plan depends on.
     *
     * @param boxCgroupMode      the box was initialized for cgroup mode (the subcommands' init does that); runs must match
     * @param memoryController   the cgroup memory controller is usable on this machine
     * @param memoryMissingWhy   why it is not (for the warning), when it is not
     * @param cpuset             the box's CPUs and memory nodes from the configuration, or null
     * @param cpusetMems         the box's memory nodes, or null
     * @param syscalls           the system call filter of the installation
     */
    record Machine(boolean boxCgroupMode, boolean memoryController, String memoryMissingWhy, String cpuset,
                   String cpusetMems, SyscallPolicy syscalls) {
    }

    /**
     * @param command      program and arguments
     * @param r            effective settings ({@link Resources#effective()}): nothing null
     * @param outputToFile stdout or stderr go to files (capture): they then count against the file-size limit,
     *                     which also stops a program at {@code r.outputKib()}
     */
    static RunPlan of(List<String> command, Resources r, boolean outputToFile, Machine machine, Io io,
                      Map<String, String> environment, List<DirRule> dirs) {
        List<String> warnings = new ArrayList<>();
        long fileSize = r.fileSizeKib();
        if (outputToFile && r.outputKib() > 0) {
            fileSize = fileSize == 0 ? r.outputKib() : Math.min(fileSize, r.outputKib());
        }
        Limits limits = Limits.DEFAULTS.withCpuTime(r.cpu()).withWallTime(r.wall()).withProcesses(r.processes())
                .withFileSizeKib(fileSize);
        CgroupLimits cgroups = null;
        Memory memory = Memory.NONE;
        if (machine.boxCgroupMode()) {
            cgroups = CgroupLimits.DEFAULTS;
            if (machine.cpuset() != null || machine.cpusetMems() != null) {
                cgroups = cgroups.withCpuset(machine.cpuset(), machine.cpusetMems());
            }
        }
        if (r.memoryKib() > 0) {
            if (machine.boxCgroupMode() && machine.memoryController()) {
                cgroups = cgroups.withMemoryKib(r.memoryKib());
                memory = Memory.CGROUP;
            } else {
                limits = limits.withAddressSpaceKib(r.memoryKib());
                memory = Memory.ADDRESS_SPACE;
                String why = !machine.boxCgroupMode()
                        ? "this box was initialized without cgroups (by the isolate-style --init)"
                        : "the cgroup memory controller is not available (" + machine.memoryMissingWhy() + ")";
                warnings.add("--max-memory is enforced as an address-space limit per process (RLIMIT_AS), because " + why
                        + ": it counts reserved virtual memory rather than use, and peak memory is the largest process's RSS."
                        + " See `mini-isolate check`.");
            }
        }
        RunSpec spec = RunSpec.of(command).limits(limits).io(io).environment(environment).dirs(dirs)
                .shareNetwork(r.network()).cgroups(cgroups).syscalls(machine.syscalls()).build();
        return new RunPlan(spec, memory, List.copyOf(warnings));
    }
}
