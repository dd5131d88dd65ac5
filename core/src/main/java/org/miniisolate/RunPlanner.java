package org.miniisolate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.miniisolate.box.BoxIdentity;
import org.miniisolate.box.BoxLayout;
import org.miniisolate.cgroup.BoxCgroup;
import org.miniisolate.fs.RootPlan;
import org.miniisolate.launch.LaunchSpec;
import org.miniisolate.launch.Rlimit;
import org.miniisolate.launch.Rlimit.Resource;
import org.miniisolate.spec.Limits;
import org.miniisolate.spec.RunSpec;

/** Decides everything the launcher will do for one run: the policy side of a {@link LaunchSpec}. */
final class RunPlanner {
    private RunPlanner() {}

    /**
     * @param cgroup the run's box cgroups in cgroup mode, else null: the program enters each
     *               hierarchy's cgroup.procs, and pids.max replaces the per-uid process rlimit
     * @param seccompBpf the run's system call filter, compiled from {@code run.syscalls()}; null for none
     * @param caller who asked for the run: bind sources are looked up as this user unless it is root
     * @param rootless the caller is not root: the box gets a user namespace mapping its ids to the caller's
     */
    static LaunchSpec plan(RunSpec run, int boxId, BoxLayout layout, BoxIdentity identity, RootPlan root, BoxCgroup cgroup,
                           byte[] seccompBpf, LaunchSpec.Identity caller, boolean rootless) {
        List<String> env = new ArrayList<>();
        for (Map.Entry<String, String> e : run.environment().entrySet()) {
            env.add(e.getKey() + "=" + e.getValue());
        }
        return new LaunchSpec(
                layout.rootMountPoint().toString(),
                root.mounts(),
                root.symlinks(),
                "box-" + boxId,
                identity.uid(),
                identity.gid(),
                "/box",
                run.chdir(),
                rlimits(run.limits(), cgroup != null && cgroup.limitsProcesses(), rootless),
                env,
                run.command().getFirst(),
                run.command(),
                run.io().stdin(),
                run.io().stdout(),
                run.io().stderr(),
                run.io().stderrToStdout(),
                !run.shareNetwork(),
                run.inheritedFds(),
                seccompBpf,
                cgroup == null ? List.of() : cgroup.procsFiles(),
                caller.uid() == 0 || rootless ? null : caller,
                rootless);
    }

    static List<Rlimit> rlimits(Limits l) {
        return rlimits(l, false, false);
    }

    /**
     * @param processesByCgroup pids.max limits the box's tasks exactly, so RLIMIT_NPROC is lifted
     * @param rootless the box init runs as the box uid in the box's user namespace, where RLIMIT_NPROC
     *                 counts that uid's processes (per user namespace since Linux 5.14): one more for it
     */
    static List<Rlimit> rlimits(Limits l, boolean processesByCgroup, boolean rootless) {
        List<Rlimit> r = new ArrayList<>();
        r.add(kib(Resource.AS, l.addressSpaceKib()));
        r.add(kib(Resource.STACK, l.stackKib()));
        r.add(kib(Resource.FSIZE, l.fileSizeKib()));
        r.add(Rlimit.of(Resource.CORE, l.coreKib() * 1024));
        r.add(Rlimit.of(Resource.MEMLOCK, 0));
        if (l.openFiles() > 0) {
            r.add(Rlimit.of(Resource.NOFILE, l.openFiles()));
        }
        if (l.processes() > 0 && !processesByCgroup) {
            r.add(Rlimit.of(Resource.NPROC, l.processes() + (rootless ? 1 : 0)));
        }
        // Otherwise the caller's limit stays, as in isolate: lifting it to infinity needs CAP_SYS_RESOURCE,
        // which root in a container often lacks (every run would fail with EPERM).
        if (l.hasCpuLimit() || !l.extraTime().isZero()) {
            // A kernel backstop only: the watchdog kills at the limit, this catches a stalled watchdog.
            long seconds = (l.cpuKillThreshold().toMillis() + 999) / 1000 + 1;
            r.add(new Rlimit(Resource.CPU, seconds, seconds + 1));
        }
        return r;
    }

    private static Rlimit kib(Resource resource, long kib) {
        return Rlimit.of(resource, kib == 0 ? Rlimit.INFINITY : kib * 1024);
    }
}
