/*
 * profile.c — the guest profiler behind --profile FILE (run, contract call/query, runtime call):
 * the options, a sampler that folds each sample of the wasm call stack into a count per
 * distinct stack, and the output files FILE.folded and FILE.svg (flamegraph.c draws the SVG).
 *
 * The engine calls the sampler every N units of fuel (bst_store_set_sampler), so a profile
 * counts fuel, not time, and two runs of the same code give the same profile.  A stack is
 * folded root first into "a;b;c", the format flamegraph.pl, inferno and speedscope read; names
 * come from the module's name section, else func[N], made safe for that format and for XML:
 * ';' and blanks become '_', control characters and bytes that are not UTF-8 '?'.
 */
#include "profile.h"
#include "flamegraph.h"
#include "util.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Frames kept per sample, root first: deeper ones are folded into one frame saying so. */
#define MAX_KEPT_FRAMES 512
/* Key bytes kept over all distinct stacks; later new stacks are counted under one key. */
#define MAX_KEY_BYTES ((size_t)64 << 20)
#define DEEPER_FRAMES "[deeper frames]"
#define TOO_MANY "[more distinct stacks than the profiler keeps]"

typedef struct entry {
    char *key; /* NULL: free slot */
    uint64_t count, hash;
} entry;

struct cli_profile {
    uint64_t interval;
    entry *slots; /* open addressing, power-of-two size, at most half full */
    size_t nslots, nused, key_bytes;
    bst_frame_info *frames; /* room for bst_store_stack */
    size_t frames_cap;
    char *key; /* the key being built */
    size_t key_len, key_cap;
    bool failed; /* out of memory while sampling: reported when writing */
    uint64_t samples;
};

int cli_profile_option(const char *cmd, int argc, char **argv, int *i, cli_profile_opts *o) {
    const char *a = argv[*i];
    bool file = strcmp(a, "--profile") == 0;
    if (!file && strcmp(a, "--profile-interval") != 0) return 0;
    if (*i + 1 >= argc || argv[*i + 1][0] == '\0') {
        fprintf(stderr, "bastion %s: %s needs a value\n", cmd, a);
        return -1;
    }
    const char *v = argv[++*i];
    if (file) {
        o->file = v;
        return 1;
    }
    return cli_profile_interval(cmd, v, &o->interval) ? 1 : -1;
}

bool cli_profile_interval(const char *cmd, const char *v, uint64_t *out) {
    if (!cli_parse_u64(v, out) || *out < 1 || *out > (uint64_t)INT64_MAX) {
        fprintf(stderr,
                "bastion %s: --profile-interval must be between 1 and %" PRId64 ", got %s\n", cmd,
                INT64_MAX, v);
        return false;
    }
    return true;
}

cli_profile *cli_profile_new(uint64_t interval) {
    cli_profile *p = calloc(1, sizeof *p);
    if (p) {
        p->interval = interval ? interval : CLI_PROFILE_INTERVAL;
        p->nslots = 1024;
        p->slots = calloc(p->nslots, sizeof *p->slots);
        p->frames_cap = 64;
        p->frames = malloc(p->frames_cap * sizeof *p->frames);
    }
    if (!p || !p->slots || !p->frames) {
        cli_profile_free(p);
        fprintf(stderr, "error: out of memory\n");
        return NULL;
    }
    return p;
}

void cli_profile_free(cli_profile *p) {
    if (!p) return;
    for (size_t i = 0; i < p->nslots && p->slots; i++) free(p->slots[i].key);
    free(p->slots);
    free(p->frames);
    free(p->key);
    free(p);
}

/* ---- building a key ------------------------------------------------------------------------ */

static bool key_put(cli_profile *p, const char *s, size_t n) {
    if (p->key_len + n + 1 > p->key_cap) {
        size_t ncap = p->key_cap ? p->key_cap : 256;
        while (ncap < p->key_len + n + 1) ncap *= 2;
        char *k = realloc(p->key, ncap);
        if (!k) return false;
        p->key = k;
        p->key_cap = ncap;
    }
    memcpy(p->key + p->key_len, s, n);
    p->key_len += n;
    p->key[p->key_len] = '\0';
    return true;
}

