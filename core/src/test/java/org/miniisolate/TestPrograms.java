package org.miniisolate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/** Small C programs from src/test/c, compiled at test time with the system compiler. */
public final class TestPrograms {
    private static final Path SOURCES = Path.of("src/test/c");

    private TestPrograms() {}

    /** Compiles {@code name}.c (static, so it needs nothing from the box) and copies it into {@code box} as {@code name}. */
    public static Path install(String name, Box box) {
        try {
            Path out = Files.createTempDirectory("mini-isolate-prog");
            Path exe = out.resolve(name);
            Process p = new ProcessBuilder("cc", "-O1", "-static", "-o", exe.toString(), SOURCES.resolve(name + ".c").toString())
                    .redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("cannot compile " + name + ".c:\n" + log);
            }
            Path target = box.workDirectory().resolve(name);
            Files.copy(exe, target, StandardCopyOption.REPLACE_EXISTING);
            Files.delete(exe);
            Files.delete(out);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
