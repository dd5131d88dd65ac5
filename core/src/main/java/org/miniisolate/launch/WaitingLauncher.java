package org.miniisolate.launch;

import org.miniisolate.nativeio.Libc;
import org.miniisolate.nativeio.NativeException;

/**
 * A launcher started before its run, blocked reading its spec from a pipe: handing it a spec
 * costs a pipe write instead of a posix_spawn, its exec and a round trip to the spawner thread.
 * It has done nothing yet but check its arguments and its parent: every namespace of the box is
 * made (or joined) after the spec arrives, so starting it early changes nothing the run sees.
 *
 * @param pid      the launcher, a child of this JVM
 * @param specFd   the write end of its spec pipe (close-on-exec), closed once the spec is written
 * @param statusFd the read end of its status pipe (close-on-exec)
 * @param netNs    the descriptor number of a fresh network namespace the launcher inherited, or -1:
 *                 a spec that wants a namespace of its own names it, any other lets the launcher close it
 */
record WaitingLauncher(int pid, int specFd, int statusFd, int netNs) {

    /**
     * Writes {@code encoded} and ends the spec; the box is then on its way. Null if the launcher
     * died waiting (it is reaped): the caller starts another.
     */
    RunningBox hand(byte[] encoded) {
        try {
            Libc.writeFully(specFd, encoded);
        } catch (NativeException e) {
            discard();
            return null;
        }
        Libc.close(specFd);
        return new RunningBox(pid, statusFd);
    }

    /** Ends it unused: end of file on its spec pipe makes it refuse an empty spec and exit. */
    void discard() {
        Libc.close(specFd);
        Libc.close(statusFd);
        Libc.waitpid(pid);
    }
}
