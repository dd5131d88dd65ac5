package org.miniisolate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Small C programs from src/test/c, compiled at test time with the system compiler. Each is
 * compiled once per test JVM into target/test-programs (a build directory, removed by
 * {@code mvn clean}) and copied into boxes from there.
 */
public final class TestPrograms {
    private static final Path SOURCES = Path.of("src/test/c");
    private static final Path BUILT = Path.of("target/test-programs");
    private static final Map<String, Path> COMPILED = new ConcurrentHashMap<>();

    private TestPrograms() {}

    /** Compiles {@code name}.c (static, so it needs nothing from the box) and copies it into {@code box} as {@code name}. */
    public static Path install(String name, ProgramBox box) {
        return install(name, box, name);
    }

    /** As {@link #install(String, ProgramBox)}, under the file name {@code as} in the box. */
    public static Path install(String name, ProgramBox box, String as) {
        try {
            Path target = box.workDirectory().resolve(as);
            Files.copy(binary(name), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The compiled program, built on first use in this JVM. */
    public static Path binary(String name) {
        return COMPILED.computeIfAbsent(name, TestPrograms::compile);
    }

    private static Path compile(String name) {
        try {
            Files.createDirectories(BUILT);
            Path exe = BUILT.resolve(name).toAbsolutePath();
            Process p = new ProcessBuilder("cc", "-O1", "-Wall", "-static", "-o", exe.toString(), SOURCES.resolve(name + ".c").toString())
                    .redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("cannot compile " + name + ".c:\n" + log);
            }
            return exe;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
