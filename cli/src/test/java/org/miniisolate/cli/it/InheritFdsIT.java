package org.miniisolate.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * --inherit-fds through bin/mini-isolate, the only way to use it: the script lists the caller's descriptors before
 * the JVM starts. Descriptors the test environment itself leaks are passed too; only our own fd 5 is asserted on.
 */
class InheritFdsIT {
    private static final int BOX = 51;
    private static final String CONTENT = "passed through fd 5\n";

    private static Cli cli;
    private static Path file;

    @BeforeAll
    static void open() throws Exception {
        cli = Cli.open();
        cli.init(BOX);
        file = cli.scratch().resolve("fd5.txt");
        Files.writeString(file, CONTENT);
    }

    @AfterAll
    static void close() {
        if (cli != null) {
            cli.close();
        }
    }

    /** bin/mini-isolate of this checkout: the jar is cli/target/mini-isolate.jar. */
    private static Path script() {
        return Cli.jar().toAbsolutePath().getParent().getParent().getParent().resolve("bin/mini-isolate");
    }

    private static Cli.Result runWithFd5(String... options) {
        String cmd = "exec 5<\"$1\"; shift; exec \"$@\"";
        List<String> argv = new java.util.ArrayList<>(List.of("bash", "-c", cmd, "bash", file.toString(),
                script().toString(), "-b", Integer.toString(BOX)));
        argv.addAll(List.of(options));
        argv.addAll(List.of("--run", "--", "/bin/sh", "-c", "exec cat <&5"));
        // The program is exec'd by the shell: the default limit of one process allows no fork. JAVA_HOME makes the
        // script run the jar on the JDK running these tests.
        return cli.startCommand(argv, Map.of("JAVA_HOME", System.getProperty("java.home"))).await();
    }

    @Test
    void inheritedDescriptorReachesTheProgram() {
        Cli.Result r = runWithFd5("--inherit-fds");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo(CONTENT);
    }

    @Test
    void withoutTheOptionTheDescriptorIsClosed() {
        Cli.Result r = runWithFd5();
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).contains("Exited with error status");
    }
}
