package org.miniisolate.launch;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Finds the launcher binary that root will execute, and makes sure nobody else could have
 * swapped it: an explicit path (tests, installed packages), or the copy embedded in the jar,
 * extracted under a name carrying its SHA-256 into a directory only its owner can write.
 */
public final class LauncherBinary {
    public static final String PROPERTY = "miniisolate.launcher";
    static final String RESOURCE = "/native/linux-x86_64/mini-isolate-launcher";

    private LauncherBinary() {}

    /** The launcher to use: {@code -Dminiisolate.launcher=PATH}, else the embedded one extracted into {@code dir}. */
    public static Path locate(Path dir) {
        String explicit = System.getProperty(PROPERTY);
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit);
            if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
                throw new IllegalStateException(PROPERTY + "=" + explicit + " is not an executable file");
            }
            return p;
        }
        return extract(dir);
    }

    /**
     * The embedded launcher, extracted into {@code dir} once: its bytes are checked against the
     * recorded SHA-256 when they are written, and afterwards the copy is trusted by its name (which
     * carries the hash), its owner, its mode and its size, without reading it again. That is sound
     * because of where it lives: {@code dir} must be a real directory owned by this user (root)
     * that nobody else may write, so no one else can have replaced or changed the file since we
     * wrote it, and whoever can (root) could just as well replace the jar. The size and mode
     * checks catch accidents (a truncated copy, a chmod), and such a copy is written again.
     * Re-hashing 700 KB on every start cost 60-100 ms of a CLI run (the digest code is cold).
     */
    static Path extract(Path dir) {
        Embedded embedded = embedded();
        Path target = dir.resolve("mini-isolate-launcher-" + embedded.sha256().substring(0, 16));
        try {
            ensurePrivateDirectory(dir);
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                if (trusted(target, embedded.size())) {
                    return target;
                }
                Files.delete(target); // damaged or not ours: replace it below
            }
            byte[] image;
            try (InputStream in = openResource(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("the launcher is missing from the jar (" + RESOURCE + "); rebuild");
                }
                image = in.readAllBytes();
            }
            if (!sha256(image).equals(embedded.sha256()) || (embedded.size() >= 0 && image.length != embedded.size())) {
                throw new IllegalStateException("the embedded launcher does not match its recorded hash; rebuild");
            }
            Path tmp = Files.createTempFile(dir, ".launcher", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.write(tmp, image);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the launcher into " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The launcher's recorded SHA-256 and size ({@code -1} when the record has no size: then the copy is hashed). */
    record Embedded(String sha256, long size) {}

    /** A copy we wrote earlier: a regular file (not a link), ours, exactly rwx------, of the recorded size. */
    private static boolean trusted(Path copy, long size) throws IOException {
        PosixFileAttributes a = Files.readAttributes(copy, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        int owner = (int) Files.getAttribute(copy, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (!a.isRegularFile() || owner != org.miniisolate.nativeio.Libc.geteuid()
                || !a.permissions().equals(PosixFilePermissions.fromString("rwx------"))) {
            return false;
        }
        if (size < 0) {
            return sha256(Files.readAllBytes(copy)).equals(embedded().sha256());
        }
        return a.size() == size;
    }

    static Embedded embedded() {
        try (InputStream in = openResource(RESOURCE + ".sha256")) {
            if (in == null) {
                throw new IllegalStateException("the launcher's hash is missing from the jar; rebuild");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
            int space = text.indexOf(' ');
            if (space < 0) {
                return new Embedded(text, -1);
            }
            long size;
            try {
                size = Long.parseLong(text.substring(space + 1).trim());
            } catch (NumberFormatException e) {
                size = -1; // "hash  file name" (sha256sum's own format): no size recorded
            }
            return new Embedded(text.substring(0, space), size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A resource of this jar (or classes directory), read straight from the file the class was
     * loaded from. {@code Class.getResourceAsStream} goes through jar: URLs and their connection
     * classes, whose first use cost 5-10 ms of every CLI run; a ZipFile on the same jar reuses the
     * class loader's already parsed central directory. Falls back to the class loader when the
     * class did not come from a plain file or directory. Null if there is no such resource.
     */
    static InputStream openResource(String name) throws IOException {
        Path source = null;
        try {
            var location = LauncherBinary.class.getProtectionDomain().getCodeSource().getLocation();
            if ("file".equals(location.getProtocol())) {
                source = Path.of(location.toURI());
            }
        } catch (RuntimeException | java.net.URISyntaxException e) {
            source = null;
        }
        if (source != null && Files.isDirectory(source)) {
            Path file = source.resolve(name.substring(1));
            return Files.isRegularFile(file) ? Files.newInputStream(file) : null;
        }
        if (source != null && Files.isRegularFile(source)) {
            ZipFile zip = new ZipFile(source.toFile());
            ZipEntry entry = zip.getEntry(name.substring(1));
            if (entry == null) {
                zip.close();
                return null;
            }
            return new FilterInputStream(zip.getInputStream(entry)) {
                @Override
                public void close() throws IOException {
                    try {
                        super.close();
                    } finally {
                        zip.close();
                    }
                }
            };
        }
        return LauncherBinary.class.getResourceAsStream(name);
    }

    private static void ensurePrivateDirectory(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir.getParent());
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        checkOwnedAndPrivate(dir);
    }

    /** Owned by us, not a symlink, and nobody else may write it. */
    private static void checkOwnedAndPrivate(Path p) throws IOException {
        PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        int owner = (int) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        Set<PosixFilePermission> perms = a.permissions();
        if (a.isSymbolicLink() || owner != org.miniisolate.nativeio.Libc.geteuid()
                || perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IllegalStateException(p + " must be owned by uid " + org.miniisolate.nativeio.Libc.geteuid()
                    + " and writable by nobody else before the launcher can be trusted there");
        }
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
