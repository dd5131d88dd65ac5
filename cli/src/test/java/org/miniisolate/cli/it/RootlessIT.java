package org.miniisolate.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.miniisolate.UnprivilegedUser;

/**
 * Both faces of the built jar run by an unprivileged user (rootless mode): a judge's init, runs and cleanup, the
 * warning said once per invocation, strict mode, {@code check}, and nothing left behind.
 */
class RootlessIT {
    private static final String ROOTLESS_WARNING = "mini-isolate: warning: rootless mode (running as uid ";

    private static UnprivilegedUser.Output cli(UnprivilegedUser user, Path jar, Map<String, String> env, String... args) {
        ProcessBuilder pb = user.javaJar(jar, List.of(args));
        if (!env.isEmpty()) {
            // The user's command is "setpriv ... env -i HOME=... XDG_RUNTIME_DIR=... PATH=... java ...": add after PATH.
            List<String> cmd = new java.util.ArrayList<>(pb.command());
            int at = cmd.indexOf("PATH=/usr/bin:/bin") + 1;
            env.forEach((k, v) -> cmd.add(at, k + "=" + v));
            pb.command(cmd);
        }
        return UnprivilegedUser.await(pb, 60);
    }

    private static long count(String text, String needle) {
        return text.lines().filter(l -> l.contains(needle)).count();
    }

    @Test
    void theIsolateFaceWorksForAUserAndSaysOnceWhatItLacks() throws IOException {
        try (UnprivilegedUser user = UnprivilegedUser.create()) {
            Path jar = user.share(Cli.jar());
            Path boxRoot = user.runtimeDir().resolve("mini-isolate");
            Path meta = user.home().resolve("meta");

            UnprivilegedUser.Output init = cli(user, jar, Map.of(), "--init");
            assertThat(init.exitCode()).as("%s", init).isZero();
            assertThat(init.out().trim()).isEqualTo(boxRoot.resolve("0").toString());
            assertThat(count(init.err(), ROOTLESS_WARNING)).as("%s", init).isEqualTo(1);

            UnprivilegedUser.Output ok = cli(user, jar, Map.of(), "-M", meta.toString(), "-t", "5", "--processes=4", "-o", "out.txt",
                    "--run", "--", "/bin/sh", "-c", "echo hi; id -u");
            assertThat(ok.exitCode()).as("%s", ok).isZero();
            assertThat(ok.err()).as("%s", ok).contains("OK (");
            assertThat(count(ok.err(), ROOTLESS_WARNING)).as("%s", ok).isEqualTo(1);
            assertThat(ok.err()).contains("separate host uid per box", "systemd-run --user --scope -p Delegate=yes");
            assertThat(Files.readString(boxRoot.resolve("0/box/out.txt"))).isEqualTo("hi\n60000\n");
            assertThat(Files.getAttribute(boxRoot.resolve("0/box/out.txt"), "unix:uid")).isEqualTo(user.uid());
            assertThat(Files.readString(meta)).contains("exitcode:0").doesNotContain("status:");

            UnprivilegedUser.Output re = cli(user, jar, Map.of(), "-M", meta.toString(), "--run", "--", "/bin/sh", "-c", "exit 3");
            assertThat(re.exitCode()).as("%s", re).isEqualTo(1);
            assertThat(Files.readString(meta)).contains("status:RE", "exitcode:3");

            UnprivilegedUser.Output to = cli(user, jar, Map.of(), "-M", meta.toString(), "-t", "0.3", "--run", "--",
                    "/bin/sh", "-c", "while :; do :; done");
            assertThat(to.exitCode()).as("%s", to).isEqualTo(1);
            assertThat(Files.readString(meta)).contains("status:TO");

            UnprivilegedUser.Output cleanup = cli(user, jar, Map.of(), "--cleanup");
            assertThat(cleanup.exitCode()).as("%s", cleanup).isZero();
            assertThat(user.processes()).isEmpty();
            assertThat(entries(boxRoot)).containsOnly(".launcher", ".locks");
        }
    }

    @Test
    void aQuotaIsWarnedAboutOrRefusedInStrictModeAndCgroupModeToo() {
        try (UnprivilegedUser user = UnprivilegedUser.create()) {
            Path jar = user.share(Cli.jar());
            UnprivilegedUser.Output strict = cli(user, jar, Map.of("MINI_ISOLATE_STRICT", "1"), "-q", "1000,100", "--init");
            assertThat(strict.exitCode()).as("%s", strict).isEqualTo(2);
            assertThat(strict.err()).as("%s", strict).contains("without its quota (strict mode)");

            UnprivilegedUser.Output lenient = cli(user, jar, Map.of(), "-q", "1000,100", "--init");
            assertThat(lenient.exitCode()).as("%s", lenient).isZero();
            assertThat(count(lenient.err(), "disk quota (-q 1000,100) not enforced")).as("%s", lenient).isEqualTo(1);
            assertThat(cli(user, jar, Map.of(), "--cleanup").exitCode()).isZero();

            assertThat(cli(user, jar, Map.of(), "--cg", "--init").exitCode()).isZero();
            UnprivilegedUser.Output cg = cli(user, jar, Map.of("MINI_ISOLATE_STRICT", "1"), "--cg", "--cg-mem=65536", "--run",
                    "--", "/bin/true");
            assertThat(cg.exitCode()).as("%s", cg).isEqualTo(2);
            assertThat(cg.err()).as("%s", cg).contains("Refusing to run without cgroup limits (strict mode)");
            UnprivilegedUser.Output degraded = cli(user, jar, Map.of(), "--cg", "--cg-mem=65536", "--run", "--", "/bin/true");
            assertThat(degraded.exitCode()).as("%s", degraded).isZero();
            assertThat(count(degraded.err(), "cgroup memory controller unavailable")).as("%s", degraded).isEqualTo(1);
            assertThat(cli(user, jar, Map.of(), "--cg", "--cleanup").exitCode()).isZero();
            assertThat(user.processes()).isEmpty();
        }
    }

    @Test
    void theSubcommandFaceWorksForAUserAndCheckSaysRootless() {
        try (UnprivilegedUser user = UnprivilegedUser.create()) {
            Path jar = user.share(Cli.jar());
            assertThat(cli(user, jar, Map.of(), "init", "--box-id", "3").exitCode()).isZero();
            UnprivilegedUser.Output run = cli(user, jar, Map.of(), "run", "--box-id", "3", "--", "/bin/echo", "sub");
            assertThat(run.exitCode()).as("%s", run).isZero();
            assertThat(run.out()).as("%s", run).startsWith("sub\n");
            assertThat(count(run.err(), ROOTLESS_WARNING)).as("%s", run).isEqualTo(1);
            assertThat(cli(user, jar, Map.of(), "cleanup", "--box-id", "3").exitCode()).isZero();

            UnprivilegedUser.Output check = cli(user, jar, Map.of(), "check");
            assertThat(check.out()).as("%s", check).contains("rootless mode", "user-namespaces", "unprivileged user namespaces available");
            assertThat(check.out()).as("%s", check).doesNotContain("cannot open the sandbox");
            assertThat(user.processes()).isEmpty();
        }
    }

    private static List<String> entries(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
