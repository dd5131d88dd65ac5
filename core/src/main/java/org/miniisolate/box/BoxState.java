package org.miniisolate.box;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a box remembers between commands: who owns it, how it was initialized, and how its last
 * run ended. Kept beside the box's lock (root-only, and outside the box's quota filesystem, which
 * a program may have filled), always replaced whole (written to a temporary file, then renamed)
 * so a reader never sees half a state.
 *
 * @param ownerUid    who gets box/ between runs
 * @param ownerGid    that owner's group
 * @param cgroups     initialized for cgroup mode (--cg); runs must match
 * @param quota       "blocks,inodes" of the box's own filesystem, empty without a quota
 * @param initialized the init completed (a crash mid-init leaves false)
 * @param createdAt   when the box was initialized
 * @param lastRun     one line about the last run ("OK 0.012s" ...), empty before the first
 */
public record BoxState(int ownerUid, int ownerGid, boolean cgroups, String quota, boolean initialized,
                       Instant createdAt, String lastRun) {
    public BoxState {
        quota = quota == null ? "" : quota;
        lastRun = lastRun == null ? "" : lastRun.replace('\n', ' ');
    }

    public BoxState withInitialized(boolean done) {
        return new BoxState(ownerUid, ownerGid, cgroups, quota, done, createdAt, lastRun);
    }

    public BoxState withLastRun(String summary) {
        return new BoxState(ownerUid, ownerGid, cgroups, quota, initialized, createdAt, summary);
    }

    public static Optional<BoxState> read(Path f) {
        String text;
        try {
            text = Files.readString(f, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the box state " + f + ": " + e.getMessage(), e);
        }
        Map<String, String> kv = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                kv.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        try {
            return Optional.of(new BoxState(Integer.parseInt(kv.get("owner.uid")), Integer.parseInt(kv.get("owner.gid")),
                    Boolean.parseBoolean(kv.get("cgroups")), kv.getOrDefault("quota", ""),
                    Boolean.parseBoolean(kv.get("initialized")), parseInstant(kv.get("created")), kv.getOrDefault("last.run", "")));
        } catch (RuntimeException e) {
            throw new IllegalStateException("The box state " + f + " is damaged; run --cleanup and --init again", e);
        }
    }

    public void write(Path f) {
        String text = "owner.uid=" + ownerUid + "\nowner.gid=" + ownerGid + "\ncgroups=" + cgroups + "\nquota=" + quota
                + "\ninitialized=" + initialized + "\ncreated=" + iso(createdAt) + "\nlast.run=" + lastRun + "\n";
        // Named by process and thread rather than by Files.createTempFile, whose random names cost
        // a SecureRandom (about 30 ms of a CLI run). Unique among live writers; the directory is
        // root-only, and a leftover of a dead process with the same pid is simply overwritten.
        Path tmp = f.resolveSibling("." + f.getFileName() + "." + ProcessHandle.current().pid() + "."
                + Thread.currentThread().threadId() + ".tmp");
        try {
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            // Files.write, not a FileChannel: its stream is not interruptible, and a caller interrupted
            // mid-run (the CLI on SIGTERM) must still get its box state recorded.
            Files.write(tmp, text.getBytes(StandardCharsets.UTF_8), StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot record the box state " + f + ": " + e.getMessage(), e);
        }
    }

    /*
     * Instant.toString and Instant.parse go through DateTimeFormatter, whose first use costs about
     * 3 ms of a cold CLI run, and every command reads or writes this file; so do LocalDateTime's
     * conversions (its toInstant initialises the ISO chronology and with it DateTimeFormatterBuilder).
     * These two produce and accept exactly Instant's ISO-8601 form ("2026-11-22T02:50:45.748950451Z":
     * fraction in groups of three digits, none when zero) for years 0000-9999 with plain day
     * arithmetic (proleptic Gregorian, as Instant), and hand anything else to Instant.
     */

    private static final long SECONDS_PER_DAY = 86_400;

    /** {@code t} as {@link Instant#toString()} writes it. */
    public static String iso(Instant t) {
        long days = Math.floorDiv(t.getEpochSecond(), SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(t.getEpochSecond(), SECONDS_PER_DAY);
        int[] ymd = civil(days);
        if (ymd[0] < 0 || ymd[0] > 9999) {
            return t.toString();
        }
        StringBuilder b = new StringBuilder(30);
        pad(b, ymd[0], 4).append('-');
        pad(b, ymd[1], 2).append('-');
        pad(b, ymd[2], 2).append('T');
        pad(b, secondOfDay / 3600, 2).append(':');
        pad(b, secondOfDay / 60 % 60, 2).append(':');
        pad(b, secondOfDay % 60, 2);
        int nano = t.getNano();
        if (nano != 0) {
            b.append('.');
            if (nano % 1_000_000 == 0) {
                pad(b, nano / 1_000_000, 3);
            } else if (nano % 1000 == 0) {
                pad(b, nano / 1000, 6);
            } else {
                pad(b, nano, 9);
            }
        }
        return b.append('Z').toString();
    }

    /** {@code text} as {@link Instant#parse} reads it. */
    static Instant parseInstant(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no created= line");
        }
        int n = text.length();
        if (n < 20 || n > 30 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(n - 1) != 'Z') {
            return Instant.parse(text);
        }
        try {
            int nano = 0;
            if (n > 20) {
                if (text.charAt(19) != '.' || n == 21) {
                    return Instant.parse(text);
                }
                String fraction = text.substring(20, n - 1);
                nano = digits(fraction) * (int) Math.pow(10, 9 - fraction.length());
            }
            int year = digits(text.substring(0, 4));
            int month = digits(text.substring(5, 7));
            int day = digits(text.substring(8, 10));
            int hour = digits(text.substring(11, 13));
            int minute = digits(text.substring(14, 16));
            int second = digits(text.substring(17, 19));
            if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59
                    || second > 59) {
                return Instant.parse(text); // invalid, or a leap second: its rules, its message
            }
            long seconds = days(year, month, day) * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second;
            return Instant.ofEpochSecond(seconds, nano);
        } catch (RuntimeException e) {
            return Instant.parse(text); // its message names what is wrong
        }
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
    static long days(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        long dayOfYear = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097 + dayOfEra - 719_468;
    }

    /** {year, month, day} of a day counted from 1970-01-01, the inverse of {@link #days}. */
    static int[] civil(long days) {
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        return new int[] {(int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, year)), month, day};
    }

    private static int daysInMonth(int year, int month) {
        if (month == 2) {
            return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
        }
        return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
    }

    private static int digits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                throw new IllegalArgumentException(s);
            }
        }
        return Integer.parseInt(s);
    }

    private static StringBuilder pad(StringBuilder b, int value, int width) {
        String v = Integer.toString(value);
        for (int i = v.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(v);
    }
}
