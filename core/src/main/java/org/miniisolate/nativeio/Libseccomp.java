package org.miniisolate.nativeio;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.NoSuchElementException;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The parts of libseccomp (2.4 or later) that turn a policy into a classic BPF program. The JVM
 * never loads a filter into itself: it only compiles one, and the launcher installs the bytes
 * in the boxed program. So no libseccomp headers at build time and none in the launcher.
 *
 * <p>One instance per loaded library; its methods are safe to call from several threads, each
 * {@link SeccompFilter} belongs to one.
 */
@SuppressWarnings("restricted")
public final class Libseccomp {
    /** System property naming the library (a soname or a path); installers use it where the soname differs. */
    public static final String LIBRARY_PROPERTY = "miniisolate.libseccomp";
    public static final String DEFAULT_LIBRARY = "libseccomp.so.2";

    /** Actions, as in seccomp.h. */
    public static final int ACT_ALLOW = 0x7fff0000;
    public static final int ACT_KILL_PROCESS = 0x80000000;

    /** Architecture tokens (the kernel's AUDIT_ARCH_* values), as in seccomp.h. */
    public static final int ARCH_X86 = 0x40000003;
    public static final int ARCH_X86_64 = 0xc000003e;
    public static final int ARCH_X32 = 0x4000003e;

    static final int ATTR_ACT_BADARCH = 2;
    static final int ATTR_CTL_OPTIMIZE = 8;

    private final String library;
    private final SymbolLookup lookup;
    private volatile Handles handles; // linked on first use: a cached filter needs none of them

    /** The bound functions: nine downcall shapes, about 10 ms each to link in a cold JVM. */
    static final class Handles {
        final MethodHandle init;
        final MethodHandle release;
        final MethodHandle archAdd;
        final MethodHandle ruleAddArray;
        final MethodHandle attrSet;
        final MethodHandle exportBpf;
        final MethodHandle archNative;
        final MethodHandle resolveName;
        final MethodHandle version;

