/*
 * mini-isolate launcher: the only native code of the project.
 *
 * It does what the JVM cannot do between fork and exec, and nothing else: every
 * policy decision (which mounts, which limits, which ids, when to kill) was taken
 * in Java and arrives here as a spec that is data, not a language.
 *
 * Processes (see docs/architecture.md):
 *   keeper    this process; outside the box, child of the JVM, dies with it.
 *   box init  PID 1 of fresh PID/mount/IPC/UTS(/net) namespaces (and a user namespace
 *             when the caller is not root); builds the root, forks the program, reaps
 *             everything, reports.
 *   program   drops to the box identity and execs the untrusted binary.
 *
 * Usage (by the JVM only): mini-isolate-launcher SPEC_FD STATUS_FD PARENT_PID
 * The spec format and the status records are documented in docs/launcher-protocol.md
 * and mirrored in org.miniisolate.launch.Protocol; keep the three in step.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <linux/seccomp.h>
#include <linux/securebits.h>

/* ---- protocol constants (mirror of org.miniisolate.launch.Protocol) ---- */

#define SPEC_MAGIC 0x5053494dU /* "MISP" little-endian */
#define SPEC_VERSION 1U
#define SPEC_MAX_BYTES (64U << 20)

enum tag {
	T_END = 0, T_OPTIONS = 1, T_ROOT_DIR = 2, T_MOUNT = 3, T_SYMLINK = 4,
	T_HOSTNAME = 5, T_UID = 6, T_GID = 7, T_CWD = 8, T_CHDIR = 9, T_RLIMIT = 10,
	T_ENV = 11, T_ARG = 12, T_PROGRAM = 13, T_STDIN = 14, T_STDOUT = 15,
	T_STDERR = 16, T_KEEP_FD = 17, T_SECCOMP = 18, T_CGROUP = 19, T_BIND_IDENTITY = 20,
	T_NET_NS = 21,
};

#define OPT_NEW_NET 1U
#define OPT_STDERR_TO_STDOUT 2U
#define OPT_SERVE 4U /* a warm box: runs come one by one on the control pipe */
/* Rootless: the box init gets a user namespace of its own in which the box uid/gid are the
 * caller's uid/gid outside (one id each: all an unprivileged process may map). */
#define OPT_USER_NS 16U
#define OPT_ALL (OPT_NEW_NET | OPT_STDERR_TO_STDOUT | OPT_SERVE | OPT_USER_NS)

/* MK_RESTRICT re-mounts something already below the new root with stricter attributes
 * (read-only /proc/sys, say): it takes no source, only the target. */
enum mount_kind { MK_BIND = 1, MK_FS = 2, MK_RESTRICT = 3 };
#define MF_RDONLY 1U
#define MF_NOSUID 2U
#define MF_NODEV 4U
#define MF_NOEXEC 8U
#define MF_RECURSIVE 16U
#define MF_MAYBE 32U
#define MF_AS_CALLER 64U
#define MF_ALL 127U

enum rec_type { R_INIT_PID = 1, R_STARTED = 2, R_FAILED = 3, R_EXITED = 4, R_KEEPER_DONE = 5, R_READY = 6 };

/* Each step that can fail has a stage; the JVM turns (stage, errno, index) into a message. */
enum stage {
	S_SPEC = 1, S_ARGS, S_PARENT, S_PIPE, S_CLONE, S_SYNC, S_MOUNT_PRIVATE, S_ROOT_TMPFS,
	S_MOUNTPOINT, S_MOUNT, S_SYMLINK, S_PIVOT_ROOT, S_ROOT_READONLY, S_LOOPBACK,
	S_HOSTNAME, S_FORK, S_SETSID, S_CWD, S_RLIMIT, S_CAPS, S_IDS, S_NO_NEW_PRIVS,
	S_STDIN, S_STDOUT, S_STDERR, S_CHDIR, S_CLOSE_FDS, S_SECCOMP, S_EXEC, S_WAIT, S_SIGNALS,
	S_CGROUP, S_BIND_IDENTITY, S_IPC, S_RESET, S_USERNS, S_NET_NS,
};

/* One fixed-size record; below PIPE_BUF, so concurrent writers never interleave. */
struct record {
	uint32_t type;
	uint32_t stage;
	int32_t err;
	uint32_t index;
	int64_t v[8];
};

/* ---- the parsed spec ---- */

struct mount_rule {
	uint32_t kind, flags;
	char *source, *target, *fstype, *data;
};
struct symlink_rule { char *target, *linkpath; };
struct rlimit_rule { uint32_t resource; struct rlimit value; };

struct spec {
	uint32_t options;
	char *root_dir, *hostname, *cwd, *chdir, *program;
	char *stdin_path, *stdout_path, *stderr_path;
	int have_uid, have_gid, have_bind_identity;
	uid_t uid, bind_uid;
	gid_t gid, bind_gid;
	struct mount_rule *mounts; size_t n_mounts;
	struct symlink_rule *symlinks; size_t n_symlinks;
	struct rlimit_rule *rlimits; size_t n_rlimits;
	char **env; size_t n_env;
	char **argv; size_t n_argv;
	char **cgroups; size_t n_cgroups;
	int *keep_fds; size_t n_keep_fds;
	struct sock_filter *seccomp; size_t n_seccomp;
	int net_ns_fd; /* a fresh network namespace to join instead of making one; -1 for none */
};

static int status_fd = -1;
static int control_fd = -1; /* warm boxes only: where per-run specs arrive */

/* ---- small helpers ---- */

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t tv_ns(struct timeval tv)
{
	return (int64_t)tv.tv_sec * 1000000000 + (int64_t)tv.tv_usec * 1000;
}

static void send_record(const struct record *r)
{
	const char *p = (const char *)r;
	size_t left = sizeof(*r);
	while (left > 0) {
		ssize_t n = write(status_fd, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return; /* the JVM is gone; nothing useful left to do */
		p += n;
		left -= (size_t)n;
	}
}

static void send_usage(uint32_t type, int64_t wait_status, int64_t end_ns, const struct rusage *ru)
{
	struct record r = { .type = type };
	r.v[0] = wait_status;
	r.v[1] = end_ns;
	r.v[2] = tv_ns(ru->ru_utime);
	r.v[3] = tv_ns(ru->ru_stime);
	r.v[4] = ru->ru_maxrss;
	r.v[5] = ru->ru_nvcsw;
	r.v[6] = ru->ru_nivcsw;
	send_record(&r);
}

static void add_usage(struct rusage *total, const struct rusage *ru)
{
	timeradd(&total->ru_utime, &ru->ru_utime, &total->ru_utime);
	timeradd(&total->ru_stime, &ru->ru_stime, &total->ru_stime);
	if (ru->ru_maxrss > total->ru_maxrss)
		total->ru_maxrss = ru->ru_maxrss;
	total->ru_nvcsw += ru->ru_nvcsw;
	total->ru_nivcsw += ru->ru_nivcsw;
}

/* Reports a failed step with the errno it left, and ends this process. */
static _Noreturn void fail(enum stage stage, uint32_t index, int exit_code)
{
	struct record r = { .type = R_FAILED, .stage = stage, .err = errno, .index = index };
	send_record(&r);
	_exit(exit_code);
}

/* Resets what the JVM leaves behind: blocked signals and ignored dispositions survive exec.
 * `keep_blocked` (0 for none) stays blocked and keeps its handler. */
static void reset_signals_but(int keep_blocked)
{
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP && sig != keep_blocked)
			signal(sig, SIG_DFL); /* EINVAL for the realtime signals glibc reserves */
	sigset_t mask;
	sigemptyset(&mask);
	if (keep_blocked)
		sigaddset(&mask, keep_blocked);
	sigprocmask(SIG_SETMASK, &mask, NULL);
}

