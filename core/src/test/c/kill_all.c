/* kill(-1, SIGKILL): every process it may signal, except itself. Prints the outcome and survives. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
	if (kill(-1, SIGKILL) < 0)
		printf("kill: %s\n", strerrorname_np(errno));
	else
		printf("kill: sent\n");
	return 0;
}
