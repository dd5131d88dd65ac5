package org.miniisolate.box;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a box remembers between commands: who owns it, how it was initialized, and how its last
 * run ended. Kept in {@code <box>/state/box}, readable by root only, always replaced whole
 * (written to a temporary file, then renamed) so a reader never sees half a state.
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
    private static final String FILE = "box";

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

    public static Optional<BoxState> read(BoxLayout layout) {
        Path f = layout.state().resolve(FILE);
        String text;
        try {
            text = Files.readString(f, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the state of box " + layout.directory() + ": " + e.getMessage(), e);
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
            throw new IllegalStateException("The state of box " + layout.directory() + " is damaged (" + f
                    + "); run --cleanup and --init again", e);
        }
    }

    public void write(BoxLayout layout) {
        String text = "owner.uid=" + ownerUid + "\nowner.gid=" + ownerGid + "\ncgroups=" + cgroups + "\nquota=" + quota
                + "\ninitialized=" + initialized + "\ncreated=" + createdAt + "\nlast.run=" + lastRun + "\n";
        try {
            Path dir = layout.state();
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Path tmp = Files.createTempFile(dir, ".box", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot record the state of box " + layout.directory() + ": " + e.getMessage(), e);
        }
    }
}
