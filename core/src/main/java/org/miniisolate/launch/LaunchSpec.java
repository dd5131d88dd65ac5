package org.miniisolate.launch;

import java.util.List;
import java.util.Objects;

/**
 * Everything the launcher does for one run, decided in Java: the launcher takes no decision of
 * its own. Each component names the syscalls it causes.
 *
 * @param rootDir      host directory the box root tmpfs is mounted on, then pivot_root'ed into
 * @param mounts       bind and filesystem mounts below the root, in order (open_tree/fsmount + move_mount)
 * @param symlinks     symlinks created in the root tmpfs before anything is mounted
 * @param hostname     sethostname in the box's UTS namespace; null keeps the host's name
 * @param uid          setresuid target of the program; never 0
 * @param gid          setresgid target (supplementary groups are cleared); never 0
 * @param cwd          chdir before privileges are dropped; redirections are relative to it
 * @param chdir        chdir right before exec; null for none
 * @param rlimits      setrlimit, before dropping privileges so hard limits can be raised
 * @param env          the program's whole environment, "NAME=value"
 * @param program      execve path: no PATH search, relative to the working directory
 * @param argv         argv, argv[0] included
 * @param stdin        opened read-only as the box user; null inherits the caller's
 * @param stdout       created/truncated as the box user; null inherits
 * @param stderr       likewise; ignored when {@code stderrToStdout}
 * @param newNetwork   CLONE_NEWNET with only loopback, brought up
 * @param keepFds      descriptors above 2 the program inherits (isolate's --inherit-fds)
 * @param seccompBpf   classic BPF installed last before execve; null for none
 * @param cgroupFiles  each hierarchy's cgroup.procs, which the program enters before anything else,
 *                     opened by the box init while the host's cgroup mounts are visible (the launcher
 *                     enters through v1 tasks or clone3 CLONE_INTO_CGROUP where it can: launcher-protocol.md)
 * @param bindIdentity who bind sources are looked up as (setfsuid/setfsgid): the caller, so a bind
 *                     never exposes what the caller could not read; null for root, and always null
 *                     with {@code userNamespace} (the box init then is the caller)
 * @param userNamespace rootless: CLONE_NEWUSER too, with {@code uid}/{@code gid} inside mapped to the
 *                     launcher's own uid/gid outside; never for a root caller
 */
public record LaunchSpec(
        String rootDir,
        List<Mount> mounts,
        List<Symlink> symlinks,
        String hostname,
        int uid,
        int gid,
        String cwd,
        String chdir,
        List<Rlimit> rlimits,
        List<String> env,
        String program,
        List<String> argv,
        String stdin,
        String stdout,
        String stderr,
        boolean stderrToStdout,
        boolean newNetwork,
        List<Integer> keepFds,
        byte[] seccompBpf,
        List<String> cgroupFiles,
        Identity bindIdentity,
        boolean userNamespace) {

    /** A uid/gid pair. */
    public record Identity(int uid, int gid) {}

    public record Symlink(String target, String linkPath) {}

    /**
     * This spec with other cgroup files; for a warm box, the directories its runs' cgroups are
     * made in (see {@link Launcher#startWarm}).
     */
    public LaunchSpec withCgroupFiles(List<String> files) {
        return new LaunchSpec(rootDir, mounts, symlinks, hostname, uid, gid, cwd, chdir, rlimits, env, program, argv, stdin,
                stdout, stderr, stderrToStdout, newNetwork, keepFds, seccompBpf, files, bindIdentity);
    }

    public LaunchSpec {
        Objects.requireNonNull(rootDir);
        Objects.requireNonNull(cwd);
        Objects.requireNonNull(program);
        mounts = List.copyOf(mounts);
        symlinks = List.copyOf(symlinks);
        rlimits = List.copyOf(rlimits);
        env = List.copyOf(env);
        argv = List.copyOf(argv);
        keepFds = List.copyOf(keepFds);
        cgroupFiles = List.copyOf(cgroupFiles);
        if (uid <= 0 || gid <= 0) {
            throw new IllegalArgumentException("the box must not run as root (uid " + uid + ", gid " + gid + ")");
        }
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv must hold at least argv[0]");
        }
        seccompBpf = seccompBpf == null ? null : seccompBpf.clone();
        if (userNamespace && bindIdentity != null) {
            throw new IllegalArgumentException("a box in a user namespace looks its binds up as the caller already");
        }
    }

    /** A spec for a root caller: no user namespace. */
    public LaunchSpec(String rootDir, List<Mount> mounts, List<Symlink> symlinks, String hostname, int uid, int gid,
                      String cwd, String chdir, List<Rlimit> rlimits, List<String> env, String program, List<String> argv,
                      String stdin, String stdout, String stderr, boolean stderrToStdout, boolean newNetwork,
                      List<Integer> keepFds, byte[] seccompBpf, List<String> cgroupFiles, Identity bindIdentity) {
        this(rootDir, mounts, symlinks, hostname, uid, gid, cwd, chdir, rlimits, env, program, argv, stdin, stdout, stderr,
                stderrToStdout, newNetwork, keepFds, seccompBpf, cgroupFiles, bindIdentity, false);
    }
}
