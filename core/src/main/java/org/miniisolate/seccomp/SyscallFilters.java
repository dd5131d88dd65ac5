package org.miniisolate.seccomp;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.miniisolate.nativeio.Libseccomp;
import org.miniisolate.nativeio.LibseccompUnavailableException;

/**
 * The compiled filters of one sandbox: loads libseccomp on first need, compiles each distinct
 * policy once and hands out its bytes. Thread-safe; one per {@link org.miniisolate.Sandbox}.
 *
 * <p>Without libseccomp, runs go ahead unfiltered (unless their policy {@linkplain
 * SyscallPolicy#required() requires} a filter) and {@link #support()} says why, so the caller
 * can warn once. The library is tried only once.
 */
public final class SyscallFilters {
    private final String library;
    private final Map<SyscallPolicy, CompiledFilter> compiled = new ConcurrentHashMap<>();
    private final Object loadLock = new Object();
    private BpfCompiler compiler; // guarded by loadLock, like the two below
    private LibseccompUnavailableException loadFailure;
    private boolean loadTried;

    /** @param library libseccomp's soname or path, e.g. {@link Libseccomp#DEFAULT_LIBRARY} */
    public SyscallFilters(String library) {
        this.library = library;
    }

    /** Uses the library named by {@link Libseccomp#LIBRARY_PROPERTY}, or libseccomp.so.2. */
    public static SyscallFilters forThisMachine() {
        return new SyscallFilters(Libseccomp.configuredLibrary());
    }

    /**
     * The filter for {@code policy}, compiled on its first use, as a fresh copy; null when the
     * policy installs none, or when libseccomp is missing and the policy does not require it.
     *
     * @throws FilterUnavailableException when the policy requires a filter and none can be built
     * @throws IllegalArgumentException   when a rule cannot be compiled (unknown call, conflict)
     */
    public byte[] bpfFor(SyscallPolicy policy) {
        if (!policy.installsFilter()) {
            return null;
        }
        BpfCompiler c = compiler();
        if (c == null) {
            if (policy.required()) {
                throw new FilterUnavailableException(loadFailure().getMessage(), loadFailure());
            }
            return null;
        }
        return compiled.computeIfAbsent(policy.filterKey(), c::compile).bpf().clone();
    }

    /** Whether filters can be built here; compiles the default policy to be sure. */
    public SeccompSupport support() {
        BpfCompiler c = compiler();
        if (c == null) {
            return new SeccompSupport.Unavailable(loadFailure().getMessage());
        }
        try {
            CompiledFilter d = compiled.computeIfAbsent(SyscallPolicy.DEFAULT.filterKey(), c::compile);
            return new SeccompSupport.Available(c.library().library(), c.library().version(), d.instructions(),
                    d.unnamedCalls());
        } catch (RuntimeException e) {
            return new SeccompSupport.Unavailable("libseccomp " + c.library().version()
                    + " cannot compile the default policy: " + e.getMessage());
        }
    }

    /** How many distinct filters were compiled (for tests of the cache). */
    int compiledPolicies() {
        return compiled.size();
    }

    private BpfCompiler compiler() {
        synchronized (loadLock) {
            if (!loadTried) {
                loadTried = true;
                try {
                    compiler = new BpfCompiler(Libseccomp.load(library));
                } catch (LibseccompUnavailableException e) {
                    loadFailure = e;
                }
            }
            return compiler;
        }
    }

    private LibseccompUnavailableException loadFailure() {
        synchronized (loadLock) {
            return loadFailure;
        }
    }
}
