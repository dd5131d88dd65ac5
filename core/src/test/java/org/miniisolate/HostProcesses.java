package org.miniisolate;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The host's view of processes, read from /proc as the test JVM sees it. */
public final class HostProcesses {
    private HostProcesses() {}

    /** Host pids whose real, effective, saved or filesystem uid is {@code uid} (zombies included). */
    public static List<Integer> withUid(int uid) {
        List<Integer> pids = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path p : procs) {
                String status;
                try {
                    status = Files.readString(p.resolve("status"));
                } catch (IOException gone) {
                    continue;
                }
                for (String line : status.split("\n")) {
                    if (line.startsWith("Uid:")) {
                        for (String id : line.substring(4).trim().split("\\s+")) {
                            if (Integer.parseInt(id) == uid) {
                                pids.add(Integer.parseInt(p.getFileName().toString()));
                                break;
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return pids;
    }

    /** Polls until no process of {@code uid} is left; returns those still there at the deadline. */
    public static List<Integer> awaitNoneWithUid(int uid, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Integer> left = withUid(uid);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            left = withUid(uid);
        }
        return left;
    }

    /** Polls until some process of {@code uid} exists; false at the deadline. */
    public static boolean awaitSomeWithUid(int uid, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (withUid(uid).isEmpty()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