        private Handles(SymbolLookup lookup) {
            init = bind(lookup, "seccomp_init", FunctionDescriptor.of(ADDRESS, JAVA_INT));
            release = bind(lookup, "seccomp_release", FunctionDescriptor.ofVoid(ADDRESS));
            archAdd = bind(lookup, "seccomp_arch_add", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
            archNative = bind(lookup, "seccomp_arch_native", FunctionDescriptor.of(JAVA_INT));
            // The array form, not the variadic seccomp_rule_add: one fixed signature for any number of comparisons.
            ruleAddArray = bind(lookup, "seccomp_rule_add_array",
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
            resolveName = bind(lookup, "seccomp_syscall_resolve_name", FunctionDescriptor.of(JAVA_INT, ADDRESS));
            attrSet = bind(lookup, "seccomp_attr_set", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
            exportBpf = bind(lookup, "seccomp_export_bpf", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
            version = bind(lookup, "seccomp_version", FunctionDescriptor.of(ADDRESS));
        }
    }

    private static final String[] FUNCTIONS = {"seccomp_init", "seccomp_release", "seccomp_arch_add", "seccomp_arch_native",
        "seccomp_rule_add_array", "seccomp_syscall_resolve_name", "seccomp_attr_set", "seccomp_export_bpf", "seccomp_version"};

    private Libseccomp(String library, SymbolLookup lookup) {
        this.library = library;
        this.lookup = lookup;
        for (String f : FUNCTIONS) { // a symbol look-up is cheap; linking waits for handles()
            symbol(lookup, f);
        }
    }

    Handles handles() {
        Handles h = handles;
        if (h == null) {
            synchronized (this) {
                h = handles;
                if (h == null) {
                    h = new Handles(lookup);
                    handles = h;
                }
            }
        }
        return h;
    }

    /**
     * Loads {@code library} (a soname searched like dlopen does, or a path).
     *
     * @throws LibseccompUnavailableException if it cannot be loaded or lacks a needed function
     */
    public static Libseccomp load(String library) {
        SymbolLookup lookup;
        try {
            // An automatic arena: the library stays loaded while any handle bound to it is reachable.
            lookup = SymbolLookup.libraryLookup(library, Arena.ofAuto());
        } catch (IllegalArgumentException e) {
            throw new LibseccompUnavailableException(library, "the library cannot be loaded", e);
        }
        try {
            return new Libseccomp(library, lookup);
        } catch (NoSuchElementException e) {
            throw new LibseccompUnavailableException(library, e.getMessage(), e);
        }
    }

    /** The library named by {@value #LIBRARY_PROPERTY}, or {@value #DEFAULT_LIBRARY}. */
    public static String configuredLibrary() {
        return System.getProperty(LIBRARY_PROPERTY, DEFAULT_LIBRARY);
    }

    private static MemorySegment symbol(SymbolLookup lookup, String name) {
        return lookup.find(name)
                .orElseThrow(() -> new NoSuchElementException("it has no function " + name + ", so it is too old"));
    }

    private static MethodHandle bind(SymbolLookup lookup, String name, FunctionDescriptor fd) {
        return Linker.nativeLinker().downcallHandle(symbol(lookup, name), fd);
    }

    /**
     * Where the library's code came from: the file mapped for its {@code seccomp_version} (path,
     * device and inode from /proc/self/maps, plus size and modification time), without calling
     * into it. Any change to the installed library changes this; caches of compiled filters key on it.
     */
    public String identity() {
        long address = symbol(lookup, "seccomp_version").address();
        String maps;
        try {
            maps = new String(Files.readAllBytes(Path.of("/proc/self/maps")), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new IllegalStateException("cannot tell which file " + library + " was loaded from: " + e.getMessage(), e);
        }
        // "start-end perms offset dev inode   path", one mapping a line; parsed by hand: a JVM has
        // hundreds of mappings, and a regex split per line cost more than the rest of a cache hit.
        for (int at = 0; at < maps.length(); ) {
            int eol = maps.indexOf('\n', at);
            if (eol < 0) {
                eol = maps.length();
            }
            int dash = maps.indexOf('-', at);
            int space = maps.indexOf(' ', at);
            if (dash > at && space > dash && space < eol) {
                long start = Long.parseUnsignedLong(maps, at, dash, 16);
                long end = Long.parseUnsignedLong(maps, dash + 1, space, 16);
                if (Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0) {
                    return describe(maps.substring(space + 1, eol));
                }
            }
            at = eol + 1;
        }
        throw new IllegalStateException("cannot tell which file " + library + " was loaded from (not in /proc/self/maps)");
    }

    /** "perms offset dev inode path" of the mapping: the path, device, inode, size and mtime. */
    private String describe(String rest) {
        String[] f = fields(rest.trim(), 5);
        if (f.length < 5 || !f[4].trim().startsWith("/")) {
            throw new IllegalStateException("cannot tell which file " + library + " was loaded from: " + rest);
        }
        String path = f[4].trim();
        try {
            BasicFileAttributes a = Files.readAttributes(Path.of(path), BasicFileAttributes.class);
            return path + " dev=" + f[2] + " inode=" + f[3] + " size=" + a.size() + " mtime="
                    + a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code text.split(" +", limit)} without the regex engine, whose first use (about a millisecond)
     * this was on the CLI's path: fields separated by runs of spaces, the last one the rest of the line.
     */
    static String[] fields(String text, int limit) {
        java.util.List<String> f = new java.util.ArrayList<>(limit);
        int at = 0;
        while (f.size() < limit - 1) {
            int space = text.indexOf(' ', at);
            if (space < 0) {
                break;
            }
            f.add(text.substring(at, space));
            at = space;
            while (at < text.length() && text.charAt(at) == ' ') {
                at++;
            }
        }
        f.add(text.substring(at));
        return f.toArray(new String[0]);
    }

    public String library() {
        return library;
    }

    /** The library's version, e.g. "2.5.4". */
    public String version() {
        try {
            MemorySegment v = ((MemorySegment) handles().version.invokeExact()).reinterpret(3L * Integer.BYTES);
            return v.getAtIndex(JAVA_INT, 0) + "." + v.getAtIndex(JAVA_INT, 1) + "." + v.getAtIndex(JAVA_INT, 2);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** The architecture token of the machine this JVM runs on, e.g. {@link #ARCH_X86_64}. */
    public int nativeArch() {
        try {
            return (int) handles().archNative.invokeExact();
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /**
     * The number of system call {@code name} on the native architecture, if libseccomp knows the
     * call. A call that exists only on another architecture of the filter (e.g. i386's fcntl64 on
     * x86-64) gets one of libseccomp's negative pseudo-numbers, below -1; rules may still use it.
     */
    public OptionalInt findSyscall(String name) {
        try (Arena arena = Arena.ofConfined()) {
            int nr = (int) handles().resolveName.invokeExact(arena.allocateFrom(name));
            return nr == -1 ? OptionalInt.empty() : OptionalInt.of(nr); // -1: __NR_SCMP_ERROR
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /**
     * A new, empty filter whose unmatched calls get {@code defaultAction}. Close it to free it.
     */
    public SeccompFilter newFilter(int defaultAction) {
        try {
            MemorySegment ctx = (MemorySegment) handles().init.invokeExact(defaultAction);
            if (ctx.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("seccomp_init failed in " + library + " (out of memory or a bad default action)");
            }
            return new SeccompFilter(this, ctx);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** The action that makes a call fail with {@code errno} (SCMP_ACT_ERRNO). */
    public static int actErrno(int errno) {
        if (errno <= 0 || errno > 0xffff) {
            throw new IllegalArgumentException("errno " + errno + " does not fit a seccomp action");
        }
        return 0x00050000 | errno;
    }
}
