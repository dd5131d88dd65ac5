package org.miniisolate.cgroup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The few operations box cgroups need. In a cgroup filesystem a new directory comes with its
 * control files and removing it takes rmdir even though it "contains" them; tests substitute a
 * fake with those semantics on an ordinary directory.
 */
public interface CgroupFs {
    /** Creates one directory; {@link java.nio.file.FileAlreadyExistsException} if it exists. */
    void mkdir(Path dir) throws IOException;

    /** Removes one cgroup directory; fails (EBUSY) while it still has processes or children. */
    void rmdir(Path dir) throws IOException;

    boolean exists(Path path);

    String read(Path file) throws IOException;

    /** Writes {@code value} with one write(2) to an existing file; never creates one. */
    void write(Path file, String value) throws IOException;

    /** The kernel's cgroup filesystems. */
    static CgroupFs real() {
        return Real.INSTANCE;
    }

    /** Stateless, hence shareable. */
    final class Real implements CgroupFs {
        private static final Real INSTANCE = new Real();

        private Real() {}

        @Override
        public void mkdir(Path dir) throws IOException {
            Files.createDirectory(dir);
        }

        @Override
        public void rmdir(Path dir) throws IOException {
            Files.delete(dir);
        }

        @Override
        public boolean exists(Path path) {
            return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
        }

        @Override
        public String read(Path file) throws IOException {
            return Files.readString(file);
        }

        @Override
        public void write(Path file, String value) throws IOException {
            // WRITE only: no O_CREAT (a missing control file is an error, not a new file) and no O_TRUNC.
            Files.write(file, value.getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE);
        }
    }
}
