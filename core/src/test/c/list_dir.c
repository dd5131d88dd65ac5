/* Lists argv[1]: "TYPE NAME" a line, TYPE one of c (char device), b, d, l (symlink, "-> target"), f, p, s, ?. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	DIR *d = opendir(argv[1]);
	if (!d)
		return 1;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		struct stat st;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return 1;
		char t = S_ISCHR(st.st_mode) ? 'c' : S_ISBLK(st.st_mode) ? 'b' : S_ISDIR(st.st_mode) ? 'd'
		       : S_ISLNK(st.st_mode) ? 'l' : S_ISREG(st.st_mode) ? 'f' : S_ISFIFO(st.st_mode) ? 'p'
		       : S_ISSOCK(st.st_mode) ? 's' : '?';
		if (t == 'l') {
			char target[4096];
			ssize_t n = readlinkat(dirfd(d), e->d_name, target, sizeof(target) - 1);
			target[n < 0 ? 0 : n] = '\0';
			printf("l %s -> %s\n", e->d_name, target);
		} else {
			printf("%c %s\n", t, e->d_name);
		}
	}
	closedir(d);
	return 0;
}
