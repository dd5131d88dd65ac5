/* Touches argv[1] MiB, one MiB at a time, keeping all of it. Prints how far it got; exits 0 if it survived. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	unsigned long mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 256;
	for (unsigned long i = 0; i < mib; i++) {
		char *p = malloc(1 << 20);
		if (!p) {
			printf("malloc failed after %lu MiB\n", i);
			return 3;
		}
		memset(p, (int)i | 1, 1 << 20);
	}
	printf("touched %lu MiB\n", mib);
	return 0;
}
