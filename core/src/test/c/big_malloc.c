/* Asks malloc for argv[1] MiB (untouched). Prints the outcome; exits 0 on success, 3 on failure. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 512;
	errno = 0;
	void *p = malloc(mib << 20);
	if (!p) {
		printf("malloc failed: %s\n", strerrorname_np(errno));
		return 3;
	}
	printf("malloc ok\n");
	return 0;
}
