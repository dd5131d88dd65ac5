/*
 * Tries kernel interfaces a boxed program should not reach and prints one line per probe:
 * "NAME ok" when the call succeeded, "NAME EPERM" (the errno's name) when it failed, or
 * "NAME signal N" when it killed the process. Each probe runs in its own child, so one
 * that succeeds (a new user namespace, a ptrace attach) cannot change what the next sees.
 *
 * Usage: syscall_probe NAME...   (no name: every probe; --list: the names only)
 *        syscall_probe --direct NAME   (in this process: a fatal probe ends the program itself)
 *
 * Raw syscall() throughout: the C library rewrites some calls (settimeofday becomes
 * clock_settime, flock may be emulated), and the filter is about what reaches the kernel.
 * Where a call would fail for lack of capabilities anyway, the probe passes an argument the
 * kernel rejects earlier (a bad pointer, an invalid flag), so that without the filter the
 * answer differs from the filter's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <linux/perf_event.h>
#include <linux/userfaultfd.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/quota.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_quotactl_fd
#define SYS_quotactl_fd 443
#endif
#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif
#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif
#define X32_SYSCALL_BIT 0x40000000L
#define I386_GETPID 20
#define I386_KEYCTL 288
#define X32_GETPID 39

/* A 32-bit system call from 64-bit code: the kernel treats "int $0x80" as the i386 ABI. */
static long int80(long nr, long a, long b, long c)
{
	long ret;
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
	if (ret < 0 && ret > -4096) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
}

/* A scratch file in the working directory (the box), for the lock probes. */
static int scratch_file(void)
{
	return open(".syscall-probe-scratch", O_RDWR | O_CREAT, 0600);
}

/* Gives the probe full capabilities over a fresh user and mount namespace, if the kernel lets it:
 * what an attacker does first, so that missing capabilities no longer stop the next call. */
static void try_enter_user_namespace(void)
{
	syscall(SYS_unshare, CLONE_NEWUSER | CLONE_NEWNS);
}

static long fcntl_lock(int cmd)
{
	int fd = scratch_file();
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	return syscall(SYS_fcntl, fd, cmd, &fl);
}

static long clone_with(unsigned long flags)
{
	long pid = syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);
	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitpid((pid_t)pid, NULL, 0);
	return pid;
}

static long ptrace_attach_child(void)
{
	pid_t child = fork();
	if (child == 0) {
		pause();
		_exit(0);
	}
	if (child < 0)
		return -1;
	long rc = syscall(SYS_ptrace, PTRACE_ATTACH, child, 0, 0);
	int err = errno;
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	errno = err;
	return rc;
}

static long process_vm(int write)
{
	char source[8] = "secret", target[8] = "";
	struct iovec local = { write ? source : target, sizeof(source) };
	struct iovec remote = { write ? target : source, sizeof(source) };
	return syscall(write ? SYS_process_vm_writev : SYS_process_vm_readv, getpid(), &local, 1, &remote, 1, 0);
}

static long perf_open(void)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE, .size = sizeof(attr), .config = PERF_COUNT_SW_TASK_CLOCK,
		.exclude_kernel = 1, .exclude_hv = 1,
	};
	return syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
}

static long io_uring_setup_probe(void)
{
	struct io_uring_params params;
	memset(&params, 0, sizeof(params));
	return syscall(SYS_io_uring_setup, 4, &params);
}

static long name_to_handle(void)
{
	struct {
		struct file_handle h;
		unsigned char bytes[MAX_HANDLE_SZ];
	} fh = { .h.handle_bytes = MAX_HANDLE_SZ };
	int mount_id;
	return syscall(SYS_name_to_handle_at, AT_FDCWD, ".", &fh.h, &mount_id, 0);
}

