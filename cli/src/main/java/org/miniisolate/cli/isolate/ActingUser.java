package org.miniisolate.cli.isolate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.miniisolate.SandboxException;

/**
 * {@code --as-uid} and {@code --as-gid}: root acting on behalf of a user, who then owns the box (its {@code box/}
 * between runs, the right to run in it and to clean it up).
 *
 * <p>Only a caller whose <em>real</em> uid is root may do so, as in isolate: anyone else could otherwise hand
 * themselves another user's boxes. mini-isolate always runs with root's effective uid, so the rule is about who
 * started it, which only the real uid tells.
 */
final class ActingUser {

    /** isolate's message for a caller that is not root. */
    static final String ROOT_ONLY = "You must be root to use --as-uid or --as-gid";

    private static final Path PROC_STATUS = Path.of("/proc/self/status");

    /** Who a box belongs to. */
    record Owner(int uid, int gid) {
    }

    private ActingUser() {
    }

    /**
     * The owner {@code o} asks for, or {@code null} without {@code --as-uid} (then the caller owns its boxes). The
     * caller's identity is only looked up when the options are given, to keep the common path free of it.
     *
     * @throws SandboxException if the caller is not root
     */
    static Owner of(IsolateOptions o) {
        if (o.asUid() == null) {
            return null;
        }
        return resolve(realUid(PROC_STATUS), o.asUid(), o.asGid());
    }

    /**
     * The rule itself: a real root caller becomes {@code asUid}/{@code asGid}; anyone else is refused.
     *
     * @throws SandboxException if {@code realUid} is not 0
     */
    static Owner resolve(int realUid, int asUid, int asGid) {
        if (realUid != 0) {
            throw new SandboxException(ROOT_ONLY);
        }
        return new Owner(asUid, asGid);
    }

    /**
     * The real uid from a {@code /proc/<pid>/status} file (its "Uid:" line lists real, effective, saved and
     * filesystem uid).
     *
     * @throws SandboxException if the file cannot be read or has no such line
     */
    static int realUid(Path procStatus) {
        try {
            for (String line : Files.readAllLines(procStatus)) {
                if (line.startsWith("Uid:")) {
                    String fields = line.substring(4).strip();
                    int end = 0;
                    while (end < fields.length() && Character.isDigit(fields.charAt(end))) {
                        end++;
                    }
                    return Integer.parseInt(fields.substring(0, end));
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new SandboxException("Cannot tell who called mini-isolate from " + procStatus + ": " + e.getMessage(), e);
        }
        throw new SandboxException("Cannot tell who called mini-isolate: no Uid line in " + procStatus);
    }
}
