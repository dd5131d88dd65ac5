package org.miniisolate.cli.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Host processes running as a box's uid, read from /proc: a box left behind shows up here. */
final class BoxProcesses {
    private BoxProcesses() {
    }

    /** How many host processes have {@code uid} as their real uid. */
    static int count(int uid) {
        int n = 0;
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path p : procs) {
                if (p.getFileName().toString().chars().allMatch(Character::isDigit) && realUid(p) == uid) {
                    n++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return n;
    }

    /** Polls until {@code uid} has a process (true) or the timeout passes (false). */
    static boolean awaitSome(int uid, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count(uid) == 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** Polls until {@code uid} has no process left; returns how many are still there at the timeout. */
    static int awaitNone(int uid, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int n = count(uid);
        while (n > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
            n = count(uid);
        }
        return n;
    }

    private static int realUid(Path proc) {
        try {
            for (String line : Files.readAllLines(proc.resolve("status"))) {
                if (line.startsWith("Uid:")) {
                    return Integer.parseInt(line.substring(4).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException gone) {
            // The process ended while we looked.
        }
        return -1;
    }
}
