/* A fork bomb: every process forks as fast as it can, forever. The first process stops after
 * argv[1] ms and prints how many forks it got, the first error it saw and its RLIMIT_NPROC
 * ("unlimited" or the number); the rest of the bomb is left for the sandbox to clean up. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	long ms = argc > 1 ? atol(argv[1]) : 300;
	long long end = now_ms() + ms;
	pid_t self = getpid();
	long forks = 0, failures = 0;
	int first_error = 0;
	while (getpid() != self || now_ms() < end) {
		pid_t pid = fork();
		if (pid < 0) {
			if (getpid() == self) {
				failures++;
				if (!first_error)
					first_error = errno;
			}
			usleep(1000);
		} else if (pid > 0 && getpid() == self) {
			forks++;
		}
	}
	struct rlimit r;
	getrlimit(RLIMIT_NPROC, &r);
	if (r.rlim_cur == RLIM_INFINITY)
		printf("forks %ld failures %ld error %s nproc unlimited\n", forks, failures,
		       first_error ? strerrorname_np(first_error) : "none");
	else
		printf("forks %ld failures %ld error %s nproc %llu\n", forks, failures,
		       first_error ? strerrorname_np(first_error) : "none", (unsigned long long)r.rlim_cur);
	return 0;
}
