/* Touches argv[1] MiB, says so on stdout, then waits to be killed. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned long mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 16;
	/* volatile: the compiler may not drop stores to memory that is never read */
	volatile char *p = malloc(mib << 20);
	if (!p)
		return 3;
	for (unsigned long i = 0; i < mib << 20; i += 4096)
		p[i] = 1;
	printf("holding %lu MiB\n", mib);
	fflush(stdout);
	for (;;)
		pause();
}
