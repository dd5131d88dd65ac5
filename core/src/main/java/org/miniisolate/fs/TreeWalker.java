package org.miniisolate.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Supervisor-side walks over a box's files: never follows a symlink and never leaves the
 * filesystem the tree starts on, so a tree built by a hostile program cannot lead the walk
 * to host files. Meant for trees no box process can change meanwhile (every run ends with all
 * of its processes dead).
 */
public final class TreeWalker {
    private TreeWalker() {}

    /** Deletes {@code top} and everything below it; a missing {@code top} is fine. */
    public static void deleteTree(Path top) {
        if (!Files.exists(top, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        walk(top, new Visitor() {
            @Override
            public void file(Path p, BasicFileAttributes a) throws IOException {
                Files.delete(p);
            }

            @Override
            public void directoryDone(Path p) throws IOException {
                Files.delete(p);
            }
        });
    }

    /**
     * Gives every entry to {@code uid:gid}; with {@code removeSpecial}, deletes what is neither a
     * regular file nor a directory (symlinks, FIFOs, sockets, devices) instead, as isolate does when
     * handing a box back to its owner.
     */
    public static void chownTree(Path top, int uid, int gid, boolean removeSpecial) {
        walk(top, new Visitor() {
            @Override
            public void file(Path p, BasicFileAttributes a) throws IOException {
                if (removeSpecial && !a.isRegularFile()) {
                    Files.delete(p);
                } else {
                    chown(p, uid, gid);
                }
            }

            @Override
            public void directoryStart(Path p) throws IOException {
                chown(p, uid, gid);
            }
        });
    }

    private static void chown(Path p, int uid, int gid) throws IOException {
        Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
    }

    private interface Visitor {
        void file(Path p, BasicFileAttributes a) throws IOException;

        default void directoryStart(Path p) throws IOException {}

        default void directoryDone(Path p) throws IOException {}
    }

    private static void walk(Path top, Visitor v) {
        try {
            Object device = Files.getAttribute(top, "unix:dev", LinkOption.NOFOLLOW_LINKS);
            Files.walkFileTree(top, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a) throws IOException {
                    if (!device.equals(Files.getAttribute(dir, "unix:dev", LinkOption.NOFOLLOW_LINKS))) {
                        throw new IOException("Unexpected mount point " + dir + " inside the box; refusing to touch it");
                    }
                    v.directoryStart(dir);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes a) throws IOException {
                    v.file(file, a);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    v.directoryDone(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }
}
