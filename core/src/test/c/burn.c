/* Burns argv[1] milliseconds of its own CPU time, prints how much, exits 0. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	long target = argc > 1 ? atol(argv[1]) : 1000;
	volatile unsigned long spin = 0;
	while (cpu_ms() < target)
		for (int i = 0; i < 10000; i++)
			spin++;
	printf("burned %ld ms\n", cpu_ms());
	return 0;
}
