package org.miniisolate.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The resource limits the program starts with, for isolate's defaults and for each option, read back by ulimit. */
class LimitsIT {
    private static final int BOX = 61;
    private static final String B = Integer.toString(BOX);
    /** dash's ulimit: -v address space KiB, -s stack KiB, -f file size in 512-byte blocks, -c core blocks. */
    private static final String SHOW = "ulimit -v; ulimit -s; ulimit -f; ulimit -c; ulimit -n; ulimit -p";

    private static Cli cli;

    @BeforeAll
    static void open() {
        cli = Cli.open();
        cli.init(BOX);
    }

    @AfterAll
    static void close() {
        if (cli != null) {
            cli.close();
        }
    }

    @Test
    void isolateDefaults() {
        Cli.Result r = cli.run("-b", B, "--run", "--", "/bin/sh", "-c", SHOW);
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo("unlimited\nunlimited\nunlimited\n0\n1024\n1\n");
    }

    @Test
    void eachLimitOption() {
        Cli.Result r = cli.run("-b", B, "-m", "65536", "-k", "8192", "-f", "100", "--core", "50", "-n", "77",
                "--processes=5", "--run", "--", "/bin/sh", "-c", SHOW);
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo("65536\n8192\n200\n100\n77\n5\n");
    }

    @Test
    void zeroMeansUnlimitedOrInherited() {
        Cli.Result r = cli.run("-b", B, "-m", "0", "-f", "0", "-n", "0", "-p", "--run", "--", "/bin/sh", "-c",
                "ulimit -v; ulimit -f; ulimit -n; ulimit -p");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        // -n 0 and -p keep this process's limits, as isolate does.
        String[] lines = r.stdout().split("\n");
        assertThat(lines[0]).isEqualTo("unlimited");
        assertThat(lines[1]).isEqualTo("unlimited");
        assertThat(lines[2]).isNotEqualTo("1024");
        assertThat(lines[3]).isNotEqualTo("1");
    }

    @Test
    void oneProcessAllowsNoForkButUnlimitedDoes() {
        Cli.Result one = cli.run("-b", B, "--run", "--", "/bin/sh", "-c", "/bin/true && echo forked");
        assertThat(one.exitCode()).isEqualTo(1);
        assertThat(one.stdout()).isEmpty();

        Cli.Result any = cli.run("-b", B, "-p", "--run", "--", "/bin/sh", "-c", "/bin/true && echo forked");
        assertThat(any.exitCode()).as(any.stderr()).isZero();
        assertThat(any.stdout()).isEqualTo("forked\n");
    }

    @Test
    void fileSizeLimitEndsTheProgramWithSIGXFSZ() {
        Cli.Result r = cli.run("-b", B, "-f", "1", "-M", "-", "--run", "--", "/bin/sh", "-c",
                "exec /usr/bin/head -c 4096 /dev/zero > big");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(Meta.parse(r.stdout()).get("exitsig")).isEqualTo("25");
    }
}
