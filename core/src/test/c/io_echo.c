/* Reads all of stdin; writes "out:" + it to stdout, then "err:" + it to stderr (unbuffered, in that order). */
#include <string.h>
#include <unistd.h>

static void put(int fd, const char *prefix, const char *data, size_t n)
{
	write(fd, prefix, strlen(prefix));
	write(fd, data, n);
}

int main(void)
{
	static char buf[1 << 16];
	size_t n = 0;
	ssize_t r;
	while (n < sizeof(buf) && (r = read(0, buf + n, sizeof(buf) - n)) > 0)
		n += (size_t)r;
	put(1, "out:", buf, n);
	put(2, "err:", buf, n);
	return 0;
}
