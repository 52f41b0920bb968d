/*
 * hot.c — a WASI program with distinct hot functions for the profiler tests
 * (tests/profile/profile.sh): crunch_primes takes most of the work, mix_hash less, fib
 * (recursive) and the qsort comparator by_value a little.  Built with clang -g, so the module
 * has a name section and DWARF.  Argument: a scale factor (default 1).
 */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) static unsigned long long crunch_primes(unsigned n) {
    unsigned long long count = 0;
    for (unsigned i = 2; i < n; i++) {
        int prime = 1;
        for (unsigned d = 2; d * d <= i; d++)
            if (i % d == 0) {
                prime = 0;
                break;
            }
        count += (unsigned)prime;
    }
    return count;
}

__attribute__((noinline)) static unsigned long long mix_hash(unsigned rounds) {
    unsigned long long h = 1469598103934665603ull;
    for (unsigned i = 0; i < rounds; i++) h = (h ^ i) * 1099511628211ull;
    return h;
}

__attribute__((noinline)) static unsigned fib(unsigned n) {
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static int by_value(const void *a, const void *b) {
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return x < y ? -1 : x > y;
}

__attribute__((noinline)) static unsigned sort_some(unsigned n) {
    unsigned *v = malloc(n * sizeof *v);
    if (!v) return 0;
    for (unsigned i = 0; i < n; i++) v[i] = (i * 2654435761u) >> 7;
    qsort(v, n, sizeof *v, by_value);
    unsigned mid = v[n / 2];
    free(v);
    return mid;
}

__attribute__((noinline)) static unsigned long long work(unsigned scale) {
    return crunch_primes(30000 * scale) + mix_hash(300000 * scale) + fib(18) + sort_some(200);
}

int main(int argc, char **argv) {
    unsigned scale = argc > 1 ? (unsigned)atoi(argv[1]) : 1;
    printf("%llu\n", work(scale));
    return 0;
}
