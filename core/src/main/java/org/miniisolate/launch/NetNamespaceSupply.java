package org.miniisolate.launch;

import java.util.ArrayDeque;
import org.miniisolate.nativeio.Libc;
import org.miniisolate.nativeio.NetNamespace;

/**
 * A few fresh network namespaces, made ahead of time so a run does not wait for one: creating a
 * network namespace is the dearest step of clone, and a box needs a new one every run.
 *
 * <p>One daemon platform thread makes them (unshare moves that thread alone, which then goes
 * back home) and keeps at most {@code capacity} ready, each as a close-on-exec descriptor that
 * only this class holds. {@link #take} hands each out exactly once; the taker passes it to one
 * launch and closes it, so a namespace is never seen by two runs. Nothing was ever in one but the
 * maker thread, for the instant of bringing its loopback up.
 *
 * <p>The thread starts on the first {@link #take}, so a process that launches one box (the CLI)
 * makes none it would not use. When a namespace cannot be made (no CAP_SYS_ADMIN, a namespace
 * limit), the supply stops for good and takers get -1: the launcher then makes the namespace
 * itself in clone, as before.
 */
final class NetNamespaceSupply implements AutoCloseable {
    private final int capacity;
    private final ArrayDeque<Integer> ready = new ArrayDeque<>();
    private Thread maker;
    private boolean closed;

    NetNamespaceSupply(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
    }

    /**
     * A fresh namespace's descriptor, which the caller now owns and must close after one launch;
     * -1 when none is ready (the caller lets the launcher make one).
     */
    synchronized int take() {
        if (closed) {
            return -1;
        }
        if (maker == null) {
            maker = Thread.ofPlatform().daemon().name("mini-isolate-netns").start(this::makeUntilClosed);
        }
        Integer fd = ready.poll();
        notifyAll();
        return fd == null ? -1 : fd;
    }

    private void makeUntilClosed() {
        int home;
        try {
            home = NetNamespace.openCurrent();
        } catch (RuntimeException e) {
            stop();
            return;
        }
        try {
            while (awaitRoom()) {
                int fd = NetNamespace.makeFresh(home);
                if (!offer(fd)) {
                    Libc.close(fd);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // Whatever went wrong (EPERM, ENOSPC from user.max_net_namespaces, a thread stranded
            // elsewhere): no more from here on, runs fall back to clone's own.
        } finally {
            Libc.close(home);
            stop();
        }
    }

    private synchronized boolean awaitRoom() throws InterruptedException {
        while (!closed && ready.size() >= capacity) {
            wait();
        }
        return !closed;
    }

    private synchronized boolean offer(int fd) {
        if (closed) {
            return false;
        }
        ready.add(fd);
        return true;
    }

    /** Closes every namespace not handed out; the maker ends too. */
    private synchronized void stop() {
        closed = true;
        for (Integer fd : ready) {
            Libc.close(fd);
        }
        ready.clear();
        notifyAll();
    }

    /** Stops the maker and closes what it made; waits for it briefly, so no descriptor outlives the supply. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            stop();
            t = maker;
        }
        if (t != null) {
            try {
                t.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
