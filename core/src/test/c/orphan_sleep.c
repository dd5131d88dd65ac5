/* Leaves a detached orphan behind (double fork + setsid) that sleeps argv[1] seconds; prints
 * "orphan started" once it runs, then exits 0 at once. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int p[2];
	if (pipe(p) < 0)
		return 1;
	pid_t child = fork();
	if (child < 0)
		return 1;
	if (child == 0) {
		setsid();
		if (fork() != 0)
			_exit(0);
		close(p[0]);
		write(p[1], "!", 1);
		close(p[1]);
		struct timespec ts = { .tv_sec = argc > 1 ? atol(argv[1]) : 1000 };
		while (nanosleep(&ts, &ts) != 0)
			;
		_exit(0);
	}
	close(p[1]);
	waitpid(child, NULL, 0);
	char c;
	if (read(p[0], &c, 1) == 1)
		printf("orphan started\n");
	return 0;
}