static void reset_signals(void)
{
	reset_signals_but(0);
}

static int parse_fd(const char *s)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || *s == '\0' || *end != '\0' || v < 0 || v > 1 << 20)
		return -1;
	return (int)v;
}

/* ---- spec parsing: strict; anything unknown or malformed is an error ---- */

struct cursor { const unsigned char *p; size_t left; };

static int take(struct cursor *c, void *out, size_t n)
{
	if (c->left < n)
		return -1;
	memcpy(out, c->p, n);
	c->p += n;
	c->left -= n;
	return 0;
}

static int take_u32(struct cursor *c, uint32_t *v) { return take(c, v, 4); }
static int take_u64(struct cursor *c, uint64_t *v) { return take(c, v, 8); }

/* A string is a u32 length and that many bytes, none of them NUL. */
static int take_str(struct cursor *c, char **out, int allow_empty)
{
	uint32_t len;
	if (take_u32(c, &len) || c->left < len || (!allow_empty && len == 0))
		return -1;
	if (memchr(c->p, '\0', len))
		return -1;
	char *s = malloc((size_t)len + 1);
	if (!s)
		return -1;
	memcpy(s, c->p, len);
	s[len] = '\0';
	c->p += len;
	c->left -= len;
	*out = s;
	return 0;
}

/* Inside paths are relative to the box root, normalised by Java: no '/', '.', '..' or '//' games. */
static int valid_inside_path(const char *p)
{
	if (*p == '\0' || *p == '/')
		return 0;
	for (const char *s = p; *s;) {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		if (n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
			return 0;
		s += n;
		if (*s == '/')
			s++;
		if (e && *s == '\0')
			return 0;
	}
	return 1;
}

#define GROW(arr, n) ((arr) = realloc((arr), ((n) + 1) * sizeof(*(arr))))

static int parse_record(struct spec *sp, uint32_t tag, struct cursor *c)
{
	uint32_t u;
	uint64_t a, b;
	switch (tag) {
	case T_OPTIONS:
		if (take_u32(c, &u) || (u & ~OPT_ALL))
			return -1;
		sp->options = u;
		return 0;
	case T_ROOT_DIR:
		return take_str(c, &sp->root_dir, 0) || sp->root_dir[0] != '/' ? -1 : 0;
	case T_HOSTNAME:
		return take_str(c, &sp->hostname, 0);
	case T_CWD:
		return take_str(c, &sp->cwd, 0) || sp->cwd[0] != '/' ? -1 : 0;
	case T_CHDIR:
		return take_str(c, &sp->chdir, 0);
	case T_PROGRAM:
		return take_str(c, &sp->program, 0);
	case T_STDIN:
		return take_str(c, &sp->stdin_path, 0);
	case T_STDOUT:
		return take_str(c, &sp->stdout_path, 0);
	case T_STDERR:
		return take_str(c, &sp->stderr_path, 0);
	case T_BIND_IDENTITY:
		sp->have_bind_identity = 1;
		return take_u32(c, &sp->bind_uid) || take_u32(c, &sp->bind_gid);
	case T_UID:
		sp->have_uid = 1;
		return take_u32(c, &sp->uid) || sp->uid == 0 ? -1 : 0;
	case T_GID:
		sp->have_gid = 1;
		return take_u32(c, &sp->gid) || sp->gid == 0 ? -1 : 0;
	case T_MOUNT: {
		struct mount_rule m = { 0 };
		if (!GROW(sp->mounts, sp->n_mounts))
			return -1;
		if (take_u32(c, &m.kind) || take_u32(c, &m.flags) || (m.flags & ~MF_ALL) ||
		    take_str(c, &m.source, 1) || take_str(c, &m.target, 0) ||
		    take_str(c, &m.fstype, 1) || take_str(c, &m.data, 1))
			return -1;
		if (!valid_inside_path(m.target))
			return -1;
		if (m.kind == MK_BIND && (m.source[0] != '/' || m.fstype[0] || m.data[0]))
			return -1;
		if (m.kind == MK_FS && (m.fstype[0] == '\0' || (m.flags & (MF_RECURSIVE | MF_MAYBE))))
			return -1;
		if (m.kind == MK_RESTRICT && (m.source[0] || m.fstype[0] || m.data[0] || (m.flags & (MF_MAYBE | MF_AS_CALLER))))
			return -1;
		if (m.kind != MK_BIND && m.kind != MK_FS && m.kind != MK_RESTRICT)
			return -1;
		sp->mounts[sp->n_mounts++] = m;
		return 0;
	}
	case T_SYMLINK: {
		struct symlink_rule s = { 0 };
		if (!GROW(sp->symlinks, sp->n_symlinks))
			return -1;
		if (take_str(c, &s.target, 0) || take_str(c, &s.linkpath, 0) || !valid_inside_path(s.linkpath))
			return -1;
		sp->symlinks[sp->n_symlinks++] = s;
		return 0;
	}
	case T_RLIMIT: {
		if (!GROW(sp->rlimits, sp->n_rlimits))
			return -1;
		if (take_u32(c, &u) || take_u64(c, &a) || take_u64(c, &b) || u >= RLIM_NLIMITS || a > b)
			return -1;
		sp->rlimits[sp->n_rlimits++] = (struct rlimit_rule){ u, { a, b } };
		return 0;
	}
	case T_ENV:
		if (!GROW(sp->env, sp->n_env) || take_str(c, &sp->env[sp->n_env], 0) ||
		    !strchr(sp->env[sp->n_env], '=') || sp->env[sp->n_env][0] == '=')
			return -1;
		sp->n_env++;
		return 0;
	case T_ARG:
		if (!GROW(sp->argv, sp->n_argv) || take_str(c, &sp->argv[sp->n_argv], 1))
			return -1;
		sp->n_argv++;
		return 0;
	case T_CGROUP:
		if (!GROW(sp->cgroups, sp->n_cgroups) || take_str(c, &sp->cgroups[sp->n_cgroups], 0) ||
		    sp->cgroups[sp->n_cgroups][0] != '/')
			return -1;
		sp->n_cgroups++;
		return 0;
	case T_KEEP_FD:
		if (!GROW(sp->keep_fds, sp->n_keep_fds) || take_u32(c, &u) || u < 3 || u > 1 << 20)
			return -1;
		sp->keep_fds[sp->n_keep_fds++] = (int)u;
		return 0;
	case T_NET_NS:
		if (sp->net_ns_fd >= 0 || take_u32(c, &u) || u < 3 || u > 1 << 20)
			return -1;
		sp->net_ns_fd = (int)u;
		return 0;
	case T_SECCOMP: {
		size_t n = c->left / sizeof(struct sock_filter);
		if (sp->seccomp || n == 0 || n > BPF_MAXINSNS || c->left % sizeof(struct sock_filter))
			return -1;
		sp->seccomp = malloc(c->left);
		if (!sp->seccomp || take(c, sp->seccomp, c->left))
			return -1;
		sp->n_seccomp = n;
		return 0;
	}
	default:
		return -1;
	}
}

/* Tags a warm box's per-run spec may carry: everything about the program, nothing about the box. */
#define RUN_TAGS ((1UL << T_OPTIONS) | (1UL << T_CWD) | (1UL << T_CHDIR) | (1UL << T_RLIMIT) | (1UL << T_ENV) | \
		  (1UL << T_ARG) | (1UL << T_PROGRAM) | (1UL << T_STDIN) | (1UL << T_STDOUT) | (1UL << T_STDERR) | \
		  (1UL << T_SECCOMP) | (1UL << T_CGROUP))
