package org.miniisolate.box;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per box, held for a whole operation (init, run, cleanup), so two managers never work
 * on one box at once. Across processes it is a lock on {@code <lockRoot>/<id>}, a file that is
 * never deleted (deleting a lock file lets two holders lock two different inodes); within this
 * JVM a per-box lock comes first, because the process-wide file lock cannot tell threads apart.
 */
public final class BoxLocks {
    private final Path lockRoot;
    private final ConcurrentHashMap<Integer, ReentrantLock> local = new ConcurrentHashMap<>();

    public BoxLocks(Path lockRoot) {
        this.lockRoot = lockRoot;
    }

    /** Where box {@code id}'s {@link BoxState} lives: beside its lock, root-only. */
    public Path stateFile(int id) {
        return lockRoot.resolve(id + ".state");
    }

    /** Ids of the boxes that have a state file, in no particular order. */
    public java.util.List<Integer> knownIds() {
        java.util.List<Integer> ids = new java.util.ArrayList<>();
        if (!Files.isDirectory(lockRoot, LinkOption.NOFOLLOW_LINKS)) {
            return ids;
        }
        try (var entries = Files.newDirectoryStream(lockRoot, "*.state")) {
            for (Path p : entries) {
                String n = p.getFileName().toString();
                String digits = n.substring(0, n.length() - ".state".length());
                if (!digits.isEmpty() && digits.length() < 10 && digits.chars().allMatch(Character::isDigit)) {
                    ids.add(Integer.parseInt(digits));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + lockRoot + ": " + e.getMessage(), e);
        }
        return ids;
    }

    /** Deletes box {@code id}'s state (the lock file itself stays, see above). */
    public void forget(int id) {
        try {
            Files.deleteIfExists(stateFile(id));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove " + stateFile(id) + ": " + e.getMessage(), e);
        }
    }

    /** Takes box {@code id}'s lock, waiting for it or failing at once with {@link BoxBusyException}. */
    public Held acquire(int id, boolean wait) {
        ReentrantLock inJvm = local.computeIfAbsent(id, k -> new ReentrantLock());
        if (wait) {
            inJvm.lock();
        } else if (!inJvm.tryLock()) {
            throw new BoxBusyException(id);
        }
        FileChannel channel = null;
        try {
            channel = open(id);
            FileLock lock = wait ? channel.lock() : channel.tryLock();
            if (lock == null) {
                throw new BoxBusyException(id);
            }
            return new Held(inJvm, channel, lock);
        } catch (IOException e) {
            close(channel);
            inJvm.unlock();
            throw new UncheckedIOException("Cannot lock box " + id + " in " + lockRoot + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close(channel);
            inJvm.unlock();
            throw e;
        }
    }

    private FileChannel open(int id) throws IOException {
        if (!Files.isDirectory(lockRoot, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(lockRoot, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        return FileChannel.open(lockRoot.resolve(Integer.toString(id)),
                java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }

    private static void close(FileChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }

    /** A held box lock; closing it releases the file lock, then the in-JVM one. */
    public static final class Held implements AutoCloseable {
        private final ReentrantLock inJvm;
        private final FileChannel channel;
        private final FileLock lock;
        private boolean released;

        private Held(ReentrantLock inJvm, FileChannel channel, FileLock lock) {
            this.inJvm = inJvm;
            this.channel = channel;
            this.lock = lock;
        }

        @Override
        public void close() {
            if (released) {
                return;
            }
            released = true;
            try {
                lock.release();
            } catch (IOException ignored) {
                // closing the channel below releases it too
            } finally {
                BoxLocks.close(channel);
                inJvm.unlock();
            }
        }
    }
}
