package org.miniisolate.launch;

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

    static Path extract(Path dir) {
        String expected = embeddedHash();
        Path target = dir.resolve("mini-isolate-launcher-" + expected.substring(0, 16));
        try {
            ensurePrivateDirectory(dir);
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                checkOwnedAndPrivate(target);
                if (sha256(Files.readAllBytes(target)).equals(expected)) {
                    return target;
                }
                Files.delete(target); // a damaged copy: replace it below
            }
            byte[] image;
            try (InputStream in = LauncherBinary.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("the launcher is missing from the jar (" + RESOURCE + "); rebuild");
                }
                image = in.readAllBytes();
            }
            if (!sha256(image).equals(expected)) {
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

    private static String embeddedHash() {
        try (InputStream in = LauncherBinary.class.getResourceAsStream(RESOURCE + ".sha256")) {
            if (in == null) {
                throw new IllegalStateException("the launcher's hash is missing from the jar; rebuild");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
            int space = text.indexOf(' ');
            return space < 0 ? text : text.substring(0, space);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
