package org.miniisolate.cli.commands;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The file locks held on this machine, from /proc/locks: whether a box's lock file is locked, without taking the
 * lock (taking it, even briefly, could make a concurrent command fail with "in use").
 */
final class ProcLocks {
    /** One held lock: device and inode of the file, and the holder. */
    record Held(long major, long minor, long inode, long pid) {
    }

    private final List<Held> held;

    ProcLocks(List<Held> held) {
        this.held = List.copyOf(held);
    }

    static ProcLocks read() {
        try {
            return parse(Files.readString(Path.of("/proc/locks")));
        } catch (IOException e) {
            return new ProcLocks(List.of());
        }
    }

    /**
     * Parses lines such as {@code 1: POSIX  ADVISORY  WRITE 1234 00:1f:5678 0 EOF}; waiting requests
     * ({@code 1: -> POSIX ...}) are not held and are skipped.
     */
    static ProcLocks parse(String text) {
        List<Held> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 6 || f[1].equals("->")) {
                continue;
            }
            String[] dev = f[5].split(":");
            if (dev.length != 3) {
                continue;
            }
            try {
                long pid = Long.parseLong(f[4]);
                out.add(new Held(Long.parseLong(dev[0], 16), Long.parseLong(dev[1], 16), Long.parseLong(dev[2]), pid));
            } catch (NumberFormatException e) {
                // not a lock line
            }
        }
        return new ProcLocks(out);
    }

    /** The pid holding a lock on {@code file}, if any. */
    Optional<Long> holderOf(Path file) {
        try {
            long dev = (Long) Files.getAttribute(file, "unix:dev", LinkOption.NOFOLLOW_LINKS);
            long ino = (Long) Files.getAttribute(file, "unix:ino", LinkOption.NOFOLLOW_LINKS);
            // glibc's gnu_dev_major / gnu_dev_minor
            long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
            long minor = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
            return held.stream().filter(h -> h.inode() == ino && h.major() == major && h.minor() == minor)
                    .map(Held::pid).findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
