package org.miniisolate.seccomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.miniisolate.nativeio.Libc;
import org.miniisolate.nativeio.Libseccomp;

/** Compiled filters kept on disk: reused by the next process, never trusted when anything about them is off. */
class FilterCacheTest {
    @TempDir
    Path temp;

    private Path cacheDir() throws Exception {
        return Files.createDirectory(temp.resolve("launcher"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    private static List<Path> entries(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".bpf")).toList();
        }
    }

    @Test
    void aSecondSandboxLoadsTheFilterTheFirstCompiled() throws Exception {
        Path dir = cacheDir();
        byte[] compiled = new SyscallFilters(Libseccomp.DEFAULT_LIBRARY, dir).bpfFor(SyscallPolicy.DEFAULT);
        assertThat(entries(dir)).hasSize(1);

        SyscallFilters next = new SyscallFilters(Libseccomp.DEFAULT_LIBRARY, dir);
        assertThat(next.bpfFor(SyscallPolicy.DEFAULT)).isEqualTo(compiled);
        assertThat(next.loadedFromDisk()).isEqualTo(1);
        assertThat(compiled).isEqualTo(new SyscallFilters(Libseccomp.DEFAULT_LIBRARY).bpfFor(SyscallPolicy.DEFAULT));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(entries(dir).get(0)))).isEqualTo("rw-------");
    }

    @Test
    void supportComesFromTheCacheWithTheLibraryVersion() throws Exception {
        Path dir = cacheDir();
        SeccompSupport first = new SyscallFilters(Libseccomp.DEFAULT_LIBRARY, dir).support();
        SyscallFilters next = new SyscallFilters(Libseccomp.DEFAULT_LIBRARY, dir);
        assertThat(next.support()).isEqualTo(first);
        assertThat(next.loadedFromDisk()).isEqualTo(1);
        assertThat(((SeccompSupport.Available) first).version()).matches("2\\.\\d+\\.\\d+");
    }

    @Test
    void eachPolicyHasItsOwnEntry() throws Exception {
        Path dir = cacheDir();
        SyscallFilters f = new SyscallFilters(Libseccomp.DEFAULT_LIBRARY, dir);
        byte[] strict = f.bpfFor(SyscallPolicy.DEFAULT);
        byte[] wide = f.bpfFor(SyscallPolicy.isolate(SyscallFlags.ALL & ~SyscallFlags.NATIVE_ABI_ONLY));
        f.bpfFor(SyscallPolicy.DEFAULT.requireFilter()); // same filter: no entry of its own
        assertThat(entries(dir)).hasSize(2);

        SyscallFilters next = new SyscallFilters(Libseccomp.DEFAULT_LIBRARY, dir);
        assertThat(next.bpfFor(SyscallPolicy.isolate(SyscallFlags.ALL & ~SyscallFlags.NATIVE_ABI_ONLY))).isEqualTo(wide);
        assertThat(next.bpfFor(SyscallPolicy.DEFAULT)).isEqualTo(strict);
        assertThat(next.loadedFromDisk()).isEqualTo(2);
    }

    @Test
    void aDamagedEntryIsCompiledAgainAndReplaced() throws Exception {
        Path dir = cacheDir();
        byte[] good = new SyscallFilters(Libseccomp.DEFAULT_LIBRARY, dir).bpfFor(SyscallPolicy.DEFAULT);
        Path entry = entries(dir).get(0);
        byte[] bytes = Files.readAllBytes(entry);
        bytes[bytes.length - 20] ^= 0x40; // inside the BPF: the checksum no longer matches
        Files.write(entry, bytes);

        SyscallFilters next = new SyscallFilters(Libseccomp.DEFAULT_LIBRARY, dir);
        assertThat(next.bpfFor(SyscallPolicy.DEFAULT)).isEqualTo(good);
        assertThat(next.loadedFromDisk()).isZero();
        assertThat(new SyscallFilters(Libseccomp.DEFAULT_LIBRARY, dir).bpfFor(SyscallPolicy.DEFAULT)).isEqualTo(good);
        assertThat(Files.readAllBytes(entry)).isNotEqualTo(bytes);
    }

    @Test
    void anEntryIsOnlyValidForItsExactKey() {
        CompiledFilter f = new CompiledFilter(new BpfCompiler(Libseccomp.load(Libseccomp.DEFAULT_LIBRARY))
                .compile(SyscallPolicy.DEFAULT).bpf(), List.of(), "2.5.4");
        String key = FilterCache.key(SyscallPolicy.DEFAULT, "/usr/lib/libseccomp.so.2.5.4 dev=08:01 inode=1");
        byte[] entry = FilterCache.encode(key, f);

        assertThat(FilterCache.decode(entry, key)).isNotNull();
        assertThat(FilterCache.decode(entry, key).bpf()).isEqualTo(f.bpf());
        // Another library file (an upgrade), another policy: not this entry.
        assertThat(FilterCache.decode(entry, FilterCache.key(SyscallPolicy.DEFAULT,
                "/usr/lib/libseccomp.so.2.5.4 dev=08:01 inode=2"))).isNull();
        assertThat(FilterCache.decode(entry, FilterCache.key(SyscallPolicy.isolate(1),
                "/usr/lib/libseccomp.so.2.5.4 dev=08:01 inode=1"))).isNull();
        assertThat(FilterCache.decode(Arrays.copyOf(entry, entry.length - 9), key)).as("truncated").isNull();
    }

    @Test
    void theKeyNamesEveryRuleTheArchitectureAndTheCompiler() {
        String key = FilterCache.key(SyscallPolicy.DEFAULT.with(SyscallRule.deny("socket", Errno.EPERM, ArgTest.equal(0, 2))),
                "LIB");
        assertThat(key).contains("nativeAbiOnly=true", "ptrace 1 skip", "socket 1 must a0==2", "libseccomp: LIB",
                "arch: " + System.getProperty("os.arch"), "compiler: ");
        assertThat(FilterCache.fingerprint(SyscallPolicy.isolate(1)))
                .isNotEqualTo(FilterCache.fingerprint(SyscallPolicy.isolate(3)));
    }

    @Test
    void onlyProgramsShapedLikeAnExportedFilterAreAccepted() {
        byte[] good = new BpfCompiler(Libseccomp.load(Libseccomp.DEFAULT_LIBRARY)).compile(SyscallPolicy.DEFAULT).bpf();
        assertThat(FilterCache.plausibleFilter(good)).isTrue();
        assertThat(FilterCache.plausibleFilter(new byte[0])).isFalse();
        assertThat(FilterCache.plausibleFilter(Arrays.copyOf(good, good.length - 3))).as("partial instruction").isFalse();
        byte[] noReturn = good.clone();
        ByteBuffer.wrap(noReturn).order(ByteOrder.nativeOrder()).putShort(good.length - 8, (short) 0x20);
        assertThat(FilterCache.plausibleFilter(noReturn)).as("no final return").isFalse();

        byte[] wildJump = good.clone();
        ByteBuffer b = ByteBuffer.wrap(wildJump).order(ByteOrder.nativeOrder());
        for (int i = wildJump.length - 8; i >= 0; i -= 8) {
            int code = b.getShort(i) & 0xffff;
            if ((code & 0x07) == 0x05 && (code & 0xf0) != 0) { // the last conditional jump
                wildJump[i + 2] = (byte) 0xff;
                break;
            }
        }
        assertThat(FilterCache.plausibleFilter(wildJump)).as("jump past the end").isFalse();

        byte[] noArchCheck = good.clone();
        ByteBuffer.wrap(noArchCheck).order(ByteOrder.nativeOrder()).putInt(4, 0); // loads nr, not arch
        assertThat(FilterCache.plausibleFilter(noArchCheck)).isFalse();
    }

    @Test
    void aDirectoryOthersCanWriteIsNeitherReadNorWritten() throws Exception {
        Path dir = cacheDir();
        byte[] compiled = new SyscallFilters(Libseccomp.DEFAULT_LIBRARY, dir).bpfFor(SyscallPolicy.DEFAULT);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));

        SyscallFilters next = new SyscallFilters(Libseccomp.DEFAULT_LIBRARY, dir);
        assertThat(next.bpfFor(SyscallPolicy.DEFAULT)).isEqualTo(compiled);
        assertThat(next.loadedFromDisk()).as("an entry anyone could have planted").isZero();

        Path open = Files.createDirectory(temp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        new SyscallFilters(Libseccomp.DEFAULT_LIBRARY, open).bpfFor(SyscallPolicy.DEFAULT);
        assertThat(entries(open)).isEmpty();
    }

    @Test
    void aMissingDirectoryIsMadePrivate() throws Exception {
        Path dir = temp.resolve("a/b/launcher");
        new SyscallFilters(Libseccomp.DEFAULT_LIBRARY, dir).bpfFor(SyscallPolicy.DEFAULT);
        assertThat(entries(dir)).hasSize(1);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    }

    @Test
    void anEntryWrittenByAnotherUserIsIgnored() throws Exception {
        Path dir = cacheDir();
        new SyscallFilters(Libseccomp.DEFAULT_LIBRARY, dir).bpfFor(SyscallPolicy.DEFAULT);
        Path entry = entries(dir).get(0);
        assumeTrue(Libc.geteuid() == 0, "chown needs root");
        Files.setAttribute(entry, "unix:uid", 65534);

        SyscallFilters next = new SyscallFilters(Libseccomp.DEFAULT_LIBRARY, dir);
        next.bpfFor(SyscallPolicy.DEFAULT);
        assertThat(next.loadedFromDisk()).isZero();
    }

    @Test
    void theLibraryIdentityNamesTheFileThatWasLoaded() {
        String id = Libseccomp.load(Libseccomp.DEFAULT_LIBRARY).identity();
        assertThat(id).contains("libseccomp.so", "inode=", "size=", "mtime=");
        assertThat(Path.of(id.substring(0, id.indexOf(' ')))).isRegularFile();
    }
}
