package org.miniisolate.watch;

/** Why the sandbox ended a run before the program did. */
public enum KillReason {
    CPU_TIME,
    WALL_TIME,
    INTERRUPTED
}
