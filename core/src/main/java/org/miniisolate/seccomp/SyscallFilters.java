package org.miniisolate.seccomp;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.miniisolate.nativeio.Libseccomp;
import org.miniisolate.nativeio.LibseccompUnavailableException;

/**
 * The compiled filters of one sandbox: loads libseccomp on first need, compiles each distinct
 * policy once and hands out its bytes. Thread-safe; one per {@link org.miniisolate.Sandbox}.
 *
 * <p>With a cache directory, compiled filters also outlive the process ({@link FilterCache}): a
 * CLI run then loads the default policy's filter from disk instead of linking libseccomp's
 * functions and compiling it again.
 *
 * <p>Without libseccomp, runs go ahead unfiltered (unless their policy {@linkplain
 * SyscallPolicy#required() requires} a filter) and {@link #support()} says why, so the caller
 * can warn once. The library is tried only once.
 */
public final class SyscallFilters {
    private final String library;
    private final FilterCache disk; // null: compile in memory only
    private final Map<SyscallPolicy, CompiledFilter> compiled = new ConcurrentHashMap<>();
    private final Object loadLock = new Object();
    private BpfCompiler compiler; // guarded by loadLock, like the two below
    private LibseccompUnavailableException loadFailure;
    private boolean loadTried;
    private final AtomicInteger fromDisk = new AtomicInteger();

    /** @param library libseccomp's soname or path, e.g. {@link Libseccomp#DEFAULT_LIBRARY} */
    public SyscallFilters(String library) {
        this(library, null);
    }

    /**
     * @param library  libseccomp's soname or path
     * @param cacheDir private directory (owned by this user, writable by nobody else) where
     *                 compiled filters are kept between processes; null for none
     */
    public SyscallFilters(String library, Path cacheDir) {
        this.library = library;
        this.disk = cacheDir == null ? null : new FilterCache(cacheDir);
    }

    /** Uses the library named by {@link Libseccomp#LIBRARY_PROPERTY}, or libseccomp.so.2; no disk cache. */
    public static SyscallFilters forThisMachine() {
        return forThisMachine(null);
    }

    /** As {@link #forThisMachine()}, keeping compiled filters in {@code cacheDir} (see {@link #SyscallFilters(String, Path)}). */
    public static SyscallFilters forThisMachine(Path cacheDir) {
        return new SyscallFilters(Libseccomp.configuredLibrary(), cacheDir);
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
        return compiled.computeIfAbsent(policy.filterKey(), p -> obtain(c, p)).bpf().clone();
    }

    /** Whether filters can be built here; compiles the default policy to be sure. */
    public SeccompSupport support() {
        BpfCompiler c = compiler();
        if (c == null) {
            return new SeccompSupport.Unavailable(loadFailure().getMessage());
        }
        try {
            CompiledFilter d = compiled.computeIfAbsent(SyscallPolicy.DEFAULT.filterKey(), p -> obtain(c, p));
            // The version recorded with the filter: asking the library would link a function a cached filter did not need.
            return new SeccompSupport.Available(c.library().library(), d.libraryVersion(), d.instructions(),
                    d.unnamedCalls());
        } catch (RuntimeException e) {
            return new SeccompSupport.Unavailable("libseccomp " + c.library().version()
                    + " cannot compile the default policy: " + e.getMessage());
        }
    }

    /** The filter from the disk cache when it holds a valid one, else compiled now (and stored there). */
    private CompiledFilter obtain(BpfCompiler c, SyscallPolicy policy) {
        if (disk == null) {
            return c.compile(policy);
        }
        String key;
        try {
            key = FilterCache.key(policy, c.library().identity());
        } catch (RuntimeException e) {
            return c.compile(policy); // cannot tell which library this is: never cache blind
        }
        CompiledFilter cached = disk.load(key);
        if (cached != null) {
            fromDisk.incrementAndGet();
            return cached;
        }
        CompiledFilter fresh = c.compile(policy);
        disk.store(key, fresh);
        return fresh;
    }

    /** How many filters came from the disk cache (for tests). */
    int loadedFromDisk() {
        return fromDisk.get();
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
