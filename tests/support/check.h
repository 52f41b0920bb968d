/*
 * check.h — the check macros every C test of Bastion uses.
 *
 * Checks count failures instead of stopping, so one run reports every broken expectation with
 * its file and line; check_finish() prints the totals and gives main()'s exit status.  REQUIRE
 * is the fatal form, for a broken test setup and for fuzz targets, where a failed property must
 * crash so that the fuzzer keeps the input.
 */
#ifndef BST_TEST_SUPPORT_CHECK_H
#define BST_TEST_SUPPORT_CHECK_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Test-program state (not library state): checks run and failed. */
static int check_count __attribute__((unused)), check_failures __attribute__((unused));

/* Records one failed check with a printf-style reason. */
__attribute__((format(printf, 3, 4), unused)) static void check_fail(const char *file, int line,
                                                                     const char *fmt, ...) {
    va_list ap;
    check_failures++;
    fprintf(stderr, "%s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        check_count++;                                                                             \
        if (!(cond)) check_fail(__FILE__, __LINE__, "check failed: %s", #cond);                    \
    } while (0)

/* CHECK with a printf-style reason instead of the expression's text. */
#define CHECK_MSG(cond, ...)                                                                       \
    do {                                                                                           \
        check_count++;                                                                             \
        if (!(cond)) check_fail(__FILE__, __LINE__, __VA_ARGS__);                                  \
    } while (0)

/* Integers compared as uint64_t, both printed on failure. */
#define CHECK_EQ(a, b)                                                                             \
    do {                                                                                           \
        uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);                                           \
        check_count++;                                                                             \
        if (a_ != b_)                                                                              \
            check_fail(__FILE__, __LINE__, "%s == %s failed: 0x%" PRIx64 " != 0x%" PRIx64, #a, #b, \
                       a_, b_);                                                                    \
    } while (0)

#define CHECK_STR(a, b)                                                                            \
    do {                                                                                           \
        const char *a_ = (a), *b_ = (b);                                                           \
        check_count++;                                                                             \
        if (!a_ || !b_ || strcmp(a_, b_) != 0)                                                     \
            check_fail(__FILE__, __LINE__, "%s == %s failed: \"%s\" != \"%s\"", #a, #b,            \
                       a_ ? a_ : "(null)", b_ ? b_ : "(null)");                                    \
    } while (0)

/* A failed REQUIRE ends the program at once (abort, so sanitizers and fuzzers see it). */
#define REQUIRE(cond)                                                                              \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: requirement failed: %s\n", __FILE__, __LINE__, #cond);         \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* Prints "NAME: all N checks passed" or "NAME: F of N checks failed"; main()'s exit status. */
__attribute__((unused)) static int check_finish(const char *name) {
    if (check_failures) {
        printf("%s: %d of %d checks failed\n", name, check_failures, check_count);
        return 1;
    }
    printf("%s: all %d checks passed\n", name, check_count);
    return 0;
}

#endif /* BST_TEST_SUPPORT_CHECK_H */
