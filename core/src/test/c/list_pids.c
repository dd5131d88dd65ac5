/* Prints "self=PID" and then every process id visible in /proc, one a line. */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	printf("self=%d\n", (int)getpid());
	DIR *d = opendir("/proc");
	if (!d)
		return 1;
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		if (isdigit((unsigned char)e->d_name[0]))
			printf("%s\n", e->d_name);
	closedir(d);
	return 0;
}
