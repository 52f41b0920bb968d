/*
 * replay.c — a main() for the fuzz targets without libFuzzer: feeds every file named on the
 * command line, or found in a directory named there, once to LLVMFuzzerTestOneInput.  Linked
 * with each tests/fuzz/fuzz_NAME.c into replay_NAME (tests/fuzz/fuzz.cmake) so that every build,
 * the sanitizer builds above all, replays the kept corpora tests/fuzz/corpus/NAME/ (CTest
 * fuzz/corpus_NAME).  A target reports a failed check by aborting, as under libFuzzer.
 *
 * Each input is copied into a buffer of exactly its size, as libFuzzer does, so that ASan sees
 * a read past its end.  Fails when it found no input at all: an empty corpus proves nothing.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Runs one file: 1, or 0 when it cannot be read. */
static int replay_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || st.st_size < 0) {
        fclose(f);
        return 0;
    }
    size_t size = (size_t)st.st_size;
    uint8_t *data = malloc(size ? size : 1);
    size_t got = data ? fread(data, 1, size, f) : 0;
    fclose(f);
    if (!data || got != size) {
        free(data);
        return 0;
    }
    LLVMFuzzerTestOneInput(data, size);
    free(data);
    return 1;
}

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every regular file of a directory, in name order (so a failure is reproducible).
 * Returns the number run, or -1 on an error. */
static long replay_dir(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return -1;
    char **names = NULL;
    size_t n = 0, cap = 0;
    long done = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.') continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **bigger = realloc(names, cap * sizeof *names);
            if (!bigger) {
                done = -1;
                break;
            }
            names = bigger;
        }
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        if (!(names[n] = malloc(len))) {
            done = -1;
            break;
        }
        snprintf(names[n++], len, "%s/%s", dir, e->d_name);
    }
    closedir(d);
    if (names) qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        if (done >= 0) {
            if (!replay_file(names[i])) {
                fprintf(stderr, "replay: cannot read %s\n", names[i]);
                done = -1;
            } else {
                done++;
            }
        }
        free(names[i]);
    }
    free(names);
    return done;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
        return 64;
    }
    long total = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        long n = -1;
        if (stat(argv[i], &st) == 0)
            n = S_ISDIR(st.st_mode) ? replay_dir(argv[i]) : replay_file(argv[i]);
        if (n < 0) {
            fprintf(stderr, "%s: cannot read %s\n", argv[0], argv[i]);
            return 1;
        }
        total += n;
    }
    printf("%s: %ld inputs replayed\n", argv[0], total);
    if (total == 0) {
        fprintf(stderr, "%s: no input found\n", argv[0]);
        return 1;
    }
    return 0;
}
