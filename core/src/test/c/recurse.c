/* Recurses until about argv[1] KiB of stack are in use, then prints "depth reached". */
#include <stdio.h>
#include <stdlib.h>

static int down(long frames)
{
	volatile char frame[1024];
	frame[0] = (char)frames;
	if (frames == 0)
		return frame[0];
	return down(frames - 1) + frame[0]; /* not a tail call */
}

int main(int argc, char **argv)
{
	long kib = argc > 1 ? atol(argv[1]) : 65536;
	int r = down(kib);
	printf("depth reached (%d)\n", r & 1);
	return 0;
}
