/* Tries one fork; prints "fork ok" or "fork failed: ERRNO". Exits 0 either way. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	pid_t pid = fork();
	if (pid < 0) {
		printf("fork failed: %s\n", strerrorname_np(errno));
		return 0;
	}
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	printf("fork ok\n");
	return 0;
}
