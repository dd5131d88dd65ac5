package org.miniisolate.cli.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The host's mount table, as this process sees it: mounts a box must not leave behind. */
final class Mounts {
    private Mounts() {
    }

    /** Mount points at or below {@code top}, deepest first. */
    static List<Path> under(Path top) {
        List<Path> found = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                Path p = Path.of(unescape(line.split(" ")[4]));
                if (p.startsWith(top)) {
                    found.add(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        found.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        return found;
    }

    /** The filesystem type mounted at exactly {@code point}, or null when nothing is. */
    static String typeAt(Path point) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                if (Path.of(unescape(f[4])).equals(point)) {
                    // After the optional fields comes "-", then the type.
                    for (int i = 6; i < f.length - 1; i++) {
                        if (f[i].equals("-")) {
                            return f[i + 1];
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return null;
    }

    static void unmount(Path point) {
        try {
            Process p = new ProcessBuilder("umount", "-l", point.toString()).inheritIO().start();
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** mountinfo writes space, tab, newline and backslash in paths as octal escapes. */
    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
