package org.miniisolate.fs;

/**
 * A disk quota for a box: at most {@code blocks} KiB and {@code inodes} files and directories,
 * for everything the box's programs write (its box/ and its temporary directories together).
 * Zero blocks means no quota, as in isolate; zero inodes means no limit on the count.
 */
public record Quota(long blocks, long inodes) {
    public static final Quota NONE = new Quota(0, 0);

    public Quota {
        if (blocks < 0 || inodes < 0) {
            throw new IllegalArgumentException("a quota needs non-negative blocks and inodes");
        }
    }

    public boolean enabled() {
        return blocks > 0;
    }

    /** As isolate's -q takes it and as the box state records it: "blocks,inodes". */
    @Override
    public String toString() {
        return blocks + "," + inodes;
    }

    public static Quota parse(String text) {
        int comma = text.indexOf(',');
        try {
            if (comma < 0) {
                throw new NumberFormatException();
            }
            return new Quota(Long.parseLong(text.substring(0, comma)), Long.parseLong(text.substring(comma + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("A quota is BLOCKS,INODES (e.g. 65536,1000), not '" + text + "'");
        }
    }
}