#define ALL_TAGS (~0UL)

/* Returns the index of the offending record on error, or -1 on success. */
static long parse_spec(struct spec *sp, const unsigned char *buf, size_t len, unsigned long allowed)
{
	struct cursor c = { buf, len };
	uint32_t magic, version;
	if (take_u32(&c, &magic) || take_u32(&c, &version) || magic != SPEC_MAGIC || version != SPEC_VERSION)
		return 0;
	for (long index = 1;; index++) {
		uint32_t tag, rlen;
		if (take_u32(&c, &tag) || take_u32(&c, &rlen) || c.left < rlen)
			return index;
		if (tag == T_END)
			return rlen == 0 && c.left == 0 ? -1 : index;
		struct cursor body = { c.p, rlen };
		if (tag >= 8 * sizeof(allowed) || !(allowed & (1UL << tag)) || parse_record(sp, tag, &body) || body.left != 0)
			return index;
		c.p += rlen;
		c.left -= rlen;
	}
}

/* The required records are there; argv and env get their terminating NULL. A warm box's own
 * spec describes no program: each run brings one. */
static long check_spec(struct spec *sp)
{
	int needs_program = !(sp->options & OPT_SERVE) || sp->n_argv > 0 || sp->program;
	if (!sp->root_dir || !sp->have_uid || !sp->have_gid)
		return 0;
	if (needs_program && (!sp->cwd || !sp->program || sp->n_argv == 0))
		return 0;
	/* In a user namespace the box init already is the caller; the caller's uid is not even
	 * mapped there, so a bind identity could only fail. */
	if ((sp->options & OPT_USER_NS) && sp->have_bind_identity)
		return 0;
	if (sp->net_ns_fd >= 0 && !(sp->options & OPT_NEW_NET))
		return 0;
	if (!GROW(sp->argv, sp->n_argv) || !GROW(sp->env, sp->n_env))
		return 0;
	sp->argv[sp->n_argv] = NULL;
	sp->env[sp->n_env] = NULL;
	return -1;
}

static unsigned char *read_all(int fd, size_t *len)
{
	size_t cap = 1 << 16, n = 0;
	unsigned char *buf = malloc(cap);
	while (buf) {
		if (n == cap) {
			if (cap >= SPEC_MAX_BYTES)
				break;
			cap *= 2;
			unsigned char *bigger = realloc(buf, cap);
			if (!bigger)
				break;
			buf = bigger;
		}
		/* pread from 0: the JVM shares this memfd's offset and may have left it at the end. A
		 * launcher started ahead of its run gets a pipe instead, read to its end. */
		ssize_t r = pread(fd, buf + n, cap - n, (off_t)n);
		if (r < 0 && errno == ESPIPE)
			r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		if (r == 0) {
			*len = n;
			return buf;
		}
		n += (size_t)r;
	}
	free(buf);
	errno = EFBIG;
	return NULL;
}

/* ---- box init: building the root ---- */

/* Creates the mount point for `path` inside the fresh root tmpfs (nothing mounted yet, so every
 * component is ours), as a directory or, for a bind of a non-directory, an empty file. */
