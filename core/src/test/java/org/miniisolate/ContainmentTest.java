package org.miniisolate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.miniisolate.fs.TreeWalker;
import org.miniisolate.nativeio.Libc;
import org.miniisolate.result.Verdict;
import org.miniisolate.spec.DirRules;
import org.miniisolate.spec.Limits;
import org.miniisolate.spec.RunSpec;

/** What a program in a box can see and touch of the host: nothing beyond what the rules give it. */
@EveryBoxKind
class ContainmentTest {
    private static final int BOX = 8;
    private static final String ZERO_CAPS = "0000000000000000";
    private final Boxes boxes;

    ContainmentTest(Boxes boxes) {
        this.boxes = boxes;
    }

    @Test
    void procListsOnlyTheProgramsOwnProcess() {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("list_pids", box);

        Captured c = Captured.run(box, "./list_pids");

        assertThat(c.result().verdict()).as("%s", c).isEqualTo(Verdict.OK);
        List<String> lines = c.outLines();
        String self = lines.getFirst().substring("self=".length());
        assertThat(lines.subList(1, lines.size())).containsExactly(self);
    }

    @Test
    void killMinusOneCannotReachAHostProcessOfTheBoxUser() throws Exception {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("kill_all", box);
        // The host process runs as the box's own uid: only the PID namespace stands between them.
        Process host = new ProcessBuilder("setpriv", "--reuid=" + box.identity().uid(), "--regid=" + box.identity().gid(),
                "--clear-groups", "sleep", "30").start();
        try {
            assertThat(HostProcesses.awaitSomeWithUid(box.identity().uid(), java.time.Duration.ofSeconds(10))).isTrue();

            Captured c = Captured.run(box, Limits.DEFAULTS.withProcesses(0), "./kill_all");

            assertThat(c.result().verdict()).as("%s", c).isEqualTo(Verdict.OK);
            assertThat(c.out()).startsWith("kill: ");
            assertThat(host.waitFor(200, TimeUnit.MILLISECONDS)).as("host sleep was killed").isFalse();
            assertThat(host.isAlive()).isTrue();
        } finally {
            Libc.kill((int) host.pid(), Libc.SIGKILL);
            host.waitFor();
        }
    }

