/*
 * basic.c — WASI test program (clang --target=wasm32-wasi): arguments, environment, clocks,
 * sleeping through poll_oneoff, random_get, stdin/stdout, and the exit code.
 *
 *   basic.wasm [ARGS...]        prints argc/argv/environ and "clock/sleep/random ok" lines
 *   basic.wasm exit N           ... then exits with status N (proc_exit)
 *   basic.wasm cat              copies stdin to stdout
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "cat") == 0) {
        char buf[4096];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) fwrite(buf, 1, n, stdout);
        return ferror(stdin) ? 3 : 0;
    }
    printf("argc=%d\n", argc);
    for (int i = 1; i < argc; i++) printf("argv[%d]=%s\n", i, argv[i]);
    for (char **e = environ; e && *e; e++) printf("env %s\n", *e);

    struct timespec res, a, b, now;
    if (clock_getres(CLOCK_MONOTONIC, &res) != 0 || (res.tv_sec == 0 && res.tv_nsec == 0))
        return 90;
    if (clock_gettime(CLOCK_REALTIME, &now) != 0 || now.tv_sec < 1600000000) return 91;
    clock_gettime(CLOCK_MONOTONIC, &a);
    struct timespec d = {0, 20 * 1000 * 1000};
    if (nanosleep(&d, NULL) != 0) return 92;
    clock_gettime(CLOCK_MONOTONIC, &b);
    long long ns = (long long)(b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
    printf("clock ok\n");
    printf("sleep %s\n", ns >= 19000000LL ? "ok" : "too short");

    unsigned char r1[32], r2[32];
    if (getentropy(r1, sizeof r1) != 0 || getentropy(r2, sizeof r2) != 0) return 93;
    printf("random %s\n", memcmp(r1, r2, sizeof r1) != 0 ? "ok" : "repeats");

    if (argc == 3 && strcmp(argv[1], "exit") == 0) {
        fflush(stdout);
        exit(atoi(argv[2]));
    }
    return 0;
}
