package org.miniisolate.launch;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What the launcher said about one run, in the order it said it. The keeper reports the box
 * init's pid and, at the end, the init's own wait status and rusage; the box init reports when
 * the program started and how it ended; any step may report a failure.
 */
public final class LauncherReport {
    /** rusage and wait status as one record carries them; times in nanoseconds. */
    public record Usage(int waitStatus, long endNanos, long userNanos, long systemNanos,
                        long maxRssKib, long voluntarySwitches, long involuntarySwitches) {
        public long cpuNanos() {
            return userNanos + systemNanos;
        }
    }

    /** A step that failed, the errno it left, and which item (mount, rlimit) it was on. */
    public record Failure(Stage stage, int errno, int index) {}

    private int initPid = -1;
    private long startNanos = -1;
    private long setupCpuNanos;
    private Failure failure;
    private Usage program;
    private Usage keeper;
    private int keeperExitStatus = -1;
    private boolean ready;

    void accept(java.nio.ByteBuffer record) {
        int type = record.getInt(0);
        int stage = record.getInt(4);
        int err = record.getInt(8);
        int index = record.getInt(12);
        long[] v = new long[8];
        for (int i = 0; i < 8; i++) {
            v[i] = record.getLong(16 + 8 * i);
        }
        switch (type) {
            case Protocol.R_INIT_PID -> initPid = (int) v[0];
            case Protocol.R_STARTED -> {
                startNanos = v[0];
                setupCpuNanos = v[1];
            }
            // The first failure is the cause; later ones are consequences.
            case Protocol.R_FAILED -> failure = failure != null ? failure : new Failure(Stage.of(stage), err, index);
            case Protocol.R_EXITED -> program = usage(v);
            case Protocol.R_KEEPER_DONE -> keeper = usage(v);
            case Protocol.R_READY -> ready = true;
            default -> throw new IllegalStateException("launcher sent unknown record type " + type);
        }
    }

    private static Usage usage(long[] v) {
        return new Usage((int) v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
    }

    /** A warm box's run report starts knowing the box's PID 1. */
    void initPid(int pid) {
        initPid = pid;
    }

    /** A warm box said it is clean again and waits for the next run. */
    boolean ready() {
        return ready;
    }

    void keeperExited(int status) {
        keeperExitStatus = status;
    }

    /** Host pid of the box's PID 1, once the keeper has cloned it. */
    public OptionalInt initPid() {
        return initPid > 0 ? OptionalInt.of(initPid) : OptionalInt.empty();
    }

    /** CLOCK_MONOTONIC (as {@link System#nanoTime()}) just before the program was forked. */
    public OptionalLong startNanos() {
        return startNanos >= 0 ? OptionalLong.of(startNanos) : OptionalLong.empty();
    }

    /** CPU the box init spent building the box; not the program's. */
    public long setupCpuNanos() {
        return setupCpuNanos;
    }

    public Optional<Failure> failure() {
        return Optional.ofNullable(failure);
    }

    /** How the program ended and the rusage of everything the box init reaped. */
    public Optional<Usage> program() {
        return Optional.ofNullable(program);
    }

    /** The keeper's wait4 on the box init: covers the whole box, setup included. */
    public Optional<Usage> keeper() {
        return Optional.ofNullable(keeper);
    }

    /** Raw wait status of the launcher itself; -1 until reaped. */
    public int keeperExitStatus() {
        return keeperExitStatus;
    }
}