    @Test
    void cannotConnectToAHostLoopbackListener() throws Exception {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("connect_tcp", box);
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            String port = Integer.toString(server.getLocalPort());

            Captured c = Captured.run(box, "./connect_tcp", port);

            assertThat(c.result().verdict()).as("%s", c).isEqualTo(Verdict.OK);
            assertThat(c.out().trim()).isIn("connect: ECONNREFUSED", "connect: ENETUNREACH");
        }
    }

    @Test
    void sharedNetworkReachesTheHostLoopbackListener() throws Exception {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("connect_tcp", box);
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(10_000);
            RunSpec.Builder shared = RunSpec.of("./connect_tcp", Integer.toString(server.getLocalPort())).shareNetwork(true);
            if (boxes.refusesOtherTemplate(box, shared)) {
                return;
            }

            Captured c = Captured.run(box, shared);

            assertThat(c.result().verdict()).as("%s", c).isEqualTo(Verdict.OK);
            assertThat(c.out()).isEqualTo("connected\n");
            try (Socket s = server.accept()) {
                s.setSoTimeout(10_000);
                try (InputStream in = s.getInputStream()) {
                    assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("hello");
                }
            }
        }
    }

    @Test
    void hostFilesOutsideTheDirectoryRulesDoNotExist() throws Exception {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("read_file", box);
        Path dir = Files.createTempDirectory(Path.of("/var/tmp"), "mini-isolate-secret",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        try {
            Path secret = dir.resolve("secret.txt");
            Files.writeString(secret, "top secret\n");
            Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));

            Captured hidden = Captured.run(box, "./read_file", secret.toString());
            assertThat(hidden.out()).as("%s", hidden).isEqualTo("open: ENOENT\n");

            // Readable by the box user once a rule binds it in: only the rules kept it out.
            RunSpec.Builder withSecret = RunSpec.of("./read_file", "/secret/secret.txt")
                    .dirs(DirRules.apply(DirRules.defaults(), List.of("secret=" + dir)));
            if (boxes.refusesOtherTemplate(box, withSecret)) {
                return;
            }
            Captured bound = Captured.run(box, withSecret);
            assertThat(bound.out()).as("%s", bound).isEqualTo("top secret\n");
        } finally {
            TreeWalker.deleteTree(dir);
        }
    }

    @Test
    void cannotWriteOutsideBoxAndTmp() {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("try_create", box);
        List<String> refused = List.of("/", "/usr", "/bin", "/lib", "/dev", "/proc/self/comm");

        Captured c = Captured.run(box, RunSpec.of(concat("./try_create", refused, "/proc", "/box", "/tmp")));

        assertThat(c.result().verdict()).as("%s", c).isEqualTo(Verdict.OK);
        Map<String, String> outcome = new LinkedHashMap<>();
        for (String line : c.outLines()) {
            outcome.put(line.substring(0, line.lastIndexOf(' ')), line.substring(line.lastIndexOf(' ') + 1));
        }
        for (String path : refused) {
            assertThat(outcome.get(path)).as("writing in %s", path).isIn("EROFS", "EACCES");
        }
        // procfs refuses any new name at lookup, before the read-only mount is even asked; the
        // write to /proc/self/comm above (allowed to its owner) is what shows the mount is read-only.
        assertThat(outcome.get("/proc")).isIn("EROFS", "EACCES", "ENOENT");
        assertThat(outcome.get("/box")).isEqualTo("ok");
        assertThat(outcome.get("/tmp")).isEqualTo("ok");
    }

    private static List<String> concat(String first, List<String> middle, String... rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(middle);
        all.addAll(List.of(rest));
        return all;
    }

    @Test
    void runsAsTheBoxUserWithNoSupplementaryGroups() {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("ids", box);
        int uid = box.identity().uid();
        int gid = box.identity().gid();
        assertThat(uid).isEqualTo(60000 + BOX);

        Captured c = Captured.run(box, "./ids");

        assertThat(c.out()).as("%s", c).isEqualTo("uid=%d,%d,%d gid=%d,%d,%d groups=\n".formatted(uid, uid, uid, gid, gid, gid));
    }

    @Test
    void hasNoCapabilitiesAndNoNewPrivileges() {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("read_file", box);

        Captured c = Captured.run(box, "./read_file", "/proc/self/status");

        Map<String, String> status = new LinkedHashMap<>();
        for (String line : c.outLines()) {
            int colon = line.indexOf(':');
            status.put(line.substring(0, colon), line.substring(colon + 1).trim());
        }
        assertThat(status).as("%s", c)
                .containsEntry("CapInh", ZERO_CAPS)
                .containsEntry("CapPrm", ZERO_CAPS)
                .containsEntry("CapEff", ZERO_CAPS)
                .containsEntry("CapBnd", ZERO_CAPS)
                .containsEntry("CapAmb", ZERO_CAPS)
                .containsEntry("NoNewPrivs", "1");
    }

    @Test
    void onlyTheStandardDescriptorsAreOpen() {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("list_fds", box);
        // Descriptors this JVM holds without close-on-exec must not reach the program.
        int[] leak = Libc.pipe(false);
        try {
            Captured c = Captured.run(box, "./list_fds");

            assertThat(c.result().verdict()).as("%s", c).isEqualTo(Verdict.OK);
            assertThat(c.outLines()).containsExactly("0", "1", "2");
        } finally {
            Libc.close(leak[0]);
            Libc.close(leak[1]);
        }
    }

    /** isolate's --inherit-fds: exactly the descriptors asked for join the standard ones. */
    @Test
    void anInheritedDescriptorIsTheOnlyExtraOne() {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("list_fds", box);
        int[] pipe = Libc.pipe(false);
        int[] other = Libc.pipe(false);
        try {
            RunSpec.Builder spec = RunSpec.of("./list_fds").inheritedFds(List.of(pipe[1]));
            if (boxes.poolRefuses(box, spec, "cannot inherit descriptors")) {
                return;
            }

            Captured c = Captured.run(box, spec);

            assertThat(c.result().verdict()).as("%s", c).isEqualTo(Verdict.OK);
            assertThat(c.outLines()).containsExactly("0", "1", "2", Integer.toString(pipe[1]));
        } finally {
            for (int fd : new int[] {pipe[0], pipe[1], other[0], other[1]}) {
                Libc.close(fd);
            }
        }
    }

    @Test
    void setuidRootCopyInTheBoxGivesNoPrivilege() throws Exception {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("read_file", box);
        Path suid = TestPrograms.install("ids", box, "suid_ids");
        Files.setAttribute(suid, "unix:uid", 0);
        Files.setAttribute(suid, "unix:gid", 0);
        Files.setAttribute(suid, "unix:mode", 04755);
        int uid = box.identity().uid();

        Captured ids = Captured.run(box, "./suid_ids");
        assertThat(ids.out()).as("%s", ids).startsWith("uid=%d,%d,%d ".formatted(uid, uid, uid));

        assertThat(mountOptions(box, "/box")).contains("nosuid");
    }

    @Test
    void setuidRootBinaryOnABoundHostDirectoryGivesNoPrivilege() throws Exception {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("read_file", box);
        Path dir = Files.createTempDirectory(Path.of("/var/tmp"), "mini-isolate-suid",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        try {
            Path suid = dir.resolve("ids");
            Files.copy(TestPrograms.binary("ids"), suid);
            Files.setAttribute(suid, "unix:mode", 04755);
            var dirs = DirRules.apply(DirRules.defaults(), List.of("suid=" + dir));
            int uid = box.identity().uid();
            if (boxes.refusesOtherTemplate(box, RunSpec.of("/suid/ids").dirs(dirs))) {
                return;
            }

            Captured ids = Captured.run(box, RunSpec.of("/suid/ids").dirs(dirs));
            assertThat(ids.out()).as("%s", ids).startsWith("uid=%d,%d,%d ".formatted(uid, uid, uid));

            Captured mounts = Captured.run(box, RunSpec.of("./read_file", "/proc/self/mountinfo").dirs(dirs));
            assertThat(optionsOf(mounts.out(), "/suid")).contains("nosuid");
        } finally {
            TreeWalker.deleteTree(dir);
        }
    }

    @Test
    void hostnameIsTheBoxes() throws Exception {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("hostname", box);

        Captured c = Captured.run(box, "./hostname");

        assertThat(c.out()).as("%s", c).isEqualTo("box-" + BOX + "\n");
        assertThat(Files.readString(Path.of("/proc/sys/kernel/hostname")).trim()).isNotEqualTo("box-" + BOX);
    }

    @Test
    void devHoldsOnlyTheHarmlessDevices() {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("list_dir", box);

        Captured c = Captured.run(box, "./list_dir", "/dev");

        assertThat(c.result().verdict()).as("%s", c).isEqualTo(Verdict.OK);
        assertThat(c.outLines()).containsExactlyInAnyOrder(
                "c null", "c zero", "c full", "c random", "c urandom",
                "l fd -> /proc/self/fd", "l stdin -> /proc/self/fd/0", "l stdout -> /proc/self/fd/1",
                "l stderr -> /proc/self/fd/2", "d shm");
    }

    /** The per-mount options of {@code mountPoint} as the box sees them. */
    private static List<String> mountOptions(ProgramBox box, String mountPoint) {
        Captured c = Captured.run(box, "./read_file", "/proc/self/mountinfo");
        return optionsOf(c.out(), mountPoint);
    }

    private static List<String> optionsOf(String mountinfo, String mountPoint) {
        List<String> found = new ArrayList<>();
        for (String line : mountinfo.split("\n")) {
            String[] f = line.split(" ");
            if (f.length > 5 && f[4].equals(mountPoint)) {
                found = List.of(f[5].split(","));
            }
        }
        assertThat(found).as("mount options of %s in\n%s", mountPoint, mountinfo).isNotEmpty();
        return found;
    }
}
