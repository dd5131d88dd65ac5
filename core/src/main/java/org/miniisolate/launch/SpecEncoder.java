package org.miniisolate.launch;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes a {@link LaunchSpec} in the launcher's binary format: tag, length, payload. */
final class SpecEncoder {
    // Small: most encoders hold one record's payload (a spec makes dozens of them per run); the
    // whole spec grows by doubling.
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

    static byte[] encode(LaunchSpec spec) {
        return encode(spec, false, -1);
    }

    static byte[] encode(LaunchSpec spec, boolean warm) {
        return encode(spec, warm, -1);
    }

    /**
     * With {@code warm}, the box stays up and takes its runs one by one ({@link #encodeRun}).
     * {@code netNs} (-1 for none) is a fresh network namespace the box joins instead of making one.
     */
    static byte[] encode(LaunchSpec spec, boolean warm, int netNs) {
        SpecEncoder e = new SpecEncoder();
        e.u32(Protocol.MAGIC).u32(Protocol.VERSION);
        int options = (spec.newNetwork() ? Protocol.OPT_NEW_NET : 0)
                | (spec.stderrToStdout() ? Protocol.OPT_STDERR_TO_STDOUT : 0)
                | (warm ? Protocol.OPT_SERVE : 0)
                | (spec.userNamespace() ? Protocol.OPT_USER_NS : 0);
        e.record(Protocol.T_OPTIONS, new SpecEncoder().u32(options));
        e.string(Protocol.T_ROOT_DIR, spec.rootDir());
        for (Mount m : spec.mounts()) {
            e.record(Protocol.T_MOUNT, new SpecEncoder()
                    .u32(switch (m.kind()) {
                        case BIND -> Protocol.MOUNT_BIND;
                        case FILESYSTEM -> Protocol.MOUNT_FS;
                        case RESTRICT -> Protocol.MOUNT_RESTRICT;
                    })
                    .u32(m.flagBits())
                    .str(m.source()).str(m.target()).str(m.fsType()).str(m.data()));
        }
        for (LaunchSpec.Symlink s : spec.symlinks()) {
            e.record(Protocol.T_SYMLINK, new SpecEncoder().str(s.target()).str(s.linkPath()));
        }
        if (spec.hostname() != null) {
            e.string(Protocol.T_HOSTNAME, spec.hostname());
        }
        e.record(Protocol.T_UID, new SpecEncoder().u32(spec.uid()));
        e.record(Protocol.T_GID, new SpecEncoder().u32(spec.gid()));
        e.program(spec);
        for (int fd : spec.keepFds()) {
            e.record(Protocol.T_KEEP_FD, new SpecEncoder().u32(fd));
        }
        if (spec.bindIdentity() != null) {
            e.record(Protocol.T_BIND_IDENTITY, new SpecEncoder().u32(spec.bindIdentity().uid()).u32(spec.bindIdentity().gid()));
        }
        e.cgroups(spec);
        if (netNs >= 0) {
            if (!spec.newNetwork()) {
                throw new IllegalArgumentException("a network namespace to join, for a box that shares the host's network");
            }
            e.record(Protocol.T_NET_NS, new SpecEncoder().u32(netNs));
        }
        e.seccomp(spec);
        e.u32(Protocol.T_END).u32(0);
        return e.out.toByteArray();
    }

    /**
     * One run of a warm box: only what belongs to the program and its cgroups (no mounts, ids or namespaces),
     * prefixed by its length as the control pipe carries it.
     */
    static byte[] encodeRun(LaunchSpec spec) {
        SpecEncoder e = new SpecEncoder();
        e.u32(Protocol.MAGIC).u32(Protocol.VERSION);
        e.record(Protocol.T_OPTIONS, new SpecEncoder().u32(spec.stderrToStdout() ? Protocol.OPT_STDERR_TO_STDOUT : 0));
        e.program(spec);
        e.cgroups(spec);
        e.seccomp(spec);
        e.u32(Protocol.T_END).u32(0);
        byte[] body = e.out.toByteArray();
        return new SpecEncoder().u32(body.length).bytes(body).out.toByteArray();
    }

    /** What belongs to the program alone: the part a warm box's run carries. */
    private void program(LaunchSpec spec) {
        string(Protocol.T_CWD, spec.cwd());
        if (spec.chdir() != null) {
            string(Protocol.T_CHDIR, spec.chdir());
        }
        for (Rlimit r : spec.rlimits()) {
            record(Protocol.T_RLIMIT, new SpecEncoder().u32(r.resource().number).u64(r.soft()).u64(r.hard()));
        }
        for (String v : spec.env()) {
            string(Protocol.T_ENV, v);
        }
        string(Protocol.T_PROGRAM, spec.program());
        for (String a : spec.argv()) {
            string(Protocol.T_ARG, a);
        }
        if (spec.stdin() != null) {
            string(Protocol.T_STDIN, spec.stdin());
        }
        if (spec.stdout() != null) {
            string(Protocol.T_STDOUT, spec.stdout());
        }
        if (spec.stderr() != null && !spec.stderrToStdout()) {
            string(Protocol.T_STDERR, spec.stderr());
        }
    }

    /** A fresh box's cgroup files; a warm box's directories for its runs' cgroups; a warm run's files beneath those. */
    private void cgroups(LaunchSpec spec) {
        for (String cg : spec.cgroupFiles()) {
            string(Protocol.T_CGROUP, cg);
        }
    }

    private void seccomp(LaunchSpec spec) {
        if (spec.seccompBpf() != null) {
            u32(Protocol.T_SECCOMP).u32(spec.seccompBpf().length).bytes(spec.seccompBpf());
        }
    }

    private SpecEncoder record(int tag, SpecEncoder body) {
        return u32(tag).u32(body.out.size()).bytes(body.out.toByteArray());
    }

    private SpecEncoder string(int tag, String value) {
        byte[] b = utf8(value);
        return u32(tag).u32(b.length + 4).u32(b.length).bytes(b);
    }

    private SpecEncoder str(String value) {
        byte[] b = utf8(value);
        return u32(b.length).bytes(b);
    }

    private static byte[] utf8(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("NUL character in " + value.replace('\0', '@'));
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private SpecEncoder u32(int v) {
        for (int i = 0; i < 4; i++) {
            out.write(v >>> (8 * i)); // little-endian
        }
        return this;
    }

    private SpecEncoder u64(long v) {
        return u32((int) v).u32((int) (v >>> 32));
    }

    private SpecEncoder bytes(byte[] b) {
        out.write(b, 0, b.length);
        return this;
    }
}
