/* Opens /dev/null up to argv[1] times; prints how many opens worked and why the next one failed. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	int want = argc > 1 ? atoi(argv[1]) : 100;
	for (int i = 0; i < want; i++) {
		if (open("/dev/null", O_RDONLY) < 0) {
			printf("opened %d, then %s\n", i, strerrorname_np(errno));
			return 0;
		}
	}
	printf("opened %d\n", want);
	return 0;
}
