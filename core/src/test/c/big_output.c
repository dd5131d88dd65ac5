/* Writes argv[1] MiB of a deterministic byte stream to stdout (xorshift32 from seed 2463534242,
 * little-endian words; the test regenerates it), then reports the byte count on stderr. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long mib = argc > 1 ? atol(argv[1]) : 50;
	static uint32_t buf[1 << 14]; /* 64 KiB */
	uint32_t x = 2463534242u;
	long long total = 0;
	for (long chunk = 0; chunk < mib * 16; chunk++) {
		for (size_t i = 0; i < sizeof(buf) / sizeof(*buf); i++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			buf[i] = x;
		}
		const char *p = (const char *)buf;
		size_t left = sizeof(buf);
		while (left > 0) {
			ssize_t w = write(1, p, left);
			if (w <= 0) {
				fprintf(stderr, "write failed after %lld bytes\n", total);
				return 1;
			}
			p += w;
			left -= (size_t)w;
			total += w;
		}
	}
	fprintf(stderr, "wrote %lld bytes\n", total);
	return 0;
}
