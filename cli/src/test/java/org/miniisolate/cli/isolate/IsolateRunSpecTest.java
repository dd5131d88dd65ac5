package org.miniisolate.cli.isolate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.miniisolate.config.ConfigFile;
import org.miniisolate.config.ConfigValues;
import org.miniisolate.seccomp.SyscallFlags;
import org.miniisolate.seccomp.SyscallPolicy;
import org.miniisolate.spec.CgroupLimits;
import org.miniisolate.spec.DirRules;
import org.miniisolate.spec.Limits;
import org.miniisolate.spec.RunSpec;

/** isolate's defaults and the meaning of 0 and "absent" when options become core limits. */
class IsolateRunSpecTest {

    private static IsolateOptions parse(String... args) throws UsageException {
        return IsolateCommandLine.parse(args);
    }

    @Test
    void defaultsAreIsolates() throws Exception {
        Limits l = IsolateRunSpec.limits(parse("--run", "--", "/bin/true"));
        assertThat(l).isEqualTo(new Limits(Duration.ZERO, Duration.ZERO, Duration.ZERO, 0, 0, 0, 0, 1024, 1));
    }

    @Test
    void everyLimitOption() throws Exception {
        Limits l = IsolateRunSpec.limits(parse("-t", "1.5", "-w", "3", "-x", "2", "-m", "1000", "-k", "2000",
                "-f", "3000", "--core", "4", "-n", "50", "-p7", "--run", "--", "/bin/true"));
        assertThat(l).isEqualTo(new Limits(Duration.ofMillis(1500), Duration.ofSeconds(3), Duration.ofSeconds(2),
                1000, 2000, 3000, 4, 50, 7));
    }

    @Test
    void processesWithoutValueIsUnlimitedAndOpenFilesZeroInherits() throws Exception {
        Limits l = IsolateRunSpec.limits(parse("-p", "-n", "0", "--run", "--", "/bin/true"));
        assertThat(l.processes()).isZero();
        assertThat(l.openFiles()).isZero();
    }

    @Test
    void dirsStartFromTheDefaultsOrFromNothing() throws Exception {
        assertThat(IsolateRunSpec.dirs(parse("--init"))).isEqualTo(DirRules.defaults());
        assertThat(IsolateRunSpec.dirs(parse("-D", "-d", "/usr", "--init"))).hasSize(1);
        assertThat(IsolateRunSpec.dirs(parse("-d", "tmp=", "--init"))).hasSize(DirRules.defaults().size() - 1);
    }

    @Test
    void badDirRuleIsAUsageError() {
        assertThatThrownBy(() -> IsolateRunSpec.dirs(parse("-d", "x=relative", "--init")))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("Right-hand side must start with '/' or './'");
    }

    @Test
    void environmentAndFds() throws Exception {
        Map<String, String> caller = Map.of("A", "1", "MINI_ISOLATE_INHERITED_FDS", "5,7");
        RunSpec plain = IsolateRunSpec.build(parse("--run", "--", "/bin/true"), DirRules.defaults(), caller,
                ConfigValues.EMPTY);
        assertThat(plain.environment()).containsExactly(Map.entry("LIBC_FATAL_STDERR_", "1"));
        assertThat(plain.inheritedFds()).isEmpty();

        RunSpec full = IsolateRunSpec.build(parse("-e", "--inherit-fds", "--run", "--", "/bin/true"),
                DirRules.defaults(), caller, ConfigValues.EMPTY);
        assertThat(full.environment()).containsEntry("A", "1").doesNotContainKey("MINI_ISOLATE_INHERITED_FDS");
        assertThat(full.inheritedFds()).containsExactly(5, 7);
    }

    private static RunSpec build(ConfigValues config, String... args) throws UsageException {
        IsolateOptions o = parse(args);
        return IsolateRunSpec.build(o, IsolateRunSpec.dirs(o), Map.of(), config);
    }

    private static ConfigValues config(String... lines) {
        return ConfigFile.parse("test.conf", java.util.List.of(lines));
    }

    @Test
    void plainRunsHaveNoCgroupsAndEveryRestrictionOfTheFilter() throws Exception {
        RunSpec spec = build(ConfigValues.EMPTY, "--run", "--", "/bin/true");
        assertThat(spec.cgroups()).isNull();
        assertThat(spec.syscalls()).isEqualTo(SyscallPolicy.isolate(SyscallFlags.ALL));
        assertThat(spec.keepSpecialFiles()).isFalse();
    }

    @Test
    void cgModeTakesTheMemoryLimitAndTheBoxsCpusetFromTheConfig() throws Exception {
        ConfigValues c = config("box3.cpus = 0-1", "box3.mems = 0", "box4.cpus = 1");
        assertThat(build(c, "-b", "3", "--cg", "--cg-mem=32768", "--run", "--", "/bin/true").cgroups())
                .isEqualTo(CgroupLimits.memory(32768).withCpuset("0-1", "0"));
        assertThat(build(c, "-b", "4", "--cg", "--run", "--", "/bin/true").cgroups())
                .isEqualTo(CgroupLimits.DEFAULTS.withCpuset("1", null));
        assertThat(build(c, "-b", "5", "--cg", "--run", "--", "/bin/true").cgroups()).isEqualTo(CgroupLimits.DEFAULTS);
        // isolate applies cpusets in cgroup mode only.
        assertThat(build(c, "-b", "3", "--run", "--", "/bin/true").cgroups()).isNull();
    }

    @Test
    void syscallFlagsComeFromTheOptionThenTheConfigThenTheDefault() throws Exception {
        ConfigValues c = config("syscall_flags = 15");
        assertThat(build(c, "--run", "--", "/bin/true").syscalls()).isEqualTo(SyscallPolicy.isolate(15));
        assertThat(build(c, "--syscalls=0", "--run", "--", "/bin/true").syscalls()).isEqualTo(SyscallPolicy.OFF);
        assertThat(build(ConfigValues.EMPTY, "--syscalls=16", "--run", "--", "/bin/true").syscalls())
                .isEqualTo(SyscallPolicy.isolate(16));
    }

    @Test
    void specialFilesAreKeptOnlyWhenAsked() throws Exception {
        assertThat(build(ConfigValues.EMPTY, "--special-files", "--run", "--", "/bin/true").keepSpecialFiles()).isTrue();
    }
}
