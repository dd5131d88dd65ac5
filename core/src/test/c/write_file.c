/* Writes argv[2] KiB into the file argv[1], 1 KiB at a time; prints how far it got. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	long kib = atol(argv[2]);
	int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		printf("open: %s\n", strerrorname_np(errno));
		return 1;
	}
	char block[1024];
	memset(block, 'x', sizeof(block));
	for (long i = 0; i < kib; i++) {
		if (write(fd, block, sizeof(block)) != (ssize_t)sizeof(block)) {
			printf("write failed after %ld KiB: %s\n", i, strerrorname_np(errno));
			return 1;
		}
	}
	printf("wrote %ld KiB\n", kib);
	return 0;
}
