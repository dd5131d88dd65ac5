/* "segv": writes through a null pointer; a number N: sends itself signal N. Exits 99 if still alive. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "segv") == 0) {
		volatile int *p = NULL;
		*p = 1;
	} else if (argc > 1) {
		kill(getpid(), atoi(argv[1]));
	}
	return 99;
}
