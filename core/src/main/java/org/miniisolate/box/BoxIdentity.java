package org.miniisolate.box;

/** The unprivileged uid/gid a box's programs run as: distinct per box, so boxes cannot touch each other. */
public record BoxIdentity(int uid, int gid) {
    public BoxIdentity {
        if (uid <= 0 || gid <= 0) {
            throw new IllegalArgumentException("a box must not run as root (uid " + uid + ", gid " + gid + ")");
        }
    }
}
