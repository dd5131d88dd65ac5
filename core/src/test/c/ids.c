/* Prints its real/effective/saved uid and gid and its supplementary groups. */
#define _GNU_SOURCE
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg;
	getresuid(&ru, &eu, &su);
	getresgid(&rg, &eg, &sg);
	gid_t groups[64];
	int n = getgroups(64, groups);
	printf("uid=%u,%u,%u gid=%u,%u,%u groups=", ru, eu, su, rg, eg, sg);
	for (int i = 0; i < n; i++)
		printf("%s%u", i ? "," : "", groups[i]);
	printf("\n");
	return 0;
}
