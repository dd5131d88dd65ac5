package org.miniisolate.seccomp;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.miniisolate.nativeio.Libc;
import org.miniisolate.nativeio.Libseccomp;

/**
 * Compiled filters kept on disk between processes, so a CLI run does not pay for linking
 * libseccomp and compiling the default policy again (50-100 ms per process, measured).
 *
 * <p>An entry is valid only for the exact inputs of the compile, all part of its key and stored
 * in full inside the file (the file name is only a digest of it):
 * <ul>
 *   <li>the policy, written out rule by rule ({@link #fingerprint});</li>
 *   <li>the compiler: the file the classes that turn a policy into BPF were loaded from (the
 *       jar, by inode, size and modification time), so a rebuilt compiler is never served a
 *       filter of the old one;</li>
 *   <li>the libseccomp file that was loaded (path, device, inode, size, modification time: see
 *       {@link Libseccomp#identity()}), since its tables decide the system call numbers;</li>
 *   <li>the machine architecture.</li>
 * </ul>
 * The directory must be a real directory owned by this user that nobody else may write (the
 * launcher's: root-only, 0700), so only root can have written an entry; an entry is still
 * checked on load (format, checksum, key, and the shape of the BPF program), and anything odd is
 * a miss that the next compile overwrites. The cache is an optimisation: when the directory is
 * unusable or a write fails, filters are compiled in memory as before.
 */
final class FilterCache {
    private static final byte[] MAGIC = "MISECBPF".getBytes(StandardCharsets.US_ASCII);
    private static final int FORMAT = 1;
    private static final int MAX_FILE = 1 << 20;
    private static final int BPF_MAXINSNS = 4096;
    /** Class files whose code decides the bytes of a compiled policy (rule order, actions, operator codes). */
    private static final List<String> COMPILER = List.of("/org/miniisolate/seccomp/BpfCompiler.class",
            "/org/miniisolate/seccomp/CompiledFilter.class", "/org/miniisolate/nativeio/SeccompFilter.class",
            "/org/miniisolate/nativeio/SeccompFilter$Op.class", "/org/miniisolate/nativeio/SeccompFilter$Comparison.class",
            "/org/miniisolate/nativeio/Libseccomp.class", "/org/miniisolate/nativeio/Libseccomp$Handles.class");

    private final Path dir;

    /** @param dir the private directory entries live in; created 0700 if missing */
    FilterCache(Path dir) {
        this.dir = dir;
    }

    /**
     * Everything the compiled bytes of {@code policy} depend on, as text.
     *
     * @param library the loaded libseccomp's {@link Libseccomp#identity()}
     */
    static String key(SyscallPolicy policy, String library) {
        return "policy:\n" + fingerprint(policy) + "compiler: " + CompilerDigest.VALUE + "\nlibseccomp: " + library
                + "\narch: " + System.getProperty("os.arch") + "\n";
    }

    /** The policy's rules in order, one line each, with the flag that changes the compile; not {@code required}. */
    static String fingerprint(SyscallPolicy policy) {
        StringBuilder b = new StringBuilder("nativeAbiOnly=").append(policy.nativeAbiOnly()).append('\n');
        for (SyscallRule r : policy.rules()) {
            b.append(r.syscall()).append(' ').append(r.errno()).append(r.skipIfUnknown() ? " skip" : " must");
            for (ArgTest t : r.when()) {
                // instanceof, not a pattern switch: its bootstrap costs a few ms of a cold start
                if (t instanceof ArgTest.Equals e) {
                    b.append(" a").append(e.arg()).append("==").append(Long.toHexString(e.value()));
                } else if (t instanceof ArgTest.MaskedEquals m) {
                    b.append(" a").append(m.arg()).append('&').append(Long.toHexString(m.mask()))
                            .append("==").append(Long.toHexString(m.value()));
                } else {
                    throw new IllegalArgumentException("unknown argument test " + t);
                }
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** Computed once per JVM. */
    private static final class CompilerDigest {
        static final String VALUE = compilerIdentity();
    }

    /**
     * Where the compiler's classes were loaded from, down to the file: the jar's path, inode, size
     * and modification time (any rebuild of the jar compiles each filter once more), or for a
     * classes directory each class file's. A stat, not a hash of the class files: reading them
     * back through the class loader's URL machinery cost 10-15 ms of every CLI run.
     */
    private static String compilerIdentity() {
        try {
            Path source = Path.of(FilterCache.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(source)) {
                return "jar " + stat(source);
            }
            StringBuilder b = new StringBuilder("classes");
            for (String c : COMPILER) {
                b.append(' ').append(stat(source.resolve(c.substring(1))));
            }
            return b.toString();
        } catch (IOException | URISyntaxException | RuntimeException e) {
            throw new IllegalStateException("cannot tell where the seccomp compiler was loaded from: " + e, e);
        }
    }

    private static String stat(Path p) throws IOException {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isRegularFile()) {
            throw new IOException(p + " is not a regular file");
        }
        return p + ":" + a.fileKey() + ":" + a.size() + ":" + a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
    }

    /**
     * Where the entry for {@code key} lives: named by a 64-bit FNV-1a of the key (the key itself is
     * stored inside and compared in full). Not CRC32C or HexFormat here: their first use cost 2 ms.
     */
    Path file(String key) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < key.length(); i++) {
            h = (h ^ key.charAt(i)) * 0x100000001b3L;
        }
        String hex = Long.toHexString(h);
        return dir.resolve("seccomp-" + "0".repeat(16 - hex.length()) + hex + ".bpf");
    }

