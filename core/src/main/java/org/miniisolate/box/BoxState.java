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
                    Boolean.parseBoolean(kv.get("initialized")), Instant.parse(kv.get("created")), kv.getOrDefault("last.run", "")));
        } catch (RuntimeException e) {
            throw new IllegalStateException("The box state " + f + " is damaged; run --cleanup and --init again", e);
        }
    }

    public void write(Path f) {
        String text = "owner.uid=" + ownerUid + "\nowner.gid=" + ownerGid + "\ncgroups=" + cgroups + "\nquota=" + quota
                + "\ninitialized=" + initialized + "\ncreated=" + createdAt + "\nlast.run=" + lastRun + "\n";
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
}
