package org.miniisolate.fs;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import org.miniisolate.nativeio.DirFd;
import org.miniisolate.nativeio.Libc;
import org.miniisolate.nativeio.NativeException;

/**
 * Supervisor-side walks over a box's files, safe on trees a hostile program built.
 *
 * <ul>
 *   <li>Every operation names one entry inside an open directory descriptor: no path is
 *       resolved, so no symlink is ever followed, and depth is unlimited (10,000 levels, names
 *       with newlines or invalid UTF-8 are all fine).</li>
 *   <li>Only one directory is open at a time; going back up opens ".." and checks it is the
 *       directory we came from (device and inode), so a swapped tree cannot lead the walk out.</li>
 *   <li>A directory on another device is a mount point: the walk refuses to enter or remove it.</li>
 *   <li>Permissions do not stop root, so unreadable directories are walked like any other. A
 *       caller who is not root (rootless mode, where the box's files are the caller's own) first
 *       gives itself rwx on a directory of its own that a program left closed (mode 000, say).</li>
 * </ul>
 */
public final class TreeWalker {
    private static final byte[] DOT = {'.'};
    private static final byte[] DOTDOT = {'.', '.'};
    private static final int ENOENT = 2;

    private TreeWalker() {}

    /** Deletes {@code top} and everything below it; a missing {@code top} is fine. */
    public static void deleteTree(Path top) {
        walk(top, new Visitor() {
            @Override
            public void file(int dirFd, byte[] name, DirFd.Stat st) {
                DirFd.unlink(dirFd, name, false);
            }

            @Override
            public void leftDirectory(int parentFd, byte[] name) {
                DirFd.unlink(parentFd, name, true);
            }
        });
    }

    /** Deletes everything below {@code top}, keeping {@code top} itself (a warm box's bind sources must stay). */
    public static void deleteContents(Path top) {
        walk(top, new Visitor() {
            @Override
            public void file(int dirFd, byte[] name, DirFd.Stat st) {
                DirFd.unlink(dirFd, name, false);
            }

            @Override
            public void leftDirectory(int parentFd, byte[] name) {
                DirFd.unlink(parentFd, name, true);
            }

            @Override
            public boolean keepsTop() {
                return true;
            }
        });
    }

    /**
     * Gives the tree from one owner to another: entries owned by {@code fromUid} (every entry,
     * when {@code fromUid} is -1) become {@code uid:gid}. With {@code removeSpecial}, entries that
     * are neither regular files nor directories (symlinks, FIFOs, sockets, devices) are deleted
     * instead, as isolate does when it hands a box back. Handing back only what the box user owns
     * means a link to someone else's file is never given away, and a regular file with more than one
     * link is never chowned at all (where fs.protected_hardlinks is off, one could be a host file).
     */
    public static void chownTree(Path top, int fromUid, int uid, int gid, boolean removeSpecial) {
        walk(top, new Visitor() {
            @Override
            public void file(int dirFd, byte[] name, DirFd.Stat st) {
                if (removeSpecial && !st.isRegularFile()) {
                    DirFd.unlink(dirFd, name, false);
                } else if ((fromUid < 0 || st.uid() == fromUid) && !(st.isRegularFile() && st.links() > 1)) {
                    // A file with other names may be a host file linked in: its owner never changes here.
                    DirFd.chown(dirFd, name, uid, gid);
                }
            }

            @Override
            public void enteringDirectory(int parentFd, byte[] name, DirFd.Stat st) {
                if (fromUid < 0 || st.uid() == fromUid) {
                    DirFd.chown(parentFd, name, uid, gid);
                }
            }
        });
    }

    private interface Visitor {
        void file(int dirFd, byte[] name, DirFd.Stat st);

        default void enteringDirectory(int parentFd, byte[] name, DirFd.Stat st) {}

        default void leftDirectory(int parentFd, byte[] name) {}

        /** The walk leaves {@code top} itself alone (no leftDirectory for it). */
        default boolean keepsTop() {
            return false;
        }
    }

    /** One directory on the way down: its name in its parent, its identity, what is left to visit. */
    private record Frame(byte[] name, long device, long inode, Iterator<byte[]> rest) {}

    /** Root enters any directory; anyone else needs rwx on it to list it and remove its entries. */
    private static void makeEnterable(int self, int parentFd, byte[] name, DirFd.Stat st) {
        if (self != 0 && st.uid() == self && (st.mode() & 0700) != 0700) {
            DirFd.chmodDirectory(parentFd, name, st.mode() | 0700);
        }
    }

    private static void walk(Path top, Visitor v) {
        Path abs = top.toAbsolutePath().normalize();
        if (abs.getParent() == null) {
            throw new IllegalArgumentException("refusing to walk " + abs);
        }
        byte[] topName = abs.getFileName().toString().getBytes(StandardCharsets.UTF_8);
        int self = Libc.geteuid();
        int parentFd = DirFd.openDirectory(DirFd.AT_FDCWD, abs.getParent().toString().getBytes(StandardCharsets.UTF_8));
        int fd = -1;
        try {
            DirFd.Stat topStat;
            try {
                topStat = DirFd.stat(parentFd, topName);
            } catch (NativeException e) {
                if (e.errno() == ENOENT) {
                    return;
                }
                throw e;
            }
            if (!topStat.isDirectory()) {
                v.file(parentFd, topName, topStat);
                return;
            }
            v.enteringDirectory(parentFd, topName, topStat);
            makeEnterable(self, parentFd, topName, topStat);
            fd = DirFd.openDirectory(parentFd, topName);
            Deque<Frame> frames = new ArrayDeque<>();
            frames.push(new Frame(topName, topStat.device(), topStat.inode(), DirFd.list(fd).iterator()));
            while (true) {
                Frame f = frames.peek();
                if (f.rest().hasNext()) {
                    byte[] name = f.rest().next();
                    DirFd.Stat st = DirFd.stat(fd, name);
                    if (!st.isDirectory()) {
                        v.file(fd, name, st);
                        continue;
                    }
                    if (st.device() != topStat.device()) {
                        throw new IllegalStateException("Unexpected mount point " + abs + "/.../" + DirFd.printable(name)
                                + " inside the box; refusing to touch it");
                    }
                    v.enteringDirectory(fd, name, st);
                    makeEnterable(self, fd, name, st);
                    int child = DirFd.openDirectory(fd, name);
                    Libc.close(fd);
                    fd = child;
                    frames.push(new Frame(name, st.device(), st.inode(), DirFd.list(fd).iterator()));
                    continue;
                }
                frames.pop();
                if (frames.isEmpty()) {
                    Libc.close(fd);
                    fd = -1;
                    if (!v.keepsTop()) {
                        v.leftDirectory(parentFd, topName);
                    }
                    return;
                }
                int up = DirFd.openDirectory(fd, DOTDOT);
                Libc.close(fd);
                fd = up;
                DirFd.Stat here = DirFd.stat(fd, DOT);
                Frame parent = frames.peek();
                if (here.device() != parent.device() || here.inode() != parent.inode()) {
                    throw new IllegalStateException("the tree under " + abs + " changed during the walk; stopped");
                }
                v.leftDirectory(fd, f.name());
            }
        } finally {
            Libc.close(fd);
            Libc.close(parentFd);
        }
    }
}
