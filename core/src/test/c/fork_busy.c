/* Forks two children that burn CPU forever and waits for them. */
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	for (int i = 0; i < 2; i++) {
		pid_t pid = fork();
		if (pid < 0)
			return 1;
		if (pid == 0)
			for (volatile unsigned long n = 0;; n++)
				;
	}
	while (wait(NULL) > 0)
		;
	return 0;
}
