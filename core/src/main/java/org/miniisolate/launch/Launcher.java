package org.miniisolate.launch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.miniisolate.nativeio.Libc;

/**
 * Starts the native launcher for a {@link LaunchSpec}.
 *
 * <p>The spec travels in a memfd and the status comes back on a pipe, both passed as numbered
 * descriptors, so the program still inherits the caller's own stdin, stdout and stderr.
 *
 * <p>Every spawn happens on one long-lived platform thread: the launcher arms PR_SET_PDEATHSIG,
 * which fires when the <em>thread</em> that forked it ends, not the process. Spawning from the
 * caller's thread would kill a box whose caller was, say, a pool thread retired mid-run.
 *
 * <p>After its first run, the launcher keeps the next one started and waiting for its spec on a
 * pipe ({@link WaitingLauncher}), with a fresh network namespace when one is ready, so a run
 * usually costs a pipe write on the caller's thread instead of a spawn. A process that runs one
 * box (the CLI) never starts one it would not use.
 */
public final class Launcher implements AutoCloseable {
    private final Path binary;
    private final NetNamespaceSupply netNamespaces;
    private final Object waitingLock = new Object();
    private WaitingLauncher waiting; // guarded by waitingLock, as are the two below
    private boolean starting;
    private boolean closed;
    private boolean launchedBefore; // so a process that launches one box (the CLI) prepares nothing for a second
    private final ExecutorService spawner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "mini-isolate-spawner");
        t.setDaemon(true);
        return t;
    });

    public Launcher(Path binary) {
        this.binary = binary;
        this.netNamespaces = new NetNamespaceSupply(2);
    }

    public Path binary() {
        return binary;
    }

    /**
     * A box that gets a network namespace of its own joins one made ahead of time, if one is ready:
     * the box runs as root's, in the host's user namespace, which owns that namespace.
     */
    public RunningBox start(LaunchSpec spec) {
        boolean ahead = prepareAhead();
        // A launcher started earlier has only the descriptors of then: a run passing the caller's own
        // (isolate's --inherit-fds) gets a launcher of its own.
        if (ahead && spec.keepFds().isEmpty()) {
            WaitingLauncher w = takeWaiting();
            if (w != null) {
                startNextAhead();
                RunningBox box = handOver(w, spec);
                if (box != null) {
                    return box;
                }
            }
        }
        int netNs = ahead && joinsPreparedNetwork(spec) ? netNamespaces.take() : -1;
        byte[] encoded;
        try {
            encoded = SpecEncoder.encode(spec, false, netNs);
        } catch (RuntimeException e) {
            Libc.close(netNs);
            throw e;
        }
        RunningBox box = startEncoded(encoded, netNs);
        if (ahead) {
            startNextAhead(); // after our own spawn, which would otherwise queue behind it on the spawner
        }
        return box;
    }

    /**
     * Whether the box may join a network namespace made ahead: it wants one of its own, and it stays
     * in the initial user namespace, which owns the prepared ones (a box in a user namespace of its
     * own could not join them: exclude such specs here).
     */
    private static boolean joinsPreparedNetwork(LaunchSpec spec) {
        return spec.newNetwork() && !spec.userNamespace();
    }

    private static RunningBox handOver(WaitingLauncher w, LaunchSpec spec) {
        byte[] encoded;
        try {
            encoded = SpecEncoder.encode(spec, false, joinsPreparedNetwork(spec) ? w.netNs() : -1);
        } catch (RuntimeException e) {
            w.discard();
            throw e;
        }
        return w.hand(encoded);
    }

    /** The pid of the launcher waiting for a spec, -1 for none (for tests). */
    int waitingPid() {
        synchronized (waitingLock) {
            return waiting == null ? -1 : waiting.pid();
        }
    }

    /** False for the first launch of this launcher, true from the second on. */
    private boolean prepareAhead() {
        synchronized (waitingLock) {
            boolean before = launchedBefore;
            launchedBefore = true;
            return before;
        }
    }

    /**
     * The launcher waiting for a spec, if there is one. One being started is waited for: a spawn of
     * our own would queue behind it on the spawner thread anyway (concurrent runs).
     */
    private WaitingLauncher takeWaiting() {
        synchronized (waitingLock) {
            while (waiting == null && starting && !closed) {
                try {
                    waitingLock.wait();
                } catch (InterruptedException e) {
                    // Restored: the run goes on and the watchdog stops it, as for an interrupted spawn.
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            WaitingLauncher w = waiting;
            waiting = null;
            return w;
        }
    }

    /** Has the spawner start the next launcher to wait, unless one waits or is being started. */
    private void startNextAhead() {
        synchronized (waitingLock) {
            if (!closed && !starting && waiting == null) {
                starting = true;
                try {
                    spawner.execute(this::startWaiting);
                } catch (RuntimeException e) {
                    starting = false; // shut down: runs spawn their own
                }
            }
        }
    }

    /** On the spawner thread: the next launcher, left waiting for its spec. */
    private void startWaiting() {
        WaitingLauncher w = null;
        try {
            w = spawnWaiting();
        } catch (RuntimeException e) {
            // Nothing waits; the next run spawns its own launcher as before, and tries again.
        }
        synchronized (waitingLock) {
            starting = false;
            waitingLock.notifyAll();
            if (w != null && !closed) {
                waiting = w;
                return;
            }
        }
        if (w != null) {
            w.discard();
        }
    }

    private WaitingLauncher spawnWaiting() {
        int netNs = netNamespaces.take();
        int[] spec = null;
        int[] status = null;
        try {
            spec = Libc.pipe(true);
            Libc.setInheritable(spec[0]);
            status = Libc.pipe(false);
            Libc.setCloseOnExec(status[0]);
            if (netNs >= 0) {
                Libc.setInheritable(netNs);
            }
            int pid = spawnLauncher(spec[0], status[1], -1);
            WaitingLauncher w = new WaitingLauncher(pid, spec[1], status[0], netNs);
            spec[1] = -1;
            status[0] = -1;
            return w;
        } finally {
            // The launcher has its own copies now; the namespace is its alone.
            Libc.close(netNs);
            for (int[] p : new int[][] {spec, status}) {
                if (p != null) {
                    Libc.close(p[0]);
                    Libc.close(p[1]);
                }
            }
        }
    }

    /** Starts the launcher with spec bytes as given; tests use it to feed malformed specs. */
    RunningBox startEncoded(byte[] encoded) {
        return startEncoded(encoded, -1);
    }

    /** @param netNs a network namespace the spec names, handed to this launch alone and closed here; -1 for none */
    RunningBox startEncoded(byte[] encoded, int netNs) {
        Future<RunningBox> f;
        try {
            f = spawner.submit(() -> spawn(encoded, netNs));
        } catch (RuntimeException e) {
            Libc.close(netNs);
            throw e;
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    // The spawn goes on without us: giving up here would leave its box running with nobody to
                    // stop it. Wait for it; the interruption is restored below, so the watchdog stops the box.
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private RunningBox spawn(byte[] encoded, int netNs) {
        int specFd = -1;
        int[] status = null;
        try {
            specFd = Libc.memfdWith("mini-isolate-spec", encoded);
            status = Libc.pipe(false);
            Libc.setCloseOnExec(status[0]);
            if (netNs >= 0) {
                // Inheritable only on this thread, for this one spawn; closed below either way.
                Libc.setInheritable(netNs);
            }
            int pid = spawnLauncher(specFd, status[1], -1);
            RunningBox box = new RunningBox(pid, status[0]);
            status[0] = -1;
            return box;
        } finally {
            Libc.close(netNs);
            Libc.close(specFd);
            if (status != null) {
                Libc.close(status[1]);
                Libc.close(status[0]);
            }
        }
    }

    /** {@code mini-isolate-launcher SPEC_FD STATUS_FD PARENT_PID [CONTROL_FD]}: call on the spawner thread only. */
    private int spawnLauncher(int specFd, int statusFd, int controlFd) {
        List<String> argv = new ArrayList<>(List.of("mini-isolate-launcher", Integer.toString(specFd),
                Integer.toString(statusFd), Long.toString(ProcessHandle.current().pid())));
        if (controlFd >= 0) {
            argv.add(Integer.toString(controlFd));
        }
        return Libc.spawn(binary.toString(), argv);
    }

    /**
     * Starts a warm box for {@code spec}'s mounts, ids and namespaces (its program part is not
     * used); runs then come one by one through {@link WarmBox#start}. The spec's cgroup files are
     * directories here: each run's cgroup files must lie beneath one of them. Null if it died while
     * being built: the launcher's report is lost with it, so build a fresh box to see why.
     */
    public WarmBox startWarm(LaunchSpec spec) {
        byte[] encoded = SpecEncoder.encode(spec, true);
        Future<WarmBox> f = spawner.submit(() -> spawnWarm(encoded));
        WarmBox box;
        try {
            box = f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting a warm box", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        if (!box.awaitInit()) {
            box.close();
            return null;
        }
        return box;
    }

    private WarmBox spawnWarm(byte[] encoded) {
        int specFd = Libc.memfdWith("mini-isolate-spec", encoded);
        int[] status = null;
        int[] control = null;
        try {
            status = Libc.pipe(false);
            Libc.setCloseOnExec(status[0]);
            control = Libc.pipe(false);
            Libc.setCloseOnExec(control[1]);
            int pid = spawnLauncher(specFd, status[1], control[0]);
            WarmBox box = new WarmBox(pid, status[0], control[1]);
            status[0] = -1;
            control[1] = -1;
            return box;
        } finally {
            Libc.close(specFd);
            if (status != null) {
                Libc.close(status[1]);
                Libc.close(status[0]);
            }
            if (control != null) {
                Libc.close(control[0]);
                Libc.close(control[1]);
            }
        }
    }

    /** Ends the spawner thread (launchers it started die with it: PDEATHSIG) and closes the namespaces made ahead. */
    @Override
    public void close() {
        WaitingLauncher w;
        synchronized (waitingLock) {
            closed = true;
            w = waiting;
            waiting = null;
            waitingLock.notifyAll();
        }
        if (w != null) {
            w.discard();
        }
        spawner.shutdownNow();
        netNamespaces.close();
    }
}
