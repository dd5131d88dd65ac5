package org.miniisolate.box;

import java.nio.file.Path;

/**
 * Where box N lives on disk: {@code <boxRoot>/<N>/} holding {@code box/} (the program's /box),
 * {@code root/} (mount point of the per-run root tmpfs) and {@code tmp/} (outside halves of
 * "tmp" directory rules).
 */
public record BoxLayout(Path directory) {
    public static BoxLayout of(Path boxRoot, int id) {
        return new BoxLayout(boxRoot.resolve(Integer.toString(id)));
    }

    public Path box() {
        return directory.resolve("box");
    }

    public Path rootMountPoint() {
        return directory.resolve("root");
    }

    public Path tmp() {
        return directory.resolve("tmp");
    }

    /** The outside directory of a "tmp" rule: slashes become colons, as isolate names them. */
    public Path tmpFor(String inside) {
        return tmp().resolve(inside.replace('/', ':'));
    }
}