/* Length of the UTF-8 sequence at s[0..n) that XML accepts, or 0. */
static size_t utf8_len(const unsigned char *s, size_t n) {
    unsigned char c = s[0];
    size_t len = c < 0xc2 ? 0 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : c < 0xf5 ? 4 : 0;
    if (!len || len > n) return 0;
    unsigned char lo = 0x80, hi = 0xbf; /* the second byte's range (no overlongs, surrogates) */
    if (c == 0xe0) lo = 0xa0;
    if (c == 0xed) hi = 0x9f;
    if (c == 0xf0) lo = 0x90;
    if (c == 0xf4) hi = 0x8f;
    if (s[1] < lo || s[1] > hi) return 0;
    for (size_t i = 2; i < len; i++)
        if (s[i] < 0x80 || s[i] > 0xbf) return 0;
    if (c == 0xef && s[1] == 0xbf && (s[2] == 0xbe || s[2] == 0xbf)) return 0; /* U+FFFE/F */
    return len;
}

/* Appends a frame's name, made safe for the folded format and for XML. */
static bool key_put_name(cli_profile *p, const bst_frame_info *f) {
    if (!f->func_name || !f->func_name[0]) {
        char buf[32];
        int n = snprintf(buf, sizeof buf, "func[%" PRIu32 "]", f->func_index);
        return key_put(p, buf, (size_t)n);
    }
    const unsigned char *s = (const unsigned char *)f->func_name;
    size_t n = strlen(f->func_name);
    for (size_t i = 0; i < n;) {
        size_t len = s[i] < 0x80 ? 1 : utf8_len(s + i, n - i);
        const char *out = (const char *)s + i;
        if (s[i] == ';' || s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
            out = "_";
        else if (s[i] < 0x20 || s[i] == 0x7f || len == 0)
            out = "?";
        if (!key_put(p, out, out == (const char *)s + i ? len : 1)) return false;
        i += len ? len : 1;
    }
    return true;
}

/* ---- counting ------------------------------------------------------------------------------ */

static uint64_t hash_key(const char *s, size_t n) {
    uint64_t h = 0xcbf29ce484222325u; /* FNV-1a */
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 0x100000001b3u;
    return h;
}

static bool table_grow(cli_profile *p) {
    size_t nslots = p->nslots * 2;
    entry *slots = calloc(nslots, sizeof *slots);
    if (!slots) return false;
    for (size_t i = 0; i < p->nslots; i++) {
        if (!p->slots[i].key) continue;
        size_t j = (size_t)p->slots[i].hash & (nslots - 1);
        while (slots[j].key) j = (j + 1) & (nslots - 1);
        slots[j] = p->slots[i];
    }
    free(p->slots);
    p->slots = slots;
    p->nslots = nslots;
    return true;
}

/* Adds one to the count of key[0..n). */
static bool count_key(cli_profile *p, const char *key, size_t n) {
    uint64_t h = hash_key(key, n);
    size_t j = (size_t)h & (p->nslots - 1);
    for (; p->slots[j].key; j = (j + 1) & (p->nslots - 1)) {
        if (p->slots[j].hash == h && strcmp(p->slots[j].key, key) == 0) {
            p->slots[j].count++;
            return true;
        }
    }
    if (p->key_bytes + n + 1 > MAX_KEY_BYTES && strcmp(key, TOO_MANY) != 0)
        return count_key(p, TOO_MANY, strlen(TOO_MANY));
    char *copy = malloc(n + 1);
    if (!copy) return false;
    memcpy(copy, key, n + 1);
    p->slots[j] = (entry){copy, 1, h};
    p->key_bytes += n + 1;
    if (++p->nused * 2 > p->nslots && !table_grow(p)) return false;
    return true;
}

/* The sampler: the stack now, root first, folded and counted. */
static void on_sample(void *env, bst_store *s) {
    cli_profile *p = env;
    if (p->failed) return;
    size_t n = bst_store_stack(s, p->frames, p->frames_cap);
    if (n > p->frames_cap) {
        bst_frame_info *f = realloc(p->frames, n * sizeof *f);
        if (!f) {
            p->failed = true;
            return;
        }
        p->frames = f;
        p->frames_cap = n;
        n = bst_store_stack(s, p->frames, p->frames_cap);
    }
    if (n == 0) return;
    p->key_len = 0;
    bool ok = true;
    size_t keep = n < MAX_KEPT_FRAMES ? n : MAX_KEPT_FRAMES;
    for (size_t i = 0; ok && i < keep; i++) {
        if (i) ok = key_put(p, ";", 1);
        ok = ok && key_put_name(p, &p->frames[n - 1 - i]);
    }
    if (ok && n > keep) ok = key_put(p, ";" DEEPER_FRAMES, strlen(";" DEEPER_FRAMES));
    if (!ok || !count_key(p, p->key, p->key_len)) p->failed = true;
    p->samples++;
}

bst_sampler cli_profile_sampler(cli_profile *p) {
    bst_sampler s = {p->interval, on_sample, p};
    return s;
}

/* ---- output -------------------------------------------------------------------------------- */

static int folded_cmp(const void *a, const void *b) {
    return strcmp(((const cli_folded *)a)->stack, ((const cli_folded *)b)->stack);
}

/* Opens BASE + ext for writing; NULL after an error message. */
static FILE *open_output(const char *base, const char *ext, char **path) {
    size_t n = strlen(base) + strlen(ext) + 1;
    *path = malloc(n);
    if (!*path) {
        fprintf(stderr, "error: out of memory\n");
        return NULL;
    }
    snprintf(*path, n, "%s%s", base, ext);
    FILE *f = fopen(*path, "w");
    if (!f) fprintf(stderr, "error: cannot write the profile %s: %s\n", *path, strerror(errno));
    return f;
}

/* Closes f, which wrote path; false after an error message when anything failed. */
static bool close_output(FILE *f, const char *path, bool ok) {
    ok = !ferror(f) && ok;
    if (fclose(f) != 0) ok = false;
    if (!ok) fprintf(stderr, "error: cannot write the profile %s\n", path);
    return ok;
}

bool cli_profile_write(const cli_profile *p, const char *base, const char *title) {
    if (p->failed) {
        fprintf(stderr, "error: out of memory while profiling: no profile written\n");
        return false;
    }
    cli_folded *stacks = malloc((p->nused ? p->nused : 1) * sizeof *stacks);
    if (!stacks) {
        fprintf(stderr, "error: out of memory\n");
        return false;
    }
    size_t n = 0;
    for (size_t i = 0; i < p->nslots; i++)
        if (p->slots[i].key) stacks[n++] = (cli_folded){p->slots[i].key, p->slots[i].count};
    qsort(stacks, n, sizeof *stacks, folded_cmp);

    bool ok = false;
    char *path = NULL;
    FILE *f = open_output(base, ".folded", &path);
    if (f) {
        for (size_t i = 0; i < n; i++)
            fprintf(f, "%s %" PRIu64 "\n", stacks[i].stack, stacks[i].count);
        ok = close_output(f, path, true);
    }
    free(path);
    path = NULL;
    if (ok && (f = open_output(base, ".svg", &path)) != NULL) {
        char head[512];
        snprintf(head, sizeof head, "%s: %" PRIu64 " samples, one every %" PRIu64 " fuel", title,
                 p->samples, p->interval);
        ok = close_output(f, path, cli_flamegraph_write(f, stacks, n, head));
    } else {
        ok = false;
    }
    free(path);
    free(stacks);
    return ok;
}
