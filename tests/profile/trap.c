/*
 * trap.c — a WASI program that traps where its comments say, for the backtrace tests
 * (tests/profile/profile.sh finds the lines by the TRAP and CALL markers).  Argument 1: an
 * unreachable (__builtin_trap); 2: a store outside the memory.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) static void store_at(volatile int *p, int v) {
    *p = v; /* TRAP: out of bounds store */
}

__attribute__((noinline)) static void fail(int how) {
    if (how == 1) __builtin_trap();                        /* TRAP: unreachable */
    store_at((volatile int *)(uintptr_t)0xfffffff0u, how); /* CALL: store_at */
}

int main(int argc, char **argv) {
    int how = argc > 1 ? atoi(argv[1]) : 1;
    printf("about to trap (%d)\n", how);
    fflush(stdout);
    fail(how); /* CALL: fail */
    return 0;
}
