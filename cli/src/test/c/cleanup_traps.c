/*
 * Leaves in its working directory what a hostile program would leave for the cleanup that follows:
 * a symlink to argv[1] (a host directory the cleanup must not enter), a symlink to /, a chain of
 * argv[2] nested directories (deeper than any path the kernel resolves at once), a directory
 * with a file in it and mode 000, and a name with a newline. Prints "traps set" when all exist.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static int fail(const char *what)
{
	perror(what);
	return 1;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	long depth = atol(argv[2]);
	if (symlink(argv[1], "to-canary") < 0 || symlink("/", "to-root") < 0)
		return fail("symlink");

	int top = open(".", O_RDONLY | O_DIRECTORY);
	if (top < 0 || mkdir("deep", 0755) < 0 || chdir("deep") < 0)
		return fail("deep");
	for (long i = 0; i < depth; i++)
		if (mkdir("d", 0755) < 0 || chdir("d") < 0)
			return fail("mkdir d");
	int f = open("bottom", O_WRONLY | O_CREAT, 0644);
	if (f < 0 || close(f) < 0 || fchdir(top) < 0)
		return fail("bottom");

	if (mkdir("locked", 0755) < 0)
		return fail("locked");
	f = open("locked/secret", O_WRONLY | O_CREAT, 0600);
	if (f < 0 || write(f, "x", 1) != 1 || close(f) < 0 || chmod("locked", 0) < 0)
		return fail("locked/secret");

	f = open("evil\nname", O_WRONLY | O_CREAT, 0644);
	if (f < 0 || close(f) < 0)
		return fail("evil name");
	printf("traps set\n");
	return 0;
}
