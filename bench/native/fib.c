/*
 * fib.c — native counterpart of ../shared/bench/fib32.wasm and fib64.wasm: the same doubly
 * recursive Fibonacci (n < 2 ? n : fib(n-2) + fib(n-1), unsigned comparison, wrapping
 * arithmetic), so that `bench/run` can compare Bastion with the compiler's own code.
 *
 *   fib [--64] N      prints fib(N)
 *
 * Built by bench/run with `gcc -O2`.  noinline keeps the function a real recursive call
 * (gcc may still turn one of the two calls into a loop, as it would for any C program).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((noinline)) static uint32_t fib32(uint32_t n) {
    if (n < 2) return n;
    return fib32(n - 2) + fib32(n - 1);
}

__attribute__((noinline)) static uint64_t fib64(uint64_t n) {
    if (n < 2) return n;
    return fib64(n - 2) + fib64(n - 1);
}

int main(int argc, char **argv) {
    int wide = argc == 3 && strcmp(argv[1], "--64") == 0;
    if (argc != 2 + wide) {
        fprintf(stderr, "usage: fib [--64] N\n");
        return 64;
    }
    const char *arg = argv[1 + wide];
    if (wide)
        printf("%" PRIu64 "\n", fib64(strtoull(arg, NULL, 10)));
    else
        printf("%" PRIu32 "\n", fib32((uint32_t)strtoul(arg, NULL, 10)));
    return 0;
}
