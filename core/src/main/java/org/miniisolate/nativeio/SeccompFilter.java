package org.miniisolate.nativeio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One libseccomp filter context being built (a {@code scmp_filter_ctx}). Used by one thread,
 * closed once; {@link #exportBpf()} gives the classic BPF program the launcher installs.
 */
public final class SeccompFilter implements AutoCloseable {
    /** {@code struct scmp_arg_cmp}: unsigned int arg, enum scmp_compare op, scmp_datum_t a, b. */
    private static final StructLayout ARG_CMP = MemoryLayout.structLayout(
            JAVA_INT.withName("arg"), JAVA_INT.withName("op"), JAVA_LONG.withName("a"), JAVA_LONG.withName("b"));
    private static final int MAX_ARGS = 6;

    /** libseccomp's comparison operators ({@code enum scmp_compare}). */
    public enum Op {
        NE(1), LT(2), LE(3), EQ(4), GE(5), GT(6),
        /** {@code (arg & datumA) == datumB}. */
        MASKED_EQ(7);

        final int code;

        Op(int code) {
            this.code = code;
        }
    }

    /** One comparison of a system call argument (0-5) with {@code datumA} (and {@code datumB} for MASKED_EQ). */
    public record Comparison(int arg, Op op, long datumA, long datumB) {
        public Comparison {
            if (arg < 0 || arg >= MAX_ARGS) {
                throw new IllegalArgumentException("system calls have arguments 0 to 5, not " + arg);
            }
        }
    }

    private final Libseccomp lib;
    private MemorySegment ctx;

    SeccompFilter(Libseccomp lib, MemorySegment ctx) {
        this.lib = lib;
        this.ctx = ctx;
    }

    private MemorySegment ctx() {
        if (ctx == null) {
            throw new IllegalStateException("the seccomp filter was already released");
        }
        return ctx;
    }

    /** Adds an architecture (an ABI) the filter covers; the native one is there from the start. */
    public void addArch(int archToken) {
        try {
            int rc = (int) lib.handles().archAdd.invokeExact(ctx(), archToken);
            if (rc < 0 && rc != -17) { // -EEXIST: already covered
                throw new NativeException("seccomp_arch_add(0x" + Integer.toHexString(archToken) + ")", -rc);
            }
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** What happens to a call made through an architecture (ABI) the filter does not cover. */
    public void setBadArchAction(int action) {
        try {
            int rc = (int) lib.handles().attrSet.invokeExact(ctx(), Libseccomp.ATTR_ACT_BADARCH, action);
            if (rc < 0) {
                throw new NativeException("seccomp_attr_set(SCMP_FLTATR_ACT_BADARCH)", -rc);
            }
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /**
     * Has libseccomp (2.5 and later) lay out each architecture's system calls as a binary tree
     * rather than one chain of comparisons: the same decisions, in fewer instructions to each. The
     * kernel runs the whole filter once per system call number when it is installed (to find the
     * calls it may then let through without running it), so this is also what makes installing it
     * cheaper. False where the library cannot (an older one): the filter stays a chain.
     */
    public boolean useBinaryTree() {
        try {
            return (int) lib.handles().attrSet.invokeExact(ctx(), Libseccomp.ATTR_CTL_OPTIMIZE, 2) == 0;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /**
     * Calls {@code syscall} get {@code action} when every comparison holds (always, when there
     * are none). Rules on the same call are alternatives. libseccomp refuses two comparisons of
     * the same argument in one rule, and a rule whose action is the default action.
     */
    public void addRule(int action, int syscall, List<Comparison> comparisons) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment array = MemorySegment.NULL;
            if (!comparisons.isEmpty()) {
                array = arena.allocate(ARG_CMP, comparisons.size());
                for (int i = 0; i < comparisons.size(); i++) {
                    Comparison c = comparisons.get(i);
                    MemorySegment e = array.asSlice(i * ARG_CMP.byteSize(), ARG_CMP);
                    e.set(JAVA_INT, 0, c.arg());
                    e.set(JAVA_INT, 4, c.op().code);
                    e.set(JAVA_LONG, 8, c.datumA());
                    e.set(JAVA_LONG, 16, c.datumB());
                }
            }
            int rc = (int) lib.handles().ruleAddArray.invokeExact(ctx(), action, syscall, comparisons.size(), array);
            if (rc < 0) {
                throw new NativeException("seccomp_rule_add_array(syscall " + syscall + ", " + comparisons + ")", -rc);
            }
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /**
     * The filter as an array of {@code struct sock_filter}, ready for {@code seccomp(SECCOMP_SET_MODE_FILTER)}.
     * libseccomp 2.5 can only write it to a descriptor, so it goes through a private memfd.
     */
    public byte[] exportBpf() {
        int fd = Libc.memfd("mini-isolate-seccomp");
        try {
            int rc = (int) lib.handles().exportBpf.invokeExact(ctx(), fd);
            if (rc < 0) {
                throw new NativeException("seccomp_export_bpf", -rc);
            }
            // A fresh open of the memfd reads from offset 0, where the export left the offset at the end.
            return Files.readAllBytes(Path.of("/proc/self/fd/" + fd));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read back the exported seccomp filter", e);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        } finally {
            Libc.close(fd);
        }
    }

    /** Frees the context (seccomp_release); later calls fail. */
    @Override
    public void close() {
        if (ctx == null) {
            return;
        }
        try {
            lib.handles().release.invokeExact(ctx);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        } finally {
            ctx = null;
        }
    }
}
