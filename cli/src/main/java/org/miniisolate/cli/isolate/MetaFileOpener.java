package org.miniisolate.cli.isolate;

import java.io.FileDescriptor;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;

/**
 * Opens the {@code -M} destination the way isolate does: as soon as the options are known, truncating it, relative
 * to the caller's working directory, {@code -} meaning standard output. Opening it first means a run is never
 * wasted on a meta-file that cannot be written.
 */
final class MetaFileOpener {

    private MetaFileOpener() {
    }

    /**
     * The meta-file for {@code path}; one that discards everything when {@code path} is {@code null}.
     *
     * @throws FileNotFoundException if the file cannot be created or opened for writing
     */
    static MetaFile open(String path) throws FileNotFoundException {
        if (path == null) {
            return MetaFile.discarding();
        }
        if (IsolateOptions.META_STDOUT.equals(path)) {
            // Straight to descriptor 1, not System.out: closing the meta-file must leave stdout usable.
            return MetaFile.of(new FileOutputStream(FileDescriptor.out), false);
        }
        return MetaFile.of(new FileOutputStream(path), true);
    }

    /** isolate's message when {@link #open} fails. */
    static String failure(String path) {
        return "Failed to open metafile '" + path + "'";
    }
}
