package org.miniisolate.seccomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** isolate's flag bits become the right rules; rules refuse what libseccomp cannot compile. */
class SyscallPolicyTest {

    /** A rule as the built-in policy writes it: left out where libseccomp is too old to name the call. */
    private static SyscallRule builtIn(String call, int errno, ArgTest... when) {
        return SyscallRule.deny(call, errno, when).skippedIfUnknown();
    }

    private static List<String> callsDenied(SyscallPolicy p) {
        return p.rules().stream().map(SyscallRule::syscall).distinct().toList();
    }

    @Test
    void defaultIsIsolatesAllBitsPlusTheDenylist() {
        assertThat(SyscallPolicy.DEFAULT).isEqualTo(SyscallPolicy.isolate(65535));
        assertThat(SyscallPolicy.DEFAULT.nativeAbiOnly()).isTrue();
        assertThat(SyscallPolicy.DEFAULT.required()).isFalse();
        assertThat(callsDenied(SyscallPolicy.DEFAULT)).contains(
                "keyctl", "add_key", "request_key", "socket", "fcntl", "flock", "io_uring_setup",
                "mount", "pivot_root", "unshare", "clone", "clone3", "ptrace", "bpf", "personality");
    }

    @Test
    void zeroMeansNoFilterAtAll() {
        assertThat(SyscallPolicy.OFF).isEqualTo(SyscallPolicy.isolate(0));
        assertThat(SyscallPolicy.OFF.rules()).isEmpty();
        assertThat(SyscallPolicy.OFF.installsFilter()).isFalse();
    }

    @Test
    void eachIsolateBitTurnsOnItsOwnRestriction() {
        SyscallPolicy denylistOnly = SyscallPolicy.isolate(1 << 20); // a bit isolate does not define
        assertThat(denylistOnly.installsFilter()).isTrue();
        assertThat(callsDenied(denylistOnly)).doesNotContain("keyctl", "socket", "fcntl", "flock", "io_uring_setup")
                .contains("mount", "ptrace");
        assertThat(denylistOnly.nativeAbiOnly()).isFalse();

        assertThat(SyscallPolicy.isolate(SyscallFlags.KEYRINGS).rules())
                .contains(builtIn("keyctl", Errno.ENOSYS), builtIn("add_key", Errno.ENOSYS));
        assertThat(SyscallPolicy.isolate(SyscallFlags.VSOCK).rules())
                .contains(builtIn("socket", Errno.EAFNOSUPPORT, ArgTest.equal(0, 40)));
        assertThat(SyscallPolicy.isolate(SyscallFlags.FILE_LOCKS).rules())
                .contains(builtIn("fcntl", Errno.EPERM, ArgTest.equal(1, 6)),
                        builtIn("fcntl", Errno.EPERM, ArgTest.equal(1, 1026)),
                        builtIn("flock", Errno.ENOSYS));
        assertThat(SyscallPolicy.isolate(SyscallFlags.IO_URING).rules())
                .contains(builtIn("io_uring_setup", Errno.ENOSYS), builtIn("io_uring_enter", Errno.ENOSYS));
        assertThat(SyscallPolicy.isolate(SyscallFlags.NATIVE_ABI_ONLY).nativeAbiOnly()).isTrue();
    }

    @Test
    void bitsIsolateDoesNotDefineAreIgnored() {
        assertThat(SyscallPolicy.isolate(65535)).isEqualTo(SyscallPolicy.isolate(31));
        assertThat(SyscallPolicy.isolate(65535 & ~SyscallFlags.NATIVE_ABI_ONLY)).isEqualTo(SyscallPolicy.isolate(15));
    }

    @Test
    void builtInRulesAreSkippedWhereLibseccompIsTooOldButAddedRulesAreNot() {
        assertThat(SyscallPolicy.DEFAULT.rules()).allMatch(SyscallRule::skipIfUnknown);
        assertThat(SyscallRule.deny("sysinfo", Errno.EPERM).skipIfUnknown()).isFalse();
    }

    @Test
    void deniedCallsAnswerAnErrorNeverAKill() {
        assertThat(SyscallPolicy.DEFAULT.rules()).allSatisfy(r ->
                assertThat(r.errno()).isIn(Errno.EPERM, Errno.ENOSYS, Errno.EAFNOSUPPORT));
    }

    @Test
    void extendingAndRequiringKeepTheRest() {
        SyscallPolicy p = SyscallPolicy.DEFAULT.with(SyscallRule.deny("sysinfo", Errno.EPERM)).requireFilter();
        assertThat(p.rules()).endsWith(SyscallRule.deny("sysinfo", Errno.EPERM));
        assertThat(p.rules()).hasSize(SyscallPolicy.DEFAULT.rules().size() + 1);
        assertThat(p.required()).isTrue();
        assertThat(p.nativeAbiOnly()).isTrue();
        assertThat(p.filterKey().required()).isFalse();
    }

    @Test
    void rulesRefuseWhatLibseccompCannotExpress() {
        assertThatThrownBy(() -> SyscallRule.deny("personality", Errno.EPERM, ArgTest.equal(0, 1), ArgTest.equal(0, 2)))
                .hasMessageContaining("tests argument 0 twice").hasMessageContaining("alternative rules");
        assertThatThrownBy(() -> SyscallRule.deny("mount", 0)).hasMessageContaining("1 to 4095");
        for (String bad : new String[] {"mount; rm", "", "2mount", "Mount", "mount-2", "mo unt", "mount\n"}) {
            assertThatThrownBy(() -> SyscallRule.deny(bad, Errno.EPERM)).as(bad).hasMessageContaining("not a system call name");
        }
        for (String good : new String[] {"_llseek", "clock_settime64", "x", "_"}) {
            assertThat(SyscallRule.deny(good, Errno.EPERM).syscall()).isEqualTo(good);
        }
        assertThatThrownBy(() -> ArgTest.equal(6, 0)).hasMessageContaining("arguments 0 to 5");
        assertThatThrownBy(() -> new ArgTest.MaskedEquals(0, 0x1, 0x2)).hasMessageContaining("never match");
        assertThatThrownBy(() -> SyscallPolicy.isolate(-1)).hasMessageContaining("negative");
    }

    @Test
    void twoAnswersToTheSameCallAreRefusedBeforeLibseccompPicksOneSilently() {
        assertThatThrownBy(() -> SyscallPolicy.DEFAULT.with(SyscallRule.deny("keyctl", Errno.EPERM)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keyctl").hasMessageContaining("ENOSYS and EPERM");
        // The same denial twice is harmless.
        assertThat(SyscallPolicy.DEFAULT.with(SyscallRule.deny("keyctl", Errno.ENOSYS)).installsFilter()).isTrue();
    }

    @Test
    void flagsParseAsIsolateWritesThem() {
        assertThat(SyscallFlags.parse("65535")).isEqualTo(65535);
        assertThat(SyscallFlags.parse(" 0 ")).isZero();
        assertThat(SyscallFlags.parse("65519")).isEqualTo(65519);
        for (String bad : List.of("", "abc", "-1", "+5", "0x10", "99999999999")) {
            assertThatThrownBy(() -> SyscallFlags.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid system call flags");
        }
    }
}
