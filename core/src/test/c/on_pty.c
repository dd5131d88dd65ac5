/* Runs on the host, not in a box: runs argv[1..] in a new session whose controlling terminal is
 * a fresh pseudo-terminal, with that terminal as its stdin (stdout and stderr are inherited).
 * The terminal is raw, without echo, so whatever lands in its input queue stays there byte for
 * byte. When the command has ended, prints "injected N" (the bytes left in the input queue: what
 * some process pushed into it with TIOCSTI, since nothing else writes to it) and exits with the
 * command's exit code. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0) {
		perror("pty");
		return 2;
	}
	const char *name = ptsname(master);
	int slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	struct termios t;
	if (slave < 0 || tcgetattr(slave, &t) < 0) {
		perror(name);
		return 2;
	}
	cfmakeraw(&t);
	if (tcsetattr(slave, TCSANOW, &t) < 0) {
		perror("tcsetattr");
		return 2;
	}
	fflush(stdout);
	pid_t child = fork();
	if (child < 0)
		return 2;
	if (child == 0) {
		if (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0) < 0 || dup2(slave, 0) < 0) {
			perror("controlling terminal");
			_exit(2);
		}
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	int status;
	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			return 2;
	int queued = 0;
	if (ioctl(slave, FIONREAD, &queued) < 0)
		queued = -1;
	printf("injected %d\n", queued);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
