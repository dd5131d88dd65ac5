#include <stdlib.h>
#include <string.h>
/* Touches argv[1] MiB, then exits 0. */
int main(int argc, char **argv) {
    long mib = argc > 1 ? atol(argv[1]) : 1;
    char *p = malloc(mib << 20);
    if (!p) return 3;
    memset(p, 1, mib << 20);
    return p[mib] == 1 ? 0 : 4;
}
