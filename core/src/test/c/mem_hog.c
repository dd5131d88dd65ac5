/* Touches argv[1] MiB, one MiB at a time, keeping all of it. Prints how far it got; exits 0 if it survived. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	unsigned long mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 256;
	for (unsigned long i = 0; i < mib; i++) {
		/* volatile: the compiler may not drop stores to memory that is never read */
		volatile char *p = malloc(1 << 20);
		if (!p) {
			printf("malloc failed after %lu MiB\n", i);
			return 3;
		}
		for (int j = 0; j < 1 << 20; j += 4096)
			p[j] = 1;
	}
	printf("touched %lu MiB\n", mib);
	return 0;
}
