package org.miniisolate.cli.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Small C test programs, compiled at test time with the system compiler (static: a box has no /etc, and the
 * defaults bind only /bin, /lib, /usr): the cli's own in src/test/c, else the core's in ../core/src/test/c.
 */
final class Programs {
    private static final Path OWN = Path.of("src/test/c");
    private static final Path CORE = Path.of("../core/src/test/c");
    private static final Path BUILT = Path.of("target/it-programs");
    private static final Map<String, Path> COMPILED = new ConcurrentHashMap<>();

    private Programs() {
    }

    /** Copies program {@code name} into {@code dir} (a box's box/) under its own name; returns the copy. */
    static Path install(String name, Path dir) {
        try {
            return Files.copy(binary(name), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path binary(String name) {
        return COMPILED.computeIfAbsent(name, Programs::compile);
    }

    private static Path compile(String name) {
        Path source = Files.exists(OWN.resolve(name + ".c")) ? OWN.resolve(name + ".c") : CORE.resolve(name + ".c");
        try {
            Files.createDirectories(BUILT);
            Path exe = BUILT.resolve(name).toAbsolutePath();
            Process p = new ProcessBuilder("cc", "-O1", "-Wall", "-static", "-o", exe.toString(), source.toString())
                    .redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("cannot compile " + source + ":\n" + log);
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
