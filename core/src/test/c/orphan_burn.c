/* Leaves an orphan (reparented to the box's PID 1) that burns argv[1] ms of CPU and exits; waits
 * for it to finish (EOF on a pipe) without being able to reap it, then exits 0. The program's own
 * rusage never includes the orphan. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	long target = argc > 1 ? atol(argv[1]) : 500;
	int p[2];
	if (pipe(p) < 0)
		return 1;
	pid_t child = fork();
	if (child < 0)
		return 1;
	if (child == 0) {
		if (fork() != 0)
			_exit(0); /* the grandchild is now an orphan */
		close(p[0]);
		volatile unsigned long spin = 0;
		while (cpu_ms() < target)
			for (int i = 0; i < 10000; i++)
				spin++;
		_exit(0); /* closes p[1]: the parent sees EOF */
	}
	close(p[1]);
	waitpid(child, NULL, 0);
	char c;
	while (read(p[0], &c, 1) > 0)
		;
	printf("orphan done\n");
	return 0;
}
