/* Two colluding programs in two boxes, looking for a channel between them.
 *
 *   traces leave   leaves traces everyone may use: /tmp/trace and /dev/shm/trace (mode 0666), a
 *                  System V shared memory segment (key 0x4d490001, mode 0666) and a listening
 *                  abstract unix socket "@mini-isolate-trace"; checks it can find them itself
 *                  (printing what "find" prints), writes /box/ready, then waits (at most 30 s)
 *                  until /box/done exists
 *   traces find    looks for each: "tmp ok|ERRNO", "shm ok|ERRNO", "sysv ok|ERRNO",
 *                  "socket ok|ERRNO"
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define KEY 0x4d490001
static const char SOCKET_NAME[] = "\0mini-isolate-trace";

static const char *err(int e)
{
	return strerrorname_np(e) ? strerrorname_np(e) : "?";
}

static socklen_t address(struct sockaddr_un *a)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	memcpy(a->sun_path, SOCKET_NAME, sizeof(SOCKET_NAME) - 1);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + sizeof(SOCKET_NAME) - 1);
}

static void report(const char *what, int ok)
{
	printf("%s %s\n", what, ok ? "ok" : err(errno));
}

static void find(void)
{
	int fd = open("/tmp/trace", O_RDWR);
	report("tmp", fd >= 0);
	if (fd >= 0)
		close(fd);
	fd = open("/dev/shm/trace", O_RDWR);
	report("shm", fd >= 0);
	if (fd >= 0)
		close(fd);
	report("sysv", shmget(KEY, 0, 0) >= 0);
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un a;
	socklen_t len = address(&a);
	report("socket", s >= 0 && connect(s, (struct sockaddr *)&a, len) == 0);
	if (s >= 0)
		close(s);
}

static int create(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT, 0666);
	if (fd < 0 || fchmod(fd, 0666) < 0) {
		perror(path);
		return -1;
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		return 2;
	if (!strcmp(argv[1], "find")) {
		find();
		return 0;
	}
	if (strcmp(argv[1], "leave"))
		return 2;
	if (create("/tmp/trace") < 0 || create("/dev/shm/trace") < 0)
		return 1;
	int id = shmget(KEY, 4096, IPC_CREAT | 0666);
	if (id < 0) {
		perror("shmget");
		return 1;
	}
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un a;
	socklen_t len = address(&a);
	if (s < 0 || bind(s, (struct sockaddr *)&a, len) < 0 || listen(s, 16) < 0) {
		perror("socket");
		return 1;
	}
	find();
	if (create("/box/ready") < 0)
		return 1;
	struct timespec tick = { .tv_nsec = 10 * 1000 * 1000 };
	for (int i = 0; i < 3000 && access("/box/done", F_OK) != 0; i++)
		nanosleep(&tick, NULL);
	shmctl(id, IPC_RMID, NULL);
	unlink("/tmp/trace");
	unlink("/dev/shm/trace");
	return 0;
}