static long fork_and_wait(void)
{
	pid_t child = fork();
	if (child == 0)
		_exit(7);
	int status;
	if (child < 0 || waitpid(child, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 7 ? 0 : -1;
}

struct probe {
	const char *name;
	long (*run)(void);
};

#define PROBE(n, ...) static long probe_##n(void) { __VA_ARGS__; }
/* isolate's flag bits */
PROBE(keyctl, return syscall(SYS_keyctl, 9999, 0, 0, 0, 0))
PROBE(add_key, return syscall(SYS_add_key, (char *)1, "x", "data", 4, -2))
PROBE(request_key, return syscall(SYS_request_key, (char *)1, "x", NULL, 0))
PROBE(socket_vsock, return syscall(SYS_socket, AF_VSOCK, SOCK_STREAM, 0))
PROBE(fcntl_setlk, return fcntl_lock(F_SETLK))
PROBE(fcntl_setlkw, return fcntl_lock(F_SETLKW))
PROBE(fcntl_ofd_setlk, return fcntl_lock(F_OFD_SETLK))
PROBE(fcntl_ofd_setlkw, return fcntl_lock(F_OFD_SETLKW))
PROBE(fcntl_setlease, return syscall(SYS_fcntl, open(".syscall-probe-scratch", O_RDONLY | O_CREAT, 0600), F_SETLEASE, F_RDLCK))
PROBE(fcntl_notify, return syscall(SYS_fcntl, open(".", O_RDONLY | O_DIRECTORY), F_NOTIFY, DN_CREATE))
PROBE(flock, return syscall(SYS_flock, scratch_file(), LOCK_EX))
PROBE(io_uring_setup, return io_uring_setup_probe())
PROBE(io_uring_enter, return syscall(SYS_io_uring_enter, -1, 0, 0, 0, NULL, 0))
PROBE(io_uring_register, return syscall(SYS_io_uring_register, -1, 0, NULL, 0))
PROBE(int80_getpid, return int80(I386_GETPID, 0, 0, 0))
PROBE(int80_keyctl, return int80(I386_KEYCTL, 9999, 0, 0))
PROBE(x32_getpid, return syscall(X32_SYSCALL_BIT | X32_GETPID))
/* the default denylist */
PROBE(mount, try_enter_user_namespace(); return syscall(SYS_mount, "none", ".", "tmpfs", 0, NULL))
PROBE(umount2, return syscall(SYS_umount2, "/", 0x100))
PROBE(open_tree, return syscall(SYS_open_tree, AT_FDCWD, "/", 0xffff0000))
PROBE(move_mount, try_enter_user_namespace(); return syscall(SYS_move_mount, -1, "", -1, "", 0xffff0000))
PROBE(fsopen, try_enter_user_namespace(); return syscall(SYS_fsopen, "tmpfs", 0))
PROBE(fspick, try_enter_user_namespace(); return syscall(SYS_fspick, AT_FDCWD, "/", 0xffff0000))
PROBE(fsconfig, return syscall(SYS_fsconfig, -1, 0, NULL, NULL, 0))
PROBE(fsmount, try_enter_user_namespace(); return syscall(SYS_fsmount, -1, 0xffff0000, 0))
PROBE(mount_setattr, return syscall(SYS_mount_setattr, -1, "", 0xffff0000, NULL, 0))
PROBE(pivot_root, try_enter_user_namespace(); return syscall(SYS_pivot_root, "/nonexistent", "/nonexistent"))
PROBE(chroot, return syscall(SYS_chroot, "/nonexistent"))
PROBE(unshare_user, return syscall(SYS_unshare, CLONE_NEWUSER))
PROBE(setns, return syscall(SYS_setns, -1, 0))
PROBE(clone_newuser, return clone_with(CLONE_NEWUSER))
PROBE(clone_newns, try_enter_user_namespace(); return clone_with(CLONE_NEWNS))
PROBE(clone_newcgroup, try_enter_user_namespace(); return clone_with(CLONE_NEWCGROUP))
PROBE(clone_newuts, try_enter_user_namespace(); return clone_with(CLONE_NEWUTS))
PROBE(clone_newipc, try_enter_user_namespace(); return clone_with(CLONE_NEWIPC))
PROBE(clone_newpid, try_enter_user_namespace(); return clone_with(CLONE_NEWPID))
PROBE(clone_newnet, try_enter_user_namespace(); return clone_with(CLONE_NEWNET))
PROBE(clone3, return syscall(SYS_clone3, NULL, 0))
PROBE(ptrace, return ptrace_attach_child())
PROBE(process_vm_readv, return process_vm(0))
PROBE(process_vm_writev, return process_vm(1))
PROBE(kexec_load, return syscall(SYS_kexec_load, 0, 0, NULL, 0xffff0000))
PROBE(kexec_file_load, return syscall(SYS_kexec_file_load, -1, -1, 0, NULL, 0xffff0000))
PROBE(init_module, return syscall(SYS_init_module, NULL, 0, ""))
PROBE(finit_module, return syscall(SYS_finit_module, -1, "", 0xffff0000))
PROBE(delete_module, return syscall(SYS_delete_module, "nonexistent", 0))
PROBE(bpf, return syscall(SYS_bpf, 9999, NULL, 0))
PROBE(perf_event_open, return perf_open())
PROBE(userfaultfd, return syscall(SYS_userfaultfd, O_CLOEXEC | UFFD_USER_MODE_ONLY))
PROBE(open_by_handle_at, return syscall(SYS_open_by_handle_at, AT_FDCWD, (void *)1, O_RDONLY))
PROBE(name_to_handle_at, return name_to_handle())
PROBE(fanotify_init, return syscall(SYS_fanotify_init, FAN_CLASS_NOTIF | FAN_REPORT_FID, O_RDONLY))
PROBE(swapon, return syscall(SYS_swapon, "/nonexistent", 0))
PROBE(swapoff, return syscall(SYS_swapoff, "/nonexistent"))
PROBE(reboot, return syscall(SYS_reboot, 0, 0, 0, NULL))
PROBE(settimeofday, struct timeval tv = { 0, -1 }; return syscall(SYS_settimeofday, &tv, NULL))
PROBE(clock_settime, return syscall(SYS_clock_settime, CLOCK_REALTIME, (void *)1))
PROBE(clock_adjtime, return syscall(SYS_clock_adjtime, CLOCK_REALTIME, (void *)1))
PROBE(adjtimex, return syscall(SYS_adjtimex, (void *)1))
PROBE(acct, return syscall(SYS_acct, NULL))
PROBE(quotactl, return syscall(SYS_quotactl, QCMD(Q_SYNC, 99), NULL, 0, NULL))
PROBE(quotactl_fd, return syscall(SYS_quotactl_fd, -1, QCMD(Q_SYNC, 0), 0, NULL))
PROBE(lookup_dcookie, return syscall(SYS_lookup_dcookie, 0, NULL, 0))
PROBE(iopl, return syscall(SYS_iopl, 4))
PROBE(ioperm, return syscall(SYS_ioperm, 0xffff, 100, 1))
PROBE(personality_no_aslr, return syscall(SYS_personality, ADDR_NO_RANDOMIZE))
/* what must keep working under the filter */
PROBE(personality_query, return syscall(SYS_personality, 0xffffffffUL))
PROBE(personality_linux, return syscall(SYS_personality, PER_LINUX))
PROBE(fcntl_getlk, return fcntl_lock(F_GETLK))
PROBE(socket_unix, return syscall(SYS_socket, AF_UNIX, SOCK_STREAM, 0))
PROBE(fork, return fork_and_wait())

#define P(n) { #n, probe_##n }
static const struct probe probes[] = {
	P(keyctl), P(add_key), P(request_key), P(socket_vsock),
	P(fcntl_setlk), P(fcntl_setlkw), P(fcntl_ofd_setlk), P(fcntl_ofd_setlkw), P(fcntl_setlease),
	P(fcntl_notify), P(flock), P(io_uring_setup), P(io_uring_enter), P(io_uring_register),
	P(int80_getpid), P(int80_keyctl), P(x32_getpid),
	P(mount), P(umount2), P(open_tree), P(move_mount), P(fsopen), P(fspick), P(fsconfig), P(fsmount),
	P(mount_setattr), P(pivot_root), P(chroot), P(unshare_user), P(setns),
	P(clone_newuser), P(clone_newns), P(clone_newcgroup), P(clone_newuts), P(clone_newipc),
	P(clone_newpid), P(clone_newnet), P(clone3), P(ptrace), P(process_vm_readv), P(process_vm_writev),
	P(kexec_load), P(kexec_file_load), P(init_module), P(finit_module), P(delete_module), P(bpf),
	P(perf_event_open), P(userfaultfd), P(open_by_handle_at), P(name_to_handle_at), P(fanotify_init),
	P(swapon), P(swapoff), P(reboot), P(settimeofday), P(clock_settime), P(clock_adjtime), P(adjtimex),
	P(acct), P(quotactl), P(quotactl_fd), P(lookup_dcookie), P(iopl), P(ioperm), P(personality_no_aslr),
	P(personality_query), P(personality_linux), P(fcntl_getlk), P(socket_unix), P(fork),
};
#define N_PROBES (sizeof(probes) / sizeof(probes[0]))

static void run_probe(const struct probe *p)
{
	fflush(stdout);
	pid_t child = fork();
	if (child < 0) {
		printf("%s fork-failed %s\n", p->name, strerrorname_np(errno));
		return;
	}
	if (child == 0) {
		errno = 0;
		long rc = p->run();
		printf("%s %s\n", p->name, rc >= 0 ? "ok" : strerrorname_np(errno));
		fflush(stdout);
		_exit(0);
	}
	int status;
	if (waitpid(child, &status, 0) < 0)
		printf("%s waitpid-failed\n", p->name);
	else if (WIFSIGNALED(status))
		printf("%s signal %d\n", p->name, WTERMSIG(status));
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 3 && strcmp(argv[1], "--direct") == 0) {
		for (size_t i = 0; i < N_PROBES; i++)
			if (strcmp(argv[2], probes[i].name) == 0) {
				errno = 0;
				long rc = probes[i].run();
				printf("%s %s\n", probes[i].name, rc >= 0 ? "ok" : strerrorname_np(errno));
				return 0;
			}
		fprintf(stderr, "unknown probe %s\n", argv[2]);
		return 2;
	}
	if (argc == 2 && strcmp(argv[1], "--list") == 0) {
		for (size_t i = 0; i < N_PROBES; i++)
			printf("%s\n", probes[i].name);
		return 0;
	}
	for (size_t i = 0; i < N_PROBES; i++) {
		int wanted = argc == 1;
		for (int a = 1; a < argc; a++)
			wanted |= strcmp(argv[a], probes[i].name) == 0;
		if (wanted)
			run_probe(&probes[i]);
	}
	for (int a = 1; a < argc; a++) {
		int known = 0;
		for (size_t i = 0; i < N_PROBES; i++)
			known |= strcmp(argv[a], probes[i].name) == 0;
		if (!known) {
			fprintf(stderr, "unknown probe %s\n", argv[a]);
			return 2;
		}
	}
	return 0;
}