static int make_mountpoint(int rootfd, const char *path, int as_file)
{
	char *copy = strdup(path);
	if (!copy)
		return -1;
	int dfd = dup(rootfd), rc = -1;
	char *save = NULL;
	for (char *comp = strtok_r(copy, "/", &save); comp && dfd >= 0; comp = strtok_r(NULL, "/", &save)) {
		int last = save == NULL || *save == '\0';
		if (last && as_file) {
			int f = openat(dfd, comp, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
			rc = f < 0 ? -1 : close(f);
			break;
		}
		if (mkdirat(dfd, comp, 0755) < 0 && errno != EEXIST)
			break;
		int next = openat(dfd, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(dfd);
		dfd = next;
		if (last && next >= 0)
			rc = 0;
	}
	if (dfd >= 0)
		close(dfd);
	free(copy);
	return rc;
}

static int make_symlink(int rootfd, const struct symlink_rule *s)
{
	char *parent = strdup(s->linkpath);
	if (!parent)
		return -1;
	char *slash = strrchr(parent, '/');
	int dfd = rootfd, rc = -1;
	if (slash) {
		*slash = '\0';
		if (make_mountpoint(rootfd, parent, 0) == 0) {
			struct open_how how = { .flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
						.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS };
			dfd = (int)syscall(SYS_openat2, rootfd, parent, &how, sizeof(how));
		} else {
			dfd = -1;
		}
	}
	if (dfd >= 0)
		rc = symlinkat(s->target, dfd, slash ? slash + 1 : s->linkpath);
	if (slash && dfd >= 0)
		close(dfd);
	free(parent);
	return rc;
}

static uint64_t mount_attrs(uint32_t flags)
{
	return (flags & MF_RDONLY ? MOUNT_ATTR_RDONLY : 0) | (flags & MF_NOSUID ? MOUNT_ATTR_NOSUID : 0) |
	       (flags & MF_NODEV ? MOUNT_ATTR_NODEV : 0) | (flags & MF_NOEXEC ? MOUNT_ATTR_NOEXEC : 0);
}

/* A fresh filesystem (proc, tmpfs, ...) with its options given as "key=value,flag" data. */
static int make_fs(const struct mount_rule *m)
{
	int fsfd = fsopen(m->fstype, FSOPEN_CLOEXEC);
	if (fsfd < 0)
		return -1;
	char *data = strdup(m->data), *save = NULL;
	int ok = data != NULL;
	for (char *opt = ok ? strtok_r(data, ",", &save) : NULL; ok && opt; opt = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(opt, '=');
		if (eq)
			*eq = '\0';
		ok = fsconfig(fsfd, eq ? FSCONFIG_SET_STRING : FSCONFIG_SET_FLAG, opt, eq ? eq + 1 : NULL, 0) == 0;
	}
	free(data);
	int mfd = -1;
	if (ok && fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0)
		mfd = fsmount(fsfd, FSMOUNT_CLOEXEC, (unsigned int)mount_attrs(m->flags));
	int saved = errno;
	close(fsfd);
	errno = saved;
	return mfd;
}

/* A detached copy of a host tree; NULL-equivalent -1 with errno on failure. */
static int open_source(const struct mount_rule *m)
{
	unsigned int rec = m->flags & MF_RECURSIVE ? AT_RECURSIVE : 0;
	return open_tree(AT_FDCWD, m->source, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | rec);
}

/* Its attributes are set before anyone can see it. In a user namespace the host's read-only,
 * nosuid, nodev, noexec and atime flags of a mount are locked (clearing one is EPERM), and they
 * only ever make the box stricter: there the requested flags are added and nothing is cleared. */
static int set_bind_attributes(int tfd, const struct mount_rule *m, int keep_host_flags)
{
	uint64_t set = mount_attrs(m->flags);
	struct mount_attr attr = {
		.attr_set = set,
		.attr_clr = keep_host_flags ? 0 :
			(MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC) & ~set,
		.propagation = MS_PRIVATE,
	};
	return mount_setattr(tfd, "", AT_EMPTY_PATH | (m->flags & MF_RECURSIVE ? AT_RECURSIVE : 0), &attr, sizeof(attr));
}

/* Host trees are looked up with the caller's filesystem identity (setfsuid drops root's
 * file-access capabilities), so a bind never exposes what the caller could not read itself. */
static void switch_fs_identity(const struct spec *sp, int to_caller)
{
	if (!sp->have_bind_identity)
		return;
	uid_t u = to_caller ? sp->bind_uid : 0;
	gid_t g = to_caller ? sp->bind_gid : 0;
	setfsgid(g);
	setfsuid(u);
	if ((uid_t)setfsuid((uid_t)-1) != u || (gid_t)setfsgid((gid_t)-1) != g) {
		errno = EPERM;
		fail(S_BIND_IDENTITY, 0, 1);
	}
}

/* Each source is opened once, up front: what is checked (exists, is a directory) is exactly
 * what gets mounted. -1 marks a "maybe" source that does not exist. Sources outside the box
 * (marked AS_CALLER) are opened as the caller; the box's own directories as root. */
static int *open_sources(const struct spec *sp)
{
	int *fds = calloc(sp->n_mounts + 1, sizeof(int));
	if (!fds)
		fail(S_MOUNT, 0, 1);
	if (sp->have_bind_identity && setgroups(0, NULL) < 0)
		fail(S_BIND_IDENTITY, 0, 1);
	for (size_t i = 0; i < sp->n_mounts; i++) {
		const struct mount_rule *m = &sp->mounts[i];
		fds[i] = -1;
		if (m->kind != MK_BIND)
			continue;
		int as_caller = (m->flags & MF_AS_CALLER) && sp->have_bind_identity;
		switch_fs_identity(sp, as_caller);
		fds[i] = open_source(m);
		/* Looking a path up needs only search rights on its parents: the caller must also be
		 * able to read the source itself (AT_EACCESS checks with the fs identity just set). */
		if (fds[i] >= 0 && as_caller && faccessat(AT_FDCWD, m->source, R_OK, AT_EACCESS) < 0) {
			int denied = errno;
			close(fds[i]);
			fds[i] = -1;
			errno = denied;
		}
		int saved = errno;
		switch_fs_identity(sp, 0);
		errno = saved;
		if (fds[i] < 0 && !(errno == ENOENT && (m->flags & MF_MAYBE)))
			fail(S_MOUNT, (uint32_t)i, 1);
	}
	return fds;
}

/* A copy of what is at the target, with the requested attributes added, mounted over it. */
static void restrict_mount(int rootfd, const struct mount_rule *m, size_t i)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC,
				.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS };
	int target = (int)syscall(SYS_openat2, rootfd, m->target, &how, sizeof(how));
	if (target < 0)
		fail(S_MOUNT, (uint32_t)i, 1);
	unsigned int rec = m->flags & MF_RECURSIVE ? AT_RECURSIVE : 0;
	int tfd = open_tree(target, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH | rec);
	struct mount_attr attr = { .attr_set = mount_attrs(m->flags), .propagation = MS_PRIVATE };
	if (tfd < 0 || mount_setattr(tfd, "", AT_EMPTY_PATH | rec, &attr, sizeof(attr)) < 0 ||
	    move_mount(tfd, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		fail(S_MOUNT, (uint32_t)i, 1);
	close(tfd);
	close(target);
}

/* Every target is resolved beneath the new root without following any symlink, so nothing a
 * previous run left in the box (a symlink to /etc, say) can redirect a mount. */
static void do_mounts(const struct spec *sp, int rootfd, const int *sources)
{
	for (size_t i = 0; i < sp->n_mounts; i++) {
		const struct mount_rule *m = &sp->mounts[i];
		if (m->kind == MK_BIND && sources[i] < 0)
			continue; /* a "maybe" source that is absent */
		if (m->kind == MK_RESTRICT) {
			restrict_mount(rootfd, m, i);
			continue;
		}
		int mfd = m->kind == MK_BIND ? sources[i] : make_fs(m);
		if (mfd < 0 || (m->kind == MK_BIND && set_bind_attributes(mfd, m, (sp->options & OPT_USER_NS) != 0) < 0))
			fail(S_MOUNT, (uint32_t)i, 1);
		struct open_how how = { .flags = O_PATH | O_CLOEXEC,
					.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS };
		int target = (int)syscall(SYS_openat2, rootfd, m->target, &how, sizeof(how));
		if (target < 0 && errno == ENOENT && (m->flags & MF_MAYBE)) {
			close(mfd); /* "maybe" also covers a target an earlier mount does not have (masks in /proc) */
			continue;
		}
		if (target < 0 ||
		    move_mount(mfd, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
			fail(S_MOUNT, (uint32_t)i, 1);
		close(target);
		close(mfd);
	}
}

static void build_root(const struct spec *sp)
{
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		fail(S_MOUNT_PRIVATE, 0, 1);
	int *sources = open_sources(sp);
	if (mount("mini-isolate", sp->root_dir, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  "mode=0755,size=1m,nr_inodes=4096") < 0)
		fail(S_ROOT_TMPFS, 0, 1);
	int rootfd = open(sp->root_dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		fail(S_ROOT_TMPFS, 0, 1);
	/* Mount points first, while every path below the root is still our own tmpfs. */
	for (size_t i = 0; i < sp->n_mounts; i++) {
		const struct mount_rule *m = &sp->mounts[i];
		struct stat st;
		int as_file = 0;
		if (m->kind == MK_RESTRICT)
			continue; /* its target is whatever an earlier mount put there */
		if (m->kind == MK_BIND) {
			if (sources[i] < 0)
				continue;
			if (fstat(sources[i], &st) < 0)
				fail(S_MOUNT, (uint32_t)i, 1);
			as_file = !S_ISDIR(st.st_mode);
		}
		if (make_mountpoint(rootfd, m->target, as_file) < 0)
			fail(S_MOUNTPOINT, (uint32_t)i, 1);
	}
	for (size_t i = 0; i < sp->n_symlinks; i++)
		if (make_symlink(rootfd, &sp->symlinks[i]) < 0)
			fail(S_SYMLINK, (uint32_t)i, 1);
	do_mounts(sp, rootfd, sources);
	free(sources);

	if (fchdir(rootfd) < 0 || syscall(SYS_pivot_root, ".", ".") < 0 || umount2(".", MNT_DETACH) < 0 ||
	    chdir("/") < 0)
		fail(S_PIVOT_ROOT, 0, 1);
	close(rootfd);
	struct mount_attr ro = { .attr_set = MOUNT_ATTR_RDONLY };
	if (mount_setattr(AT_FDCWD, "/", 0, &ro, sizeof(ro)) < 0)
		fail(S_ROOT_READONLY, 0, 1);
}

static void bring_up_loopback(void)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct ifreq ifr = { 0 };
	strcpy(ifr.ifr_name, "lo");
	if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		fail(S_LOOPBACK, 0, 1);
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
		fail(S_LOOPBACK, 0, 1);
	close(s);
}

/* A network namespace the JVM made ahead of time, off the run's critical path, for this run
 * alone: joined instead of making one in clone. setns with CLONE_NEWNET refuses anything that is
 * not a network namespace, and the descriptor is gone before the program exists. */
static void join_net_ns(const struct spec *sp)
{
	if (setns(sp->net_ns_fd, CLONE_NEWNET) < 0)
		fail(S_NET_NS, 0, 1);
	close(sp->net_ns_fd);
}

/* ---- the program: the confinement steps, in the order that makes them hold ---- */

static void open_onto(const char *path, int flags, int target, enum stage stage)
{
	int fd = open(path, flags | O_CLOEXEC, 0666);
	if (fd < 0)
		fail(stage, 0, 127);
	if (dup2(fd, target) < 0) /* dup2 clears close-on-exec on the target */
		fail(stage, 0, 127);
	close(fd);
}

static int cmp_int(const void *a, const void *b)
{
	return (*(const int *)a > *(const int *)b) - (*(const int *)a < *(const int *)b);
}

/* Closes every descriptor from 3 up except the kept ones and `extra`. */
static int close_fds_except(const int *kept, size_t n_kept, int extra)
{
	size_t n = n_kept + 1;
	int *keep = malloc(n * sizeof(int));
	if (!keep)
		return -1;
	memcpy(keep, kept, n_kept * sizeof(int));
	keep[n - 1] = extra;
	qsort(keep, n, sizeof(int), cmp_int);
	unsigned int from = 3;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		if ((unsigned int)keep[i] > from)
			rc = close_range(from, (unsigned int)keep[i] - 1, 0);
		if ((unsigned int)keep[i] + 1 > from)
			from = (unsigned int)keep[i] + 1;
	}
	free(keep);
	return rc == 0 ? close_range(from, ~0U, 0) : rc;
}

static void drop_capabilities_before_switch(void)
{
	for (int cap = 0; cap <= 63; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			fail(S_CAPS, (uint32_t)cap, 127);
	/* Lock root's special treatment off for good: no capabilities from exec of a setuid-root
	 * file, no keeping them across the uid switch, no ambient raise. */
	unsigned long bits = SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP_LOCKED |
			     SECBIT_KEEP_CAPS_LOCKED | SECBIT_NO_CAP_AMBIENT_RAISE | SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED;
	if (prctl(PR_SET_SECUREBITS, bits, 0, 0, 0) < 0 ||
	    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		fail(S_CAPS, 64, 127);
}

static void clear_remaining_capabilities(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = { { 0 }, { 0 } };
	if (syscall(SYS_capset, &hdr, data) < 0)
		fail(S_CAPS, 65, 127);
}

/* Where a run's program goes into its cgroups without a migration: writing to cgroup.procs takes
 * the kernel's global threadgroup lock for writing, which waits for an RCU grace period (several
 * ms) whenever it has not been taken for a while. A v1 hierarchy's "tasks" file moves just the
 * writing thread (the program is single-threaded then: the same effect) without that lock; in
 * the v2 tree the program is cloned straight into its cgroup (CLONE_INTO_CGROUP). Fresh boxes and
 * a warm box's runs alike: the spec names each hierarchy's cgroup.procs, and the box init opens
 * these instead before pivot_root hides the host's cgroup mounts (a warm box: per run, beneath
 * its directories). */
struct run_cgroups {
	int *fds;          /* per entry: the file the program writes itself into ("0" = the writer) */
	int into;          /* a v2 cgroup directory to clone the program into, or -1 */
	size_t into_index; /* its entry, which the program then skips */
};

/* A warm box outlives its runs' cgroups, which are made afresh for each run: its spec names the
 * directories they are made in, opened before pivot_root hides them; each run's files are
 * looked up beneath those (never following a link), in the box init, per run. */
static int *open_cgroup_dirs(const struct spec *sp)
{
	int *fds = calloc(sp->n_cgroups + 1, sizeof(int));
	if (!fds)
		fail(S_CGROUP, 0, 1);
	for (size_t i = 0; i < sp->n_cgroups; i++)
		if ((fds[i] = open(sp->cgroups[i], O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
			fail(S_CGROUP, (uint32_t)i, 1);
	return fds;
}

static int open_beneath(int dirfd, const char *path, int flags)
{
	struct open_how how = { .flags = (uint64_t)flags | O_CLOEXEC,
				.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS };
	return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}

#define PROCS_FILE "cgroup.procs"

/* For `rel` ("cgroup.procs" or ".../cgroup.procs" beneath `dirfd`): the v1 "tasks" file instead,
 * or, in the v2 tree, the directory to clone into (*into). Falls back to `rel` itself. */
static int open_cgroup_entry(int dirfd, const char *rel, int *into)
{
	size_t len = strlen(rel), plen = strlen(PROCS_FILE), dlen = len - plen; /* dlen: with its '/' */
	struct statfs fs;
	if (len < plen || strcmp(rel + dlen, PROCS_FILE) != 0 || (dlen > 0 && rel[dlen - 1] != '/') ||
	    fstatfs(dirfd, &fs) < 0)
		return open_beneath(dirfd, rel, O_WRONLY);
	char *alt = malloc(dlen + sizeof("tasks"));
	if (!alt)
		return -1;
	if (fs.f_type == CGROUP_SUPER_MAGIC) {
		memcpy(alt, rel, dlen);
		strcpy(alt + dlen, "tasks");
		int fd = open_beneath(dirfd, alt, O_WRONLY);
		free(alt);
		return fd >= 0 ? fd : open_beneath(dirfd, rel, O_WRONLY);
	}
	if (fs.f_type == CGROUP2_SUPER_MAGIC && *into < 0) {
		if (dlen > 0) {
			memcpy(alt, rel, dlen - 1);
			alt[dlen - 1] = '\0';
		} else {
			strcpy(alt, ".");
		}
		*into = open_beneath(dirfd, alt, O_RDONLY | O_DIRECTORY);
	}
	free(alt);
	return open_beneath(dirfd, rel, O_WRONLY); /* also the fallback if clone3 is refused */
}

/* Entry `i`: `rel` beneath `dirfd`. Returns its descriptor, or -1 with errno set. */
static int open_run_cgroup(struct run_cgroups *cg, size_t i, int dirfd, const char *rel)
{
	int into = cg->into;
	int fd = open_cgroup_entry(dirfd, rel, &into);
	if (into != cg->into) {
		cg->into = into;
		cg->into_index = i;
	}
	return cg->fds[i] = fd;
}

/* The first `n` entries, and where the program would have been cloned into. */
static void close_run_cgroups(struct run_cgroups *cg, size_t n)
{
	for (size_t i = 0; i < n && cg->fds; i++)
		if (cg->fds[i] >= 0)
			close(cg->fds[i]);
	if (cg->into >= 0)
		close(cg->into);
	free(cg->fds);
	cg->fds = NULL;
	cg->into = -1;
}

/* A fresh box: each file through its own directory, as a warm box's runs are opened. */
static void open_cgroups(const struct spec *sp, struct run_cgroups *out)
{
	out->into = -1;
	if (!(out->fds = calloc(sp->n_cgroups + 1, sizeof(int))))
		fail(S_CGROUP, 0, 1);
	for (size_t i = 0; i < sp->n_cgroups; i++) {
		const char *path = sp->cgroups[i], *name = strrchr(path, '/') + 1; /* absolute: checked */
		char *dir = strndup(path, (size_t)(name - path));
		int dirfd = dir ? open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC) : -1;
		free(dir);
		if (dirfd < 0 || open_run_cgroup(out, i, dirfd, name) < 0)
			fail(S_CGROUP, (uint32_t)i, 1);
		close(dirfd);
	}
}

/* Opens a run's cgroup files through the box's directories. Returns -1 with errno set and
 * `*bad` the index of the file that failed. */
static int open_run_cgroups(const struct spec *run, const struct spec *box, const int *dirs,
			    struct run_cgroups *out, uint32_t *bad)
{
	out->into = -1;
	if (!(out->fds = calloc(run->n_cgroups + 1, sizeof(int))))
		return -1;
	for (size_t i = 0; i < run->n_cgroups; i++) {
		const char *path = run->cgroups[i];
		int fd = -1;
		errno = ENOENT;
		for (size_t j = 0; j < box->n_cgroups && fd < 0; j++) {
			size_t n = strlen(box->cgroups[j]);
			if (strncmp(path, box->cgroups[j], n) != 0 || path[n] != '/' || !valid_inside_path(path + n + 1))
				continue;
			fd = open_run_cgroup(out, i, dirs[j], path + n + 1);
		}
		if (fd < 0) {
			int err = errno;
			close_run_cgroups(out, i);
			*bad = (uint32_t)i;
			errno = err;
			return -1;
		}
	}
	return 0;
}

/* So the program and every descendant are counted and limited from birth, while the box
 * init's setup work is charged elsewhere. */
static void enter_cgroups(const struct spec *sp, const struct run_cgroups *cg)
{
	for (size_t i = 0; i < sp->n_cgroups; i++) {
		if (cg->fds[i] < 0)
			continue; /* cloned into it */
		if (write(cg->fds[i], "0", 1) != 1)
			fail(S_CGROUP, (uint32_t)i, 127);
		close(cg->fds[i]);
	}
	if (cg->into >= 0)
		close(cg->into);
}

/* "No limit" (RLIM_INFINITY) cannot raise an inherited hard limit without CAP_SYS_RESOURCE, which
 * root often lacks in containers (Docker drops it by default): it then means the highest value
 * the caller itself may have, which is all a program could get anyway. Any other value is exact,
 * except in a user namespace (rootless), where no hard limit can ever be raised: a value above
 * the caller's own hard limit becomes that limit, the most the caller could give anyway. */
static int set_limit(const struct rlimit_rule *r, int cap_at_hard)
{
	if (setrlimit((int)r->resource, &r->value) == 0)
		return 0;
	struct rlimit have, v = r->value;
	if (errno != EPERM || (v.rlim_max != RLIM_INFINITY && !cap_at_hard) || getrlimit((int)r->resource, &have) < 0)
		return -1;
	v.rlim_max = have.rlim_max;
	if (v.rlim_cur > v.rlim_max)
		v.rlim_cur = v.rlim_max;
	return setrlimit((int)r->resource, &v);
}

static _Noreturn void run_program(const struct spec *sp, const struct run_cgroups *cgroups)
{
	reset_signals();
	enter_cgroups(sp, cgroups);
	if (fcntl(status_fd, F_SETFD, FD_CLOEXEC) < 0 || setsid() < 0)
		fail(S_SETSID, 0, 127);
	if (chdir(sp->cwd) < 0)
		fail(S_CWD, 0, 127);
	for (size_t i = 0; i < sp->n_rlimits; i++)
		if (set_limit(&sp->rlimits[i], (sp->options & OPT_USER_NS) != 0) < 0)
			fail(S_RLIMIT, (uint32_t)i, 127);
	drop_capabilities_before_switch();
	/* In a user namespace setgroups is denied (it had to be, before the gid map could be
	 * written): the caller's supplementary groups stay, as they would for the caller itself. */
	if ((!(sp->options & OPT_USER_NS) && setgroups(0, NULL) < 0) || setresgid(sp->gid, sp->gid, sp->gid) < 0 ||
	    setresuid(sp->uid, sp->uid, sp->uid) < 0)
		fail(S_IDS, 0, 127);
	clear_remaining_capabilities();
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		fail(S_NO_NEW_PRIVS, 0, 127);
	umask(022);
	/* Redirections are opened as the box user, inside the box, relative to the box directory. */
	if (sp->stdin_path)
		open_onto(sp->stdin_path, O_RDONLY, 0, S_STDIN);
	if (sp->stdout_path)
		open_onto(sp->stdout_path, O_WRONLY | O_CREAT | O_TRUNC, 1, S_STDOUT);
	if (sp->options & OPT_STDERR_TO_STDOUT) {
		if (dup2(1, 2) < 0)
			fail(S_STDERR, 0, 127);
	} else if (sp->stderr_path) {
		open_onto(sp->stderr_path, O_WRONLY | O_CREAT | O_TRUNC, 2, S_STDERR);
	}
	if (sp->chdir && chdir(sp->chdir) < 0)
		fail(S_CHDIR, 0, 127);
	/* The status pipe stays only as the close-on-exec fail pipe: EOF once exec succeeded. */
	if (close_fds_except(sp->keep_fds, sp->n_keep_fds, status_fd) < 0)
		fail(S_CLOSE_FDS, 0, 127);
	if (sp->seccomp) {
		struct sock_fprog prog = { .len = (unsigned short)sp->n_seccomp, .filter = sp->seccomp };
		if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
			fail(S_SECCOMP, 0, 127);
	}
	execve(sp->program, sp->argv, sp->env);
	/* As isolate does: a program that cannot be executed is the program's failure (exit 127). */
	int err = errno;
	dprintf(2, "execve(\"%s\"): %s\n", sp->program, strerror(err));
	errno = err;
	fail(S_EXEC, 0, 127);
}

/* ---- box init: PID 1 of the box ---- */

/* The keeper forwards a kill request here rather than killing PID 1 itself: processes reaped by
 * the dying init of a namespace are not counted in its rusage, and the JVM needs their CPU time. */
static void stop_box(int sig)
{
	(void)sig;
	kill(-1, SIGKILL); /* everything in the namespace but PID 1 */
}

/* What the box init of a warm box holds for itself alone: never the program's. */
struct warm {
	const struct spec *box;
	const int *cgroup_dirs;
};

struct clone3_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid, set_tid_size, cgroup;
};
#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif

/* fork(), straight into the run's v2 cgroup where there is one and the kernel can (5.7+); the
 * child then skips writing itself into it. */
static pid_t fork_program(struct run_cgroups *cg)
{
	if (cg->into >= 0) {
		struct clone3_args args = { .flags = CLONE_INTO_CGROUP, .exit_signal = SIGCHLD, .cgroup = (uint64_t)cg->into };
		pid_t pid = (pid_t)syscall(SYS_clone3, &args, sizeof(args));
		if (pid == 0) {
			close(cg->fds[cg->into_index]);
			cg->fds[cg->into_index] = -1;
		}
		if (pid >= 0)
			return pid;
	}
	return fork();
}

/* One run of the program: fork it, wait for it, end and reap whatever it left, report. Every
 * child's wait4 rusage covers what that child reaped in turn, so their sum is the CPU time of
 * every process of the run, and their maximum its largest resident set. */
static void run_once(const struct spec *sp, struct run_cgroups *cgroups, const struct warm *warm)
{
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGUSR1);
	sigprocmask(SIG_BLOCK, &stop, NULL);
	struct rusage self;
	getrusage(RUSAGE_SELF, &self);
	struct record started = { .type = R_STARTED };
	started.v[1] = tv_ns(self.ru_utime) + tv_ns(self.ru_stime);
	started.v[0] = now_ns();
	send_record(&started);
	/* SIGUSR1 stays blocked across fork, so a stop request cannot slip in between the fork and
	 * knowing the program's pid; the program unblocks it along with everything else. */
	pid_t program = fork_program(cgroups);
	if (program < 0)
		fail(S_FORK, 0, 1);
	if (program == 0) {
		/* A warm box's runs must not meet through System V IPC objects left by an earlier run. */
		if (warm && unshare(CLONE_NEWIPC) < 0)
			fail(S_IPC, 0, 127);
		/* The init's own descriptors go before the rlimits: RLIMIT_NOFILE must leave the
		 * program's redirections as much room as in a fresh box. */
		if (warm) {
			close(control_fd);
			for (size_t i = 0; i < warm->box->n_cgroups; i++)
				close(warm->cgroup_dirs[i]);
		}
		run_program(sp, cgroups);
	}
	sigprocmask(SIG_UNBLOCK, &stop, NULL);

	int status = 0, ended = 0;
	int64_t end = 0;
	struct rusage total = { 0 };
	for (;;) {
		int st;
		struct rusage ru;
		pid_t pid = wait4(-1, &st, 0, &ru);
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0 && errno == ECHILD)
			break;
		if (pid < 0)
			fail(S_WAIT, 0, 1);
		add_usage(&total, &ru);
		if (pid == program) {
			end = now_ns();
			status = st;
			ended = 1;
			/* Nothing outlives the program: kill what it left; reaping it goes on in this loop. */
			kill(-1, SIGKILL);
		}
	}
	if (!ended)
		fail(S_WAIT, 1, 1);
	send_usage(R_EXITED, status, end, &total);
}

/* The writable filesystems the box made for itself (/dev/shm) start empty for every run. */
static void reset_fresh_filesystems(const struct spec *sp)
{
	int rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		fail(S_RESET, 0, 1);
	for (size_t i = 0; i < sp->n_mounts; i++) {
		const struct mount_rule *m = &sp->mounts[i];
		if (m->kind != MK_FS || (m->flags & MF_RDONLY) || strcmp(m->fstype, "tmpfs") != 0)
			continue;
		char path[4096];
		if (snprintf(path, sizeof(path), "/%s", m->target) >= (int)sizeof(path) || umount2(path, MNT_DETACH) < 0)
			fail(S_RESET, (uint32_t)i, 1);
		int mfd = make_fs(m);
		struct open_how how = { .flags = O_PATH | O_CLOEXEC,
					.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS };
		int target = (int)syscall(SYS_openat2, rootfd, m->target, &how, sizeof(how));
		if (mfd < 0 || target < 0 ||
		    move_mount(mfd, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
			fail(S_RESET, (uint32_t)i, 1);
		close(target);
		close(mfd);
	}
	close(rootfd);
}

static int read_exact(int fd, void *buf, size_t n)
{
	char *p = buf;
	while (n > 0) {
		ssize_t r = read(fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/* Reads and drops `n` bytes. */
static int discard(int fd, size_t n)
{
	char sink[1 << 16];
	while (n > 0) {
		size_t chunk = n < sizeof(sink) ? n : sizeof(sink);
		if (read_exact(fd, sink, chunk) < 0)
			return -1;
		n -= chunk;
	}
	return 0;
}

static void free_run(struct spec *run)
{
	free(run->cwd);
	free(run->chdir);
	free(run->program);
	free(run->stdin_path);
	free(run->stdout_path);
	free(run->stderr_path);
	free(run->rlimits);
	for (size_t i = 0; i < run->n_env; i++)
		free(run->env[i]);
	free(run->env);
	for (size_t i = 0; i < run->n_argv; i++)
		free(run->argv[i]);
	free(run->argv);
	free(run->seccomp);
	for (size_t i = 0; i < run->n_cgroups; i++)
		free(run->cgroups[i]);
	free(run->cgroups);
}

/* A warm box: the namespaces and the root stay; each run arrives as a length-prefixed spec of
 * program-only records on the control pipe, and ends with EXITED then READY once the box is
 * clean again. End of file on the pipe retires the box. */
static _Noreturn void serve(const struct spec *box, const int *cgroup_dirs)
{
	for (;;) {
		uint32_t len;
		if (read_exact(control_fd, &len, sizeof(len)) < 0)
			break;
		if (len > SPEC_MAX_BYTES) {
			/* Refused as a fresh box refuses it (EFBIG), and the box takes the next run. */
			if (discard(control_fd, len) < 0)
				break;
			struct record r = { .type = R_FAILED, .stage = S_SPEC, .err = EFBIG };
			send_record(&r);
			struct record ready = { .type = R_READY };
			send_record(&ready);
			continue;
		}
		unsigned char *buf = malloc(len ? len : 1);
		if (!buf || read_exact(control_fd, buf, len) < 0)
			break;
		struct spec run = *box;
		run.options = 0;
		run.cwd = run.chdir = run.program = run.stdin_path = run.stdout_path = run.stderr_path = NULL;
		run.rlimits = NULL, run.n_rlimits = 0, run.env = NULL, run.n_env = 0, run.argv = NULL, run.n_argv = 0;
		run.seccomp = NULL, run.n_seccomp = 0, run.cgroups = NULL, run.n_cgroups = 0;
		run.net_ns_fd = -1; /* the box init joined it and closed it */
		long bad = parse_spec(&run, buf, len, RUN_TAGS);
		if (bad < 0 && (run.options & ~(OPT_STDERR_TO_STDOUT)) != 0)
			bad = 1; /* a run may not change the box's namespaces */
		if (bad < 0)
			bad = check_spec(&run); /* before the box's options join: a run must name its program */
		run.options |= box->options & ~OPT_STDERR_TO_STDOUT;
		free(buf);
		uint32_t bad_cgroup = 0;
		struct run_cgroups cg = { NULL, -1, 0 };
		if (bad >= 0) {
			struct record r = { .type = R_FAILED, .stage = S_SPEC, .err = EINVAL, .index = (uint32_t)bad };
			send_record(&r);
		} else if (open_run_cgroups(&run, box, cgroup_dirs, &cg, &bad_cgroup) < 0) {
			struct record r = { .type = R_FAILED, .stage = S_CGROUP, .err = errno, .index = bad_cgroup };
			send_record(&r);
		} else {
			struct warm w = { box, cgroup_dirs };
			run_once(&run, &cg, &w);
			reset_fresh_filesystems(box);
			close_run_cgroups(&cg, run.n_cgroups);
		}
		free_run(&run);
		struct record ready = { .type = R_READY };
		send_record(&ready);
	}
	kill(-1, SIGKILL);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	_exit(0);
}

static _Noreturn void box_init(const struct spec *sp, int sync_fd)
{
	/* SIGUSR1 arrives blocked from the keeper and stays blocked until its handler is in place:
	 * the kernel drops a signal a namespace init receives with the default disposition, so an
	 * early stop request would otherwise be lost. */
	struct sigaction sa = { .sa_handler = stop_box, .sa_flags = SA_RESTART };
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL) < 0)
		fail(S_SIGNALS, 0, 1);
	reset_signals_but(SIGUSR1);
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGUSR1);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		fail(S_PARENT, 0, 1);
	char go;
	if (read(sync_fd, &go, 1) != 1) /* the keeper died before PDEATHSIG was armed */
		_exit(1);
	close(sync_fd);
	/* Rootless, the program runs as the same uid as this init: not dumpable, the init's /proc
	 * files belong to the namespace's root (nobody maps to it) and ptrace of it is refused
	 * whatever the program's filter allows. Only now: the keeper needed /proc/<init>/uid_map. */
	if ((sp->options & OPT_USER_NS) && prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		fail(S_USERNS, 4, 1);

	if (sp->net_ns_fd >= 0)
		join_net_ns(sp);
	struct run_cgroups cgroups = { NULL, -1, 0 };
	int *cgroup_dirs = sp->options & OPT_SERVE ? open_cgroup_dirs(sp) : NULL;
	if (!cgroup_dirs)
		open_cgroups(sp, &cgroups);
	build_root(sp);
	if (sp->options & OPT_NEW_NET)
		bring_up_loopback();
	if (sp->hostname && sethostname(sp->hostname, strlen(sp->hostname)) < 0)
		fail(S_HOSTNAME, 0, 1);

	if (sp->options & OPT_SERVE)
		serve(sp, cgroup_dirs);
	run_once(sp, &cgroups, NULL);
	_exit(0);
}

/* The namespace descriptor must be one the JVM passed for it alone: open, and none of the
 * launcher's own or the program's descriptors. */
static void check_net_ns_fd(const struct spec *sp, int spec_fd)
{
	int clash = sp->net_ns_fd == spec_fd || sp->net_ns_fd == status_fd || sp->net_ns_fd == control_fd;
	for (size_t i = 0; i < sp->n_keep_fds; i++)
		clash |= sp->net_ns_fd == sp->keep_fds[i];
	if (clash || fcntl(sp->net_ns_fd, F_GETFD) < 0) {
		errno = EBADF;
		fail(S_NET_NS, 1, 1);
	}
}

/* ---- keeper ---- */

static int write_file(pid_t pid, const char *name, const char *text)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t len = strlen(text);
	ssize_t n = write(fd, text, len);
	int saved = errno;
	close(fd);
	errno = saved;
	return n == (ssize_t)len ? 0 : -1;
}

/* Rootless: the box init's user namespace maps the box uid and gid, and nothing else, to the
 * caller's own uid and gid, the only map an unprivileged process may write itself (a separate
 * host uid per box would need newuidmap and /etc/subuid). setgroups must be denied first, or the
 * kernel refuses the gid map: otherwise the box could drop a group that denies it access. */
static void map_box_ids(pid_t pid, const struct spec *sp)
{
	char map[64];
	if (write_file(pid, "setgroups", "deny") < 0)
		fail(S_USERNS, 0, 1);
	snprintf(map, sizeof(map), "%u %u 1\n", (unsigned)sp->uid, (unsigned)getuid());
	if (write_file(pid, "uid_map", map) < 0)
		fail(S_USERNS, 1, 1);
	snprintf(map, sizeof(map), "%u %u 1\n", (unsigned)sp->gid, (unsigned)getgid());
	if (write_file(pid, "gid_map", map) < 0)
		fail(S_USERNS, 2, 1);
}

static volatile sig_atomic_t init_pid;

static void kill_box(int sig)
{
	(void)sig;
	pid_t pid = init_pid;
	if (pid > 0)
		kill(pid, SIGUSR1); /* the box init kills everything else and reports */
}

static const int kill_signals[] = { SIGUSR1, SIGTERM, SIGINT, SIGHUP, SIGQUIT };

static void block_kill_signals(int how)
{
	sigset_t set;
	sigemptyset(&set);
	for (size_t i = 0; i < sizeof(kill_signals) / sizeof(*kill_signals); i++)
		sigaddset(&set, kill_signals[i]);
	sigprocmask(how, &set, NULL);
}

int main(int argc, char **argv)
{
	reset_signals();
	if (argc != 4 && argc != 5) {
		fprintf(stderr, "mini-isolate-launcher is started by mini-isolate itself, not by hand\n");
		return 2;
	}
	int spec_fd = parse_fd(argv[1]);
	status_fd = parse_fd(argv[2]);
	int parent = parse_fd(argv[3]);
	control_fd = argc == 5 ? parse_fd(argv[4]) : -1;
	if (spec_fd < 3 || status_fd < 3 || spec_fd == status_fd || parent <= 0 ||
	    fcntl(status_fd, F_GETFD) < 0 || (argc == 5 && (control_fd < 3 || fcntl(control_fd, F_GETFD) < 0))) {
		fprintf(stderr, "mini-isolate-launcher: bad arguments\n");
		return 2;
	}
	/* Die with the JVM; the check after arming closes the window in which it already died. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || getppid() != parent)
		fail(S_PARENT, 0, 1);

	size_t len = 0;
	unsigned char *buf = read_all(spec_fd, &len);
	if (!buf)
		fail(S_SPEC, 0, 1);
	struct spec sp = { .net_ns_fd = -1 };
	long bad = parse_spec(&sp, buf, len, ALL_TAGS);
	if (bad < 0)
		bad = check_spec(&sp);
	if (bad >= 0) {
		errno = EINVAL;
		fail(S_SPEC, (uint32_t)bad, 1);
	}
	free(buf);
	close(spec_fd);
	/* Keep 0-2, the status pipe and the fds the caller asked to pass; drop whatever else the
	 * JVM let through. */
	if ((sp.options & OPT_SERVE) && control_fd < 0) {
		errno = EINVAL;
		fail(S_ARGS, 0, 1);
	}
	if (sp.net_ns_fd >= 0)
		check_net_ns_fd(&sp, spec_fd);
	/* The control pipe and the network namespace are kept by the launcher itself, never by the program. */
	int *keep = calloc(sp.n_keep_fds + 2, sizeof(int));
	size_t n_keep = sp.n_keep_fds;
	if (!keep)
		fail(S_CLOSE_FDS, 0, 1);
	memcpy(keep, sp.keep_fds, sp.n_keep_fds * sizeof(int));
	if (control_fd >= 0)
		keep[n_keep++] = control_fd;
	if (sp.net_ns_fd >= 0)
		keep[n_keep++] = sp.net_ns_fd;
	if (close_fds_except(keep, n_keep, status_fd) < 0)
		fail(S_CLOSE_FDS, 0, 1);
	free(keep);

	int sync[2];
	if (pipe2(sync, O_CLOEXEC) < 0)
		fail(S_PIPE, 0, 1);
	struct sigaction sa = { .sa_handler = kill_box, .sa_flags = SA_RESTART };
	sigemptyset(&sa.sa_mask);
	block_kill_signals(SIG_BLOCK);
	for (size_t i = 0; i < sizeof(kill_signals) / sizeof(*kill_signals); i++)
		if (sigaction(kill_signals[i], &sa, NULL) < 0)
			fail(S_SIGNALS, (uint32_t)i, 1);

	unsigned long flags = CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS | SIGCHLD;
	if ((sp.options & OPT_NEW_NET) && sp.net_ns_fd < 0)
		flags |= CLONE_NEWNET;
	if (sp.options & OPT_USER_NS) {
		/* Root never takes this path: mapping a box to uid 0 outside would make it root. */
		if (geteuid() == 0 || getuid() == 0) {
			errno = EPERM;
			fail(S_USERNS, 3, 1);
		}
		flags |= CLONE_NEWUSER;
	}
	pid_t pid = (pid_t)syscall(SYS_clone, flags, NULL, NULL, NULL, NULL);
	if (pid < 0)
		fail(S_CLONE, 0, 1);
	if (pid == 0) {
		close(sync[1]);
		box_init(&sp, sync[0]);
	}
	close(sync[0]);
	if (sp.net_ns_fd >= 0)
		close(sp.net_ns_fd); /* the box init's now */
	init_pid = pid;
	struct record r = { .type = R_INIT_PID };
	r.v[0] = pid;
	send_record(&r);
	if (sp.options & OPT_USER_NS)
		map_box_ids(pid, &sp);
	if (write(sync[1], "g", 1) != 1)
		fail(S_SYNC, 0, 1);
	close(sync[1]);
	block_kill_signals(SIG_UNBLOCK);

	/* Wait without reaping first: while PID 1 is a zombie its pid cannot be reused, so a kill
	 * request racing with its exit never hits another process. */
	siginfo_t si;
	while (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) < 0)
		if (errno != EINTR)
			fail(S_WAIT, 0, 1);
	block_kill_signals(SIG_BLOCK);
	init_pid = 0;
	int status;
	struct rusage ru;
	while (wait4(pid, &status, 0, &ru) < 0)
		if (errno != EINTR)
			fail(S_WAIT, 0, 1);
	send_usage(R_KEEPER_DONE, status, now_ns(), &ru);
	return 0;
}
