package org.miniisolate.cli.commands;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;

/**
 * The program's captured streams: files in the box it writes as the box user, read back after the run with a size
 * cap, then deleted. Read without following links, and only if still a regular file: the program owned them.
 */
final class Capture {
    /** Names inside /box. */
    static final String STDOUT = ".mini-isolate.stdout";
    static final String STDERR = ".mini-isolate.stderr";
    static final String STDIN = ".mini-isolate.stdin";
    static final String COMPILE_OUTPUT = ".mini-isolate.compile";

    private Capture() {
    }

    /**
     * What was kept of one stream.
     *
     * @param text      the first {@code bytes} bytes as UTF-8 (malformed sequences replaced)
     * @param bytes     how many bytes are in {@code text}
     * @param truncated the program wrote more than was kept
     */
    record Output(String text, long bytes, boolean truncated) {
        static final Output EMPTY = new Output("", 0, false);
    }

    /** Removes leftovers of an earlier run, so a program that never opens its output cannot show an old one. */
    static void clear(Path workDir, String... names) throws IOException {
        for (String n : names) {
            Files.deleteIfExists(workDir.resolve(n));
        }
    }

    /**
     * Reads at most {@code capKib} KiB of {@code file} and deletes it. The file-size limit stops a program at
     * exactly the cap, so a file that reached the cap counts as truncated when the program was stopped for it
     * ({@code stoppedBySize}).
     */
    static Output collect(Path file, long capKib, boolean stoppedBySize) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            return Output.EMPTY;
        }
        if (!a.isRegularFile()) {
            Files.deleteIfExists(file);
            return new Output("", 0, true);
        }
        long cap = capKib <= 0 ? Long.MAX_VALUE / 2 : capKib * 1024;
        byte[] data;
        try (var ch = Files.newByteChannel(file, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
             InputStream in = Channels.newInputStream(ch)) {
            data = in.readNBytes((int) Math.min(cap + 1, Integer.MAX_VALUE - 16));
        } finally {
            Files.deleteIfExists(file);
        }
        boolean truncated = data.length > cap || (stoppedBySize && data.length >= cap);
        int kept = (int) Math.min(data.length, cap);
        return new Output(new String(data, 0, kept, StandardCharsets.UTF_8), kept, truncated);
    }

    /** Puts a copy of the caller's file into the box as the program's standard input. */
    static void stdinFrom(Path source, Path workDir) throws IOException {
        Path target = workDir.resolve(STDIN);
        Files.deleteIfExists(target);
        Files.copy(source, target);
    }
}