    /** The filter stored for {@code key}, or null when there is none or it cannot be trusted. */
    CompiledFilter load(String key) {
        Path f = file(key);
        try {
            if (!usableDirectory(false) || !Files.exists(f, LinkOption.NOFOLLOW_LINKS) || !ours(f, true)
                    || Files.size(f) > MAX_FILE) {
                return null;
            }
            return decode(Files.readAllBytes(f), key);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Stores {@code filter} for {@code key}, atomically; false (and nothing written) when the directory is unusable. */
    boolean store(String key, CompiledFilter filter) {
        Path tmp = null;
        try {
            if (!usableDirectory(true)) {
                return false;
            }
            tmp = Files.createTempFile(dir, ".seccomp", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(tmp, encode(key, filter));
            Files.move(tmp, file(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a stray temp file in a private directory: harmless
                }
            }
        }
    }

    static byte[] encode(String key, CompiledFilter filter) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(MAGIC);
            out.writeInt(FORMAT);
            writeString(out, key);
            writeString(out, filter.libraryVersion());
            out.writeInt(filter.unnamedCalls().size());
            for (String call : filter.unnamedCalls()) {
                writeString(out, call);
            }
            out.writeInt(filter.bpf().length);
            out.write(filter.bpf());
            CRC32C crc = new CRC32C();
            crc.update(bytes.toByteArray());
            out.writeInt((int) crc.getValue());
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e); // a byte array stream does not fail
        }
    }

    /** The entry in {@code data} if it is well formed, unchanged, for {@code key} and a plausible filter; else null. */
    static CompiledFilter decode(byte[] data, String key) {
        if (data.length < MAGIC.length + 16) {
            return null;
        }
        ByteBuffer in = ByteBuffer.wrap(data); // big-endian, as DataOutputStream wrote it
        CRC32C crc = new CRC32C();
        crc.update(data, 0, data.length - 4);
        if (in.getInt(data.length - 4) != (int) crc.getValue()) {
            return null;
        }
        in.limit(data.length - 4);
        try {
            byte[] magic = new byte[MAGIC.length];
            in.get(magic);
            if (!Arrays.equals(magic, MAGIC) || in.getInt() != FORMAT || !key.equals(readString(in))) {
                return null;
            }
            String version = readString(in);
            int unnamedCount = in.getInt();
            if (unnamedCount < 0 || unnamedCount > 1024) {
                return null;
            }
            List<String> unnamed = new ArrayList<>(unnamedCount);
            for (int i = 0; i < unnamedCount; i++) {
                unnamed.add(readString(in));
            }
            int length = in.getInt();
            if (length != in.remaining()) {
                return null;
            }
            byte[] bpf = new byte[length];
            in.get(bpf);
            return plausibleFilter(bpf) ? new CompiledFilter(bpf, unnamed, version) : null;
        } catch (RuntimeException e) { // BufferUnderflow, a bad length: not an entry we wrote
            return null;
        }
    }

    /**
     * The shape every filter libseccomp exports has, checked before the bytes go to a box: whole
     * {@code struct sock_filter}s, 1 to BPF_MAXINSNS of them, starting by loading
     * {@code seccomp_data.arch}, every jump landing inside the program, ending with a return.
     */
    static boolean plausibleFilter(byte[] bpf) {
        if (bpf.length == 0 || bpf.length % 8 != 0 || bpf.length / 8 > BPF_MAXINSNS) {
            return false;
        }
        ByteBuffer b = ByteBuffer.wrap(bpf).order(ByteOrder.nativeOrder());
        int n = bpf.length / 8;
        if ((b.getShort(0) & 0xffff) != 0x20 || b.getInt(4) != 4) { // BPF_LD|BPF_W|BPF_ABS, offsetof(arch)
            return false;
        }
        for (int i = 0; i < n; i++) {
            int code = b.getShort(i * 8) & 0xffff;
            int jt = b.get(i * 8 + 2) & 0xff;
            int jf = b.get(i * 8 + 3) & 0xff;
            long k = Integer.toUnsignedLong(b.getInt(i * 8 + 4));
            if ((code & 0x07) == 0x05) { // BPF_JMP
                boolean always = (code & 0xf0) == 0x00; // BPF_JA jumps by k
                if (always ? i + 1 + k >= n : (i + 1 + jt >= n || i + 1 + jf >= n)) {
                    return false;
                }
            }
        }
        return ((b.getShort((n - 1) * 8) & 0xffff) & 0x07) == 0x06; // BPF_RET
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("bad string length");
        }
        byte[] b = new byte[length];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** The directory exists (made 0700 when {@code create}), is not a link, is ours, and nobody else may write it. */
    private boolean usableDirectory(boolean create) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            if (!create) {
                return false;
            }
            Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException raced) {
                // another process made it: checked below like any other
            }
        }
        return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && ours(dir, false);
    }

    /** Owned by this user, not a symlink, not writable by group or others (and a regular file when {@code file}). */
    private static boolean ours(Path p, boolean file) throws IOException {
        PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        int owner = (int) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        return !a.isSymbolicLink() && (!file || a.isRegularFile()) && owner == Libc.geteuid()
                && !a.permissions().contains(PosixFilePermission.GROUP_WRITE)
                && !a.permissions().contains(PosixFilePermission.OTHERS_WRITE);
    }
}
