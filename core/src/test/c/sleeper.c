/* Sleeps argv[1] seconds (wall clock, no CPU), then prints "woke". */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
	struct timespec ts = { .tv_sec = argc > 1 ? atol(argv[1]) : 1000 };
	while (nanosleep(&ts, &ts) != 0)
		;
	printf("woke\n");
	return 0;
}
