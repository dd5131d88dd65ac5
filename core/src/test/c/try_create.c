/* For each argument: a directory gets a new file created in it, anything else is opened for
 * writing. Prints "ARG ok" or "ARG ERRNO". */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		struct stat st;
		char path[4096];
		int fd;
		if (stat(argv[i], &st) == 0 && !S_ISDIR(st.st_mode)) {
			fd = open(argv[i], O_WRONLY);
			path[0] = '\0';
		} else {
			snprintf(path, sizeof(path), "%s/mini-isolate-probe", argv[i]);
			fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
		}
		if (fd < 0) {
			printf("%s %s\n", argv[i], strerrorname_np(errno));
			continue;
		}
		close(fd);
		if (path[0])
			unlink(path);
		printf("%s ok\n", argv[i]);
	}
	return 0;
}
