package org.miniisolate.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.miniisolate.nativeio.Libc;

/**
 * The launcher parses its spec strictly: whatever is malformed is refused before anything
 * happens, with the index of the offending record. Feeds it hand-made bytes.
 */
class LauncherSpecTest {
    private static final int EINVAL = 22;
    static Launcher launcher;
    static Path root;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Libc.geteuid() == 0, "needs root: the launcher checks and uses root-only steps");
        launcher = new Launcher(Path.of(System.getProperty(LauncherBinary.PROPERTY)));
        root = Files.createTempDirectory("launcher-spec-test");
    }

    @AfterAll
    static void stop() throws Exception {
        if (launcher != null) {
            launcher.close();
            Files.deleteIfExists(root);
        }
    }

    private static LaunchSpec valid(List<Mount> mounts, int uid) {
        return new LaunchSpec(root.toString(), mounts, List.of(), null, uid, 60000, "/", null, List.of(),
                List.of(), "/nonexistent", List.of("x"), null, null, null, false, true, List.of(), null, List.of(), null);
    }

    private static LauncherReport run(byte[] spec) {
        return run(spec, -1);
    }

    /** With {@code netNs} handed to the launch (and closed by it). */
    private static LauncherReport run(byte[] spec, int netNs) {
        try (RunningBox box = launcher.startEncoded(spec, netNs)) {
            return box.finish();
        }
    }

    private static void assertRefused(byte[] spec, int index) {
        LauncherReport r = run(spec);
        assertThat(r.failure()).hasValueSatisfying(f -> {
            assertThat(f.stage()).isEqualTo(Stage.SPEC);
            assertThat(f.errno()).isEqualTo(EINVAL);
            assertThat(f.index()).isEqualTo(index);
        });
        assertThat(r.startNanos()).isEmpty();
        assertThat((r.keeperExitStatus() >> 8) & 0xff).isEqualTo(1);
    }

    @Test
    void aValidSpecGetsAsFarAsExec() {
        LauncherReport r = run(SpecEncoder.encode(valid(List.of(), 60000)));
        assertThat(r.startNanos()).isPresent();
        assertThat(r.failure()).hasValueSatisfying(f -> assertThat(f.stage()).isEqualTo(Stage.EXEC));
        assertThat(r.program()).hasValueSatisfying(u -> assertThat((u.waitStatus() >> 8) & 0xff).isEqualTo(127));
    }

    /** A launcher running as root never makes a user namespace: mapping a box to uid 0 outside would make it root. */
    @Test
    void aLauncherRunningAsRootRefusesTheUserNamespace() {
        LaunchSpec v = valid(List.of(), 60000);
        LaunchSpec rootless = new LaunchSpec(v.rootDir(), v.mounts(), v.symlinks(), v.hostname(), v.uid(), v.gid(), v.cwd(),
                v.chdir(), v.rlimits(), v.env(), v.program(), v.argv(), v.stdin(), v.stdout(), v.stderr(), v.stderrToStdout(),
                v.newNetwork(), v.keepFds(), v.seccompBpf(), v.cgroupFiles(), null, true);
        LauncherReport r = run(SpecEncoder.encode(rootless));
        assertThat(r.failure()).hasValueSatisfying(f -> {
            assertThat(f.stage()).isEqualTo(Stage.USERNS);
            assertThat(f.errno()).isEqualTo(1); // EPERM
            assertThat(f.index()).isEqualTo(3);
        });
        assertThat(r.startNanos()).isEmpty();
    }

    @Test
    void aUserNamespaceWithABindIdentityIsRefused() {
        LaunchSpec v = valid(List.of(), 60000);
        byte[] spec = SpecEncoder.encode(new LaunchSpec(v.rootDir(), v.mounts(), v.symlinks(), v.hostname(), v.uid(), v.gid(),
                v.cwd(), v.chdir(), v.rlimits(), v.env(), v.program(), v.argv(), v.stdin(), v.stdout(), v.stderr(),
                v.stderrToStdout(), v.newNetwork(), v.keepFds(), v.seccompBpf(), v.cgroupFiles(), new LaunchSpec.Identity(1000, 1000)));
        // The options record comes first: set the user namespace bit (16) in its payload by hand.
        ByteBuffer b = ByteBuffer.wrap(spec).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt(8)).isEqualTo(1); // T_OPTIONS
        b.putInt(16, b.getInt(16) | 16);
        assertRefused(spec, 0);
    }

    @Test
    void wrongMagicIsRefused() {
        byte[] spec = SpecEncoder.encode(valid(List.of(), 60000));
        spec[0] ^= 1;
        assertRefused(spec, 0);
    }

    @Test
    void truncatedSpecIsRefused() {
        byte[] spec = SpecEncoder.encode(valid(List.of(), 60000));
        assertRefused(Arrays.copyOf(spec, spec.length - 3), countRecords(spec));
    }

    @Test
    void trailingBytesAreRefused() {
        byte[] spec = SpecEncoder.encode(valid(List.of(), 60000));
        assertRefused(Arrays.copyOf(spec, spec.length + 8), countRecords(spec));
    }

    @Test
    void unknownTagIsRefused() {
        byte[] spec = SpecEncoder.encode(valid(List.of(), 60000));
        ByteBuffer.wrap(spec).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 99); // first record's tag
        assertRefused(spec, 1);
    }

    @Test
    void rootUidIsRefused() {
        byte[] spec = SpecEncoder.encode(valid(List.of(), 60000));
        // Patch the UID record's value to 0: the Java side refuses to build such a spec at all.
        int at = findRecord(spec, Protocol.T_UID);
        ByteBuffer.wrap(spec).order(ByteOrder.LITTLE_ENDIAN).putInt(at + 8, 0);
        assertRefused(spec, recordIndex(spec, at));
    }

    @Test
    void mountTargetsEscapingTheRootAreRefused() {
        for (String target : List.of("../etc", "a/../../etc", "/etc", "a//b", "a/./b", "a/")) {
            byte[] spec = SpecEncoder.encode(valid(List.of(Mount.bind("/usr", target, EnumSet.of(Mount.Flag.READ_ONLY))), 60000));
            assertRefused(spec, recordIndex(spec, findRecord(spec, Protocol.T_MOUNT)));
        }
    }

    @Test
    void stringsWithNulAreRefused() {
        byte[] spec = SpecEncoder.encode(valid(List.of(), 60000));
        int at = findRecord(spec, Protocol.T_PROGRAM);
        spec[at + 12 + 3] = 0; // inside "/nonexistent"
        assertRefused(spec, recordIndex(spec, at));
    }

    @Test
    void aNetworkNamespaceForABoxSharingTheHostsNetworkIsRefused() {
        int[] pipe = Libc.pipe(true);
        try {
            byte[] spec = SpecEncoder.encode(valid(List.of(), 60000), false, pipe[0]);
            int at = findRecord(spec, Protocol.T_OPTIONS);
            ByteBuffer.wrap(spec).order(ByteOrder.LITTLE_ENDIAN).putInt(at + 8, 0); // no new network namespace
            LauncherReport r = run(spec, pipe[0]);
            assertThat(r.failure()).hasValueSatisfying(f -> {
                assertThat(f.stage()).isEqualTo(Stage.SPEC);
                assertThat(f.errno()).isEqualTo(EINVAL);
            });
        } finally {
            Libc.close(pipe[1]);
        }
    }

    @Test
    void aDescriptorThatIsNoNetworkNamespaceIsNotJoined() {
        int[] pipe = Libc.pipe(true);
        try {
            // setns with CLONE_NEWNET checks the kind: a pipe is refused before anything is built.
            LauncherReport r = run(SpecEncoder.encode(valid(List.of(), 60000), false, pipe[0]), pipe[0]);
            assertThat(r.failure()).hasValueSatisfying(f -> {
                assertThat(f.stage()).isEqualTo(Stage.NET_NS);
                assertThat(f.errno()).isEqualTo(EINVAL);
            });
            assertThat(r.startNanos()).isEmpty();
        } finally {
            Libc.close(pipe[1]);
        }
    }

    @Test
    void aNetworkNamespaceDescriptorTheLauncherWasNotGivenIsRefused() {
        // A number the launcher does not have open: refused before clone.
        LauncherReport r = run(SpecEncoder.encode(valid(List.of(), 60000), false, 999), -1);
        assertThat(r.failure()).hasValueSatisfying(f -> assertThat(f.stage()).isEqualTo(Stage.NET_NS));
        assertThat(r.startNanos()).isEmpty();
    }

    /** Offset of the first record with {@code tag}. */
    private static int findRecord(byte[] spec, int tag) {
        ByteBuffer b = ByteBuffer.wrap(spec).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 8; at < spec.length; at += 8 + b.getInt(at + 4)) {
            if (b.getInt(at) == tag) {
                return at;
            }
        }
        throw new AssertionError("no record " + tag);
    }

    /** The launcher counts records from 1. */
    private static int recordIndex(byte[] spec, int offset) {
        ByteBuffer b = ByteBuffer.wrap(spec).order(ByteOrder.LITTLE_ENDIAN);
        int index = 1;
        for (int at = 8; at < offset; at += 8 + b.getInt(at + 4)) {
            index++;
        }
        return index;
    }

    private static int countRecords(byte[] spec) {
        return recordIndex(spec, spec.length - 8);
    }
}
