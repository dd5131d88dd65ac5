/* Leaves behind in its working directory: a regular file, a directory with a file, a symlink to a
 * host path, a symlink inside the directory and a FIFO. Prints "made" when all exist. */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void)
{
	FILE *f = fopen("result.txt", "w");
	if (!f || fputs("42\n", f) < 0 || fclose(f) != 0)
		return 1;
	if (mkdir("sub", 0755) < 0)
		return 1;
	f = fopen("sub/inner.txt", "w");
	if (!f || fputs("inner\n", f) < 0 || fclose(f) != 0)
		return 1;
	if (symlink("/etc/shadow", "link") < 0 || symlink("../result.txt", "sub/link") < 0)
		return 1;
	if (mkfifo("fifo", 0644) < 0 || mkfifo("sub/fifo", 0644) < 0)
		return 1;
	printf("made\n");
	return 0;
}
