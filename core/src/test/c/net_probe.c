/* Prints the network namespace's cookie (SO_NETNS_COOKIE: unique per namespace, never reused,
 * unlike the inode of /proc/self/ns/net), then each interface as "NAME up|down"; with an
 * argument, sleeps that many milliseconds after printing (so runs can overlap). */
#define _GNU_SOURCE
#include <errno.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71
#endif

int main(int argc, char **argv)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0) {
		printf("socket: %s\n", strerrorname_np(errno));
		return 1;
	}
	uint64_t cookie = 0;
	socklen_t len = sizeof(cookie);
	if (getsockopt(s, SOL_SOCKET, SO_NETNS_COOKIE, &cookie, &len) < 0) {
		printf("cookie: %s\n", strerrorname_np(errno));
		return 1;
	}
	printf("cookie %llu\n", (unsigned long long)cookie);
	struct if_nameindex *ifs = if_nameindex();
	for (struct if_nameindex *i = ifs; i && i->if_index; i++) {
		struct ifreq r = { 0 };
		snprintf(r.ifr_name, sizeof(r.ifr_name), "%s", i->if_name);
		if (ioctl(s, SIOCGIFFLAGS, &r) < 0)
			return 1;
		printf("%s %s\n", i->if_name, (r.ifr_flags & IFF_UP) ? "up" : "down");
	}
	fflush(stdout);
	if (argc > 1) {
		long ms = atol(argv[1]);
		struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };
		nanosleep(&ts, NULL);
	}
	return 0;
}
