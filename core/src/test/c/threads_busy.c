/* Runs argv[1] threads that each burn CPU for argv[2] ms of wall-clock time, then prints the CPU
 * time of the whole process (all its threads) as it sees it, "cpu_ms N", and exits 0. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long long deadline_ns;

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void *spin(void *arg)
{
	(void)arg;
	while (now_ns() < deadline_ns)
		for (volatile int i = 0; i < 1000; i++)
			;
	return NULL;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 4;
	long ms = argc > 2 ? atol(argv[2]) : 500;
	pthread_t t[64];
	if (n < 1 || n > 64)
		return 2;
	deadline_ns = now_ns() + ms * 1000000LL;
	for (int i = 1; i < n; i++)
		if (pthread_create(&t[i], NULL, spin, NULL) != 0)
			return 1;
	spin(NULL);
	for (int i = 1; i < n; i++)
		pthread_join(t[i], NULL);
	struct timespec cpu;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
	printf("cpu_ms %lld\n", cpu.tv_sec * 1000LL + cpu.tv_nsec / 1000000);
	return 0;
}
