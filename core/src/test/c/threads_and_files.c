/* An ordinary program: four threads each write a file, the main thread joins them and reads
 * every file back, then a child process checks one too. Prints "ok" when all of it worked. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define THREADS 4

static void *writer(void *arg)
{
	long n = (long)arg;
	char name[32];
	snprintf(name, sizeof(name), "thread-%ld.txt", n);
	FILE *f = fopen(name, "w");
	if (!f)
		return (void *)1;
	fprintf(f, "written by thread %ld\n", n);
	return (void *)(long)(fclose(f) != 0);
}

static int check(long n)
{
	char name[32], line[64], want[64];
	snprintf(name, sizeof(name), "thread-%ld.txt", n);
	snprintf(want, sizeof(want), "written by thread %ld\n", n);
	FILE *f = fopen(name, "r");
	if (!f || !fgets(line, sizeof(line), f))
		return 1;
	fclose(f);
	return strcmp(line, want) != 0;
}

int main(void)
{
	pthread_t t[THREADS];
	for (long i = 0; i < THREADS; i++)
		if (pthread_create(&t[i], NULL, writer, (void *)i) != 0) {
			perror("pthread_create");
			return 1;
		}
	for (long i = 0; i < THREADS; i++) {
		void *rc;
		if (pthread_join(t[i], &rc) != 0 || rc != NULL || check(i)) {
			fprintf(stderr, "thread %ld failed\n", i);
			return 1;
		}
	}
	pid_t child = fork();
	if (child == 0)
		_exit(check(0));
	int status;
	if (child < 0 || waitpid(child, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "child failed\n");
		return 1;
	}
	puts("ok");
	return 0;
}
