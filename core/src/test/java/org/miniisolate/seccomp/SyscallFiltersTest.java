package org.miniisolate.seccomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.miniisolate.nativeio.Libseccomp;

/** Compiling policies with the real libseccomp, caching them, and living without the library. */
class SyscallFiltersTest {
    private static final int AUDIT_ARCH_X86_64 = 0xc000003e;
    private static final int AUDIT_ARCH_I386 = 0x40000003;
    private static final int BPF_LD_W_ABS = 0x20;
    private static final int SECCOMP_DATA_ARCH = 4;

    private final SyscallFilters filters = new SyscallFilters(Libseccomp.DEFAULT_LIBRARY);

    /** Whether some instruction of {@code bpf} compares with or loads the constant {@code k}. */
    private static boolean mentions(byte[] bpf, int k) {
        ByteBuffer b = ByteBuffer.wrap(bpf).order(ByteOrder.nativeOrder());
        for (int i = 0; i < bpf.length; i += 8) {
            if (b.getInt(i + 4) == k) {
                return true;
            }
        }
        return false;
    }

    @Test
    void defaultPolicyCompilesToAFilterThatChecksTheArchitectureFirst() {
        byte[] bpf = filters.bpfFor(SyscallPolicy.DEFAULT);

        assertThat(bpf.length % 8).isZero();
        assertThat(bpf.length / 8).isBetween(10, 4096); // BPF_MAXINSNS
        ByteBuffer b = ByteBuffer.wrap(bpf).order(ByteOrder.nativeOrder());
        assertThat(b.getShort(0) & 0xffff).as("first instruction loads seccomp_data.arch").isEqualTo(BPF_LD_W_ABS);
        assertThat(b.getInt(4)).isEqualTo(SECCOMP_DATA_ARCH);
        assertThat(mentions(bpf, AUDIT_ARCH_X86_64)).isTrue();
        assertThat(mentions(bpf, AUDIT_ARCH_I386)).as("native ABI only: no i386 branch").isFalse();
    }

    @Test
    void clearingBit16CoversTheOtherAbisWithTheSameRules() {
        byte[] bpf = filters.bpfFor(SyscallPolicy.isolate(SyscallFlags.ALL & ~SyscallFlags.NATIVE_ABI_ONLY));
        assertThat(mentions(bpf, AUDIT_ARCH_I386)).isTrue();
        assertThat(bpf.length).isGreaterThan(filters.bpfFor(SyscallPolicy.DEFAULT).length);
    }

    @Test
    void eachDistinctPolicyIsCompiledOnceAndTheBytesAreStable() {
        byte[] first = filters.bpfFor(SyscallPolicy.DEFAULT);
        byte[] again = filters.bpfFor(SyscallPolicy.isolate(65535));
        byte[] strict = filters.bpfFor(SyscallPolicy.DEFAULT.requireFilter());
        byte[] fresh = new SyscallFilters(Libseccomp.DEFAULT_LIBRARY).bpfFor(SyscallPolicy.DEFAULT);

        assertThat(again).isEqualTo(first).isNotSameAs(first);
        assertThat(strict).isEqualTo(first);
        assertThat(fresh).isEqualTo(first);
        assertThat(filters.compiledPolicies()).isEqualTo(1);
        again[0] ^= 1; // a caller scribbling on its copy changes nothing for the next run
        assertThat(filters.bpfFor(SyscallPolicy.DEFAULT)).isEqualTo(first);
    }

    @Test
    void noFilterMeansNoBytes() {
        assertThat(filters.bpfFor(SyscallPolicy.OFF)).isNull();
        assertThat(filters.compiledPolicies()).isZero();
    }

    @Test
    void anUnknownCallIsNamedInTheError() {
        SyscallPolicy p = SyscallPolicy.DEFAULT.with(SyscallRule.deny("no_such_call", Errno.EPERM));
        assertThatThrownBy(() -> filters.bpfFor(p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no_such_call");
    }

    @Test
    void aCallTooNewForLibseccompIsLeftOutOnlyWhenTheRuleSaysSo() {
        CompiledFilter c = new BpfCompiler(Libseccomp.load(Libseccomp.DEFAULT_LIBRARY))
                .compile(SyscallPolicy.DEFAULT.with(SyscallRule.deny("no_such_call", Errno.EPERM).skippedIfUnknown()));
        assertThat(c.unnamedCalls()).containsExactly("no_such_call");
        assertThat(c.bpf()).isEqualTo(filters.bpfFor(SyscallPolicy.DEFAULT));
    }

    @Test
    void theSameDenialTwiceCompilesToTheSameFilter() {
        assertThat(filters.bpfFor(SyscallPolicy.DEFAULT.with(SyscallRule.deny("keyctl", Errno.ENOSYS))))
                .isEqualTo(filters.bpfFor(SyscallPolicy.DEFAULT));
    }

    @Test
    void supportNamesTheLibraryVersionAndFilterSize() {
        SeccompSupport s = filters.support();
        assertThat(s).isInstanceOf(SeccompSupport.Available.class);
        SeccompSupport.Available a = (SeccompSupport.Available) s;
        assertThat(a.version()).matches("2\\.\\d+\\.\\d+");
        assertThat(a.defaultFilterInstructions()).isEqualTo(filters.bpfFor(SyscallPolicy.DEFAULT).length / 8);
        assertThat(a.summary()).startsWith("seccomp: active (libseccomp 2.");
        assertThat(a.unnamedCalls()).as("2.5.4 knows every call of the default policy").isEmpty();
    }

    @Test
    void withoutTheLibraryRunsGoUnfilteredUnlessAFilterIsRequired() {
        SyscallFilters missing = new SyscallFilters("/nonexistent/libseccomp.so.2");

        assertThat(missing.bpfFor(SyscallPolicy.DEFAULT)).isNull();
        assertThat(missing.bpfFor(SyscallPolicy.OFF.requireFilter())).as("nothing to install, nothing missing").isNull();
        assertThatThrownBy(() -> missing.bpfFor(SyscallPolicy.DEFAULT.requireFilter()))
                .isInstanceOf(FilterUnavailableException.class)
                .hasMessageContaining("requires a system call filter")
                .hasMessageContaining("/nonexistent/libseccomp.so.2")
                .hasMessageContaining("install libseccomp");
        SeccompSupport s = missing.support();
        assertThat(s).isInstanceOf(SeccompSupport.Unavailable.class);
        assertThat(((SeccompSupport.Unavailable) s).warning())
                .startsWith("Warning: programs run WITHOUT a system call filter")
                .contains("/nonexistent/libseccomp.so.2");
    }
}
