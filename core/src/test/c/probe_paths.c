/* Probes paths and process attributes from inside a box; one line of output per probe.
 *
 *   probe_paths read PATH...    "PATH bytes N" (a file read to its end), "PATH entries N" (a
 *                               directory: names other than . and ..) or "PATH ERRNO"
 *   probe_paths write PATH...   opens each for writing (appending nothing): "PATH ok" or "PATH ERRNO"
 *   probe_paths securebits      "securebits 0xNN", then "clear ERRNO|ok" for an attempt to clear them
 *   probe_paths tiocsti TEXT    pushes TEXT into fd 0's input queue with TIOCSTI, a byte at a time:
 *                               "isatty yes|no", "tiocsti ok|ERRNO", "ctty ERRNO|ok" (TIOCGSID on fd 0)
 *   probe_paths signal PID...   kill(PID, SIGUSR1) then kill(PID, SIGKILL): "PID ERRNO|sent"
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *err(int e)
{
	return strerrorname_np(e) ? strerrorname_np(e) : "?";
}

static void probe_read(const char *path)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK);
	if (fd < 0) {
		printf("%s %s\n", path, err(errno));
		return;
	}
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		DIR *d = fdopendir(fd);
		long n = 0;
		struct dirent *e;
		while (d && (e = readdir(d)) != NULL)
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
				n++;
		printf("%s entries %ld\n", path, n);
		if (d)
			closedir(d);
		return;
	}
	char buf[65536];
	long total = 0;
	ssize_t r;
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		total += r;
	if (r < 0)
		printf("%s %s\n", path, err(errno));
	else
		printf("%s bytes %ld\n", path, total);
	close(fd);
}

static void probe_write(const char *path)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_NONBLOCK);
	if (fd < 0) {
		printf("%s %s\n", path, err(errno));
		return;
	}
	close(fd);
	printf("%s ok\n", path);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		return 2;
	const char *cmd = argv[1];
	if (!strcmp(cmd, "read")) {
		for (int i = 2; i < argc; i++)
			probe_read(argv[i]);
	} else if (!strcmp(cmd, "write")) {
		for (int i = 2; i < argc; i++)
			probe_write(argv[i]);
	} else if (!strcmp(cmd, "securebits")) {
		int bits = prctl(PR_GET_SECUREBITS, 0, 0, 0, 0);
		printf("securebits 0x%x\n", bits);
		printf("clear %s\n", prctl(PR_SET_SECUREBITS, 0, 0, 0, 0) < 0 ? err(errno) : "ok");
	} else if (!strcmp(cmd, "tiocsti")) {
		const char *text = argc > 2 ? argv[2] : "id\n";
		printf("isatty %s\n", isatty(0) ? "yes" : "no");
		int rc = 0, e = 0;
		for (const char *p = text; *p && rc == 0; p++)
			if ((rc = ioctl(0, TIOCSTI, p)) < 0)
				e = errno;
		printf("tiocsti %s\n", rc == 0 ? "ok" : err(e));
		pid_t sid;
		printf("ctty %s\n", ioctl(0, TIOCGSID, &sid) == 0 ? "ok" : err(errno));
	} else if (!strcmp(cmd, "signal")) {
		for (int i = 2; i < argc; i++) {
			pid_t pid = (pid_t)atol(argv[i]);
			int e = 0;
			if (kill(pid, SIGUSR1) < 0)
				e = errno;
			else if (kill(pid, SIGKILL) < 0)
				e = errno;
			printf("%s %s\n", argv[i], e ? err(e) : "sent");
		}
	} else {
		return 2;
	}
	return 0;
}
