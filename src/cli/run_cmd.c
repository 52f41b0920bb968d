/*
 * run_cmd.c — `bastion run`: runs a WASI command (`_start`) or calls one exported function
 * (--invoke NAME ARGS...) in a sandbox the options bound (fuel, wall-clock timeout, memory,
 * table, call-depth, stack and decoded-module limits, no floats, deterministic NaNs).
 *
 * Imports come from WASI (bastion_wasi.h) and env.clock_ms; arguments are parsed by the
 * function's parameter types and results printed so that floats round-trip.  On a trap it
 * prints the backtrace, the fuel and time used, and exits with 10 + the trap kind.  Uses only
 * the public APIs (bastion.h, bastion_wasi.h).
 */
#include "run_cmd.h"
#include "backtrace.h"
#include "bastion.h"
#include "bastion_wasi.h"
#include "trust.h"
#include "stats.h"
#include "profile.h"
#include "util.h"
#include "wasm_file.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char RUN_USAGE[] = "usage: bastion run [OPTIONS] FILE.wasm [ARGS...]\n"
                                "       bastion run [OPTIONS] FILE.wasm --invoke NAME [ARGS...]\n"
                                "\n" CLI_RUN_HELP;

/* ---- what the module exports, results ---------------------------------------------------- */

/* The exported functions, one per line, for errors that ask for --invoke NAME. */
static void print_exported_funcs(FILE *out, const bst_module *m) {
    uint32_t n = bst_module_export_count(m), funcs = 0;
    for (uint32_t i = 0; i < n; i++) {
        bst_export_desc d;
        memset(&d, 0, sizeof d);
        bst_module_export(m, i, &d);
        if (d.type.kind != BST_EXTERN_FUNC) continue;
        cli_print_export(out, &d);
        funcs++;
    }
    if (!funcs) fputs("  (no exported functions)\n", out);
}

/* Whether the module exports a function called name. */
static bool exports_func(const bst_module *m, const char *name) {
    size_t len = strlen(name);
    uint32_t n = bst_module_export_count(m);
    for (uint32_t i = 0; i < n; i++) {
        bst_export_desc d;
        memset(&d, 0, sizeof d);
        bst_module_export(m, i, &d);
        if (d.type.kind == BST_EXTERN_FUNC && d.name_len == len && memcmp(d.name, name, len) == 0)
            return true;
    }
    return false;
}

/* Whether the text in buf reads back (strtod / strtof) to exactly the float with these bits. */
static bool reads_back(const char *buf, uint64_t bits, bool is64) {
    if (is64) {
        double back = strtod(buf, NULL);
        uint64_t b;
        memcpy(&b, &back, sizeof b);
        return b == bits;
    }
    float back = strtof(buf, NULL);
    uint32_t b;
    memcpy(&b, &back, sizeof b);
    return b == (uint32_t)bits;
}

/* Prints the f32 (!is64) or f64 with these bits: inf, nan or nan:0xPAYLOAD with their sign,
 * else the shortest "%.Ng" that reads back to the same float: humane output that still
 * round-trips. */
static void print_float(uint64_t bits, bool is64) {
    const unsigned mant_bits = is64 ? 52 : 23;
    const uint64_t mant_mask = ((uint64_t)1 << mant_bits) - 1;
    const uint64_t exp_max = is64 ? 0x7ff : 0xff;
    const char *sign = (bits >> (is64 ? 63 : 31)) & 1 ? "-" : "";
    uint64_t payload = bits & mant_mask;
    if (((bits >> mant_bits) & exp_max) == exp_max) {
        if (payload == 0)
            printf("%sinf\n", sign);
        else if (payload == (uint64_t)1 << (mant_bits - 1))
            printf("%snan\n", sign); /* the canonical NaN */
        else
            printf("%snan:0x%" PRIx64 "\n", sign, payload);
        return;
    }
    double value;
    if (is64) {
        memcpy(&value, &bits, sizeof value);
    } else {
        uint32_t b = (uint32_t)bits;
        float f;
        memcpy(&f, &b, sizeof f);
        value = f;
    }
    char buf[48];
    const int max_prec = is64 ? 17 : 9;
    int prec = 1;
    for (; prec <= max_prec; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, value);
        if (reads_back(buf, bits, is64)) break;
    }
    /* a whole number prints all its digits (10, not the equally exact 1e+01) while they fit in
     * the type's precision */
    int int_digits = fabs(value) < 1e17 ? snprintf(NULL, 0, "%.0f", fabs(value)) : max_prec + 1;
    if (prec < int_digits && int_digits <= max_prec)
        snprintf(buf, sizeof buf, "%.*g", int_digits, value);
    printf("%s\n", buf);
}

static void print_value(const bst_value *v) {
    switch (v->type) {
    case BST_I32: printf("%" PRId32 "\n", v->of.i32); return;
    case BST_I64: printf("%" PRId64 "\n", v->of.i64); return;
    case BST_F32: print_float(v->of.f32, false); return;
    case BST_F64: print_float(v->of.f64, true); return;
    case BST_FUNCREF: puts(v->of.funcref ? "ref.func" : "ref.null"); return;
    case BST_EXTERNREF:
        /* Host references travel as N+1 so that 0 can be null (see parse_arg). */
        if (v->of.externref)
            printf("ref.extern %" PRIuPTR "\n", v->of.externref - 1);
        else
            puts("ref.null");
        return;
    case BST_V128: puts("v128"); return;
    }
    printf("<value of type 0x%x>\n", (unsigned)v->type);
}

/* ---- argument parsing -------------------------------------------------------------------- */

/* Parses an integer of `bits` (32 or 64) bits: decimal (signed, or unsigned up to 2^bits-1) or
 * 0x hex, with an optional minus sign.  Yields the two's-complement bit pattern. */
static bool parse_int(const char *s, unsigned bits, uint64_t *out) {
    const uint64_t umax = bits == 64 ? UINT64_MAX : UINT32_MAX;
    bool neg = false;
    if (*s == '-' || *s == '+') {
        neg = *s == '-';
        s++;
    }
    unsigned base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    if (!*s) return false;
    uint64_t v = 0;
    for (; *s; s++) {
        unsigned d;
        if (*s >= '0' && *s <= '9')
            d = (unsigned)(*s - '0');
        else if (base == 16 && *s >= 'a' && *s <= 'f')
            d = (unsigned)(*s - 'a' + 10);
        else if (base == 16 && *s >= 'A' && *s <= 'F')
            d = (unsigned)(*s - 'A' + 10);
        else if (*s == '_' && s[1] != '\0')
            continue; /* wat-style digit separators */
        else
            return false;
        if (v > (umax - d) / base) return false;
        v = v * base + d;
    }
    if (neg) {
        /* magnitude at most 2^(bits-1) */
        uint64_t lim = (uint64_t)1 << (bits - 1);
        if (v > lim) return false;
        v = (0 - v) & umax; /* unsigned negation: well defined */
    }
    *out = v;
    return true;
}

/* f32/f64 text: decimal or hex float, inf, nan, or nan:0xPAYLOAD (with optional sign).
 * *overflow tells a finite number beyond the type's range from other bad text. */
static bool parse_float(const char *s, bool is64, uint64_t *bits, bool *overflow) {
    *overflow = false;
    const char *p = s;
    bool neg = false;
    if (*p == '-' || *p == '+') {
        neg = *p == '-';
        p++;
    }
    if (strncmp(p, "nan:0x", 6) == 0 || strncmp(p, "nan:0X", 6) == 0) {
        uint64_t payload;
        unsigned mant = is64 ? 52 : 23;
        if (!parse_int(p + 4, 64, &payload) || payload == 0 || payload >> mant) return false;
        uint64_t exp = is64 ? (uint64_t)0x7ff << 52 : (uint64_t)0xff << 23;
        uint64_t sign = neg ? (uint64_t)1 << (is64 ? 63 : 31) : 0;
        *bits = sign | exp | payload;
        return true;
    }
    if (strcmp(p, "nan") == 0) {
        *bits = is64 ? 0x7ff8000000000000u : 0x7fc00000u;
        if (neg) *bits |= (uint64_t)1 << (is64 ? 63 : 31);
        return true;
    }
    char *end;
    if (!*s) return false;
    /* A finite number beyond the type's range would round to infinity (strtod's ERANGE):
     * refused, as a wat constant out of range is; only inf spelled out is infinity.  Numbers
     * too small round to zero or a subnormal, as in wat. */
    errno = 0;
    if (is64) {
        double d = strtod(s, &end);
        *overflow = !*end && isinf(d) && errno == ERANGE;
        if (*end || *overflow) return false;
        memcpy(bits, &d, sizeof d);
    } else {
        float f = strtof(s, &end);
        uint32_t b;
        *overflow = !*end && isinf(f) && errno == ERANGE;
        if (*end || *overflow) return false;
        memcpy(&b, &f, sizeof f);
        *bits = b;
    }
    return true;
}

/* *overflow: see parse_float. */
static bool parse_arg(const char *s, bst_valtype t, bst_value *out, bool *overflow) {
    uint64_t u;
    *overflow = false;
    memset(out, 0, sizeof *out);
    out->type = t;
    switch (t) {
    case BST_I32:
        if (!parse_int(s, 32, &u)) return false;
        /* two's complement by construction: go through the unsigned bit pattern */
        {
            uint32_t w = (uint32_t)u;
            memcpy(&out->of.i32, &w, sizeof w);
        }
        return true;
    case BST_I64:
        if (!parse_int(s, 64, &u)) return false;
        memcpy(&out->of.i64, &u, sizeof u);
        return true;
    case BST_F32:
        if (!parse_float(s, false, &u, overflow)) return false;
        out->of.f32 = (uint32_t)u;
        return true;
    case BST_F64:
        if (!parse_float(s, true, &u, overflow)) return false;
        out->of.f64 = u;
        return true;
    case BST_FUNCREF: return strcmp(s, "null") == 0 || strcmp(s, "ref.null") == 0;
    case BST_EXTERNREF:
        if (strcmp(s, "null") == 0 || strcmp(s, "ref.null") == 0) return true;
        if (!parse_int(s, 64, &u) || s[0] == '-' || u >= UINTPTR_MAX) return false;
        out->of.externref = (uintptr_t)u + 1;
        return true;
    case BST_V128: return false;
    }
    return false;
}

/* ---- options, traps, the timeout --------------------------------------------------------- */

/* Sandbox options of `bastion run`. */
typedef struct run_opts {
    bst_config config;
    bst_module_config module_config;
    bool has_fuel;
    uint64_t fuel;
    uint64_t timeout_ms; /* 0: none */
    /* WASI: room for argc entries each, allocated by cmd_run */
    bst_wasi_preopen *dirs; /* host_path points into a strdup'ed --dir value */
    size_t ndirs;
    const char **env;
    size_t nenv;
    cli_trust trust; /* --trusted-key, --signatures-required */
    cli_stats_opt stats;
    cli_profile_opts profile; /* --profile, --profile-interval */
    /* the module that runs, for the backtrace of a trap */
    const bst_module *module;
    const uint8_t *bytes;
    size_t nbytes;
} run_opts;

/* Exit status for a trap: 10 + the trap kind, so scripts can tell them apart (see --help). */
static int trap_exit_status(bst_trap_kind k) { return CLI_EXIT_TRAP_BASE + (int)k; }

/* --timeout-ms in nanoseconds, capped far beyond any run so deadlines cannot overflow. */
static uint64_t timeout_ns(uint64_t ms) {
    const uint64_t cap = UINT64_C(1) << 62; /* ~146 years */
    return ms > cap / 1000000u ? cap : ms * 1000000u;
}

/* Prints the trap, the wasm backtrace with function names, the fuel used and, with
 * --timeout-ms, the time used. */
static int report_trap(bst_store *s, const bst_error *err, const run_opts *o) {
    fprintf(stderr, "trap: %s\n", cli_err_text(err));
    cli_print_backtrace(stderr, s, o->module, o->bytes, o->nbytes);
    /* Without metering nothing is counted: no figure rather than a false 0. */
    if (o->module_config.fuel_metering && o->has_fuel)
        fprintf(stderr, "fuel used: %" PRIu64 " of %" PRIu64 "\n", o->fuel - bst_store_fuel(s),
                o->fuel);
    else if (o->module_config.fuel_metering)
        fprintf(stderr, "fuel used: %" PRIu64 "\n", CLI_FUEL_MAX - bst_store_fuel(s));
    uint64_t deadline = bst_store_deadline(s);
    if (o->timeout_ms && deadline) {
        /* measured from when the clock started (the deadline minus the timeout) to now */
        double used = (double)(bst_monotonic_ns() - (deadline - timeout_ns(o->timeout_ms))) / 1e6;
        fprintf(stderr, "time used: %.1f ms of %" PRIu64 " ms\n", used, o->timeout_ms);
    }
    return trap_exit_status(err->trap);
}

/* --timeout-ms: the store's deadline, which ends waits in host functions (blocked WASI reads,
 * poll_oneoff sleeps) and is checked by wasm code, plus a watchdog thread that interrupts the
 * store at the deadline, so that wasm code stops at its next loop head or call without waiting
 * for the engine's next clock read. */
typedef struct watchdog {
    bst_store *store;
    uint64_t deadline; /* CLOCK_MONOTONIC ns */
    pthread_mutex_t lock;
    pthread_cond_t done_cv; /* on CLOCK_MONOTONIC, like the deadline */
    bool done;
    pthread_t thread;
    bool started;
} watchdog;

static void *watchdog_main(void *arg) {
    watchdog *w = arg;
    struct timespec deadline;
    deadline.tv_sec = (time_t)(w->deadline / 1000000000u);
    deadline.tv_nsec = (long)(w->deadline % 1000000000u);
    pthread_mutex_lock(&w->lock);
    int rc = 0;
    while (!w->done && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&w->done_cv, &w->lock, &deadline);
    if (!w->done) bst_store_interrupt(w->store);
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

static void watchdog_start(watchdog *w, bst_store *s, uint64_t timeout_ms) {
    memset(w, 0, sizeof *w);
    if (!timeout_ms) return;
    w->store = s;
    w->deadline = bst_monotonic_ns() + timeout_ns(timeout_ms);
    bst_store_set_deadline(s, w->deadline);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->done_cv, &attr);
    pthread_condattr_destroy(&attr);
    /* without the thread the deadline still binds, only later for wasm code (the engine reads
     * the clock every 64th loop head or call) */
    w->started = pthread_create(&w->thread, NULL, watchdog_main, w) == 0;
    if (!w->started) {
        pthread_mutex_destroy(&w->lock);
        pthread_cond_destroy(&w->done_cv);
    }
}

static void watchdog_stop(watchdog *w) {
    if (!w->started) return;
    pthread_mutex_lock(&w->lock);
    w->done = true;
    pthread_cond_signal(&w->done_cv);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->done_cv);
}

/* The numeric options of `bastion run`, each with the range the engine really supports: a value
 * outside it is a usage error naming the range, never silently capped. */
typedef struct numeric_option {
    const char *name;
    uint64_t min, max;
} numeric_option;
enum {
    OPT_FUEL,
    OPT_TIMEOUT,
    OPT_MEMORY_PAGES,
    OPT_CALL_DEPTH,
    OPT_STACK_SLOTS,
    OPT_TABLE_ELEMS,
    OPT_DECODED_BYTES,
    OPT__COUNT
};
static const numeric_option NUMERIC_OPTIONS[OPT__COUNT] = {
    [OPT_FUEL] = {"--fuel", 0, INT64_MAX},
    [OPT_TIMEOUT] = {"--timeout-ms", 1, UINT64_MAX}, /* 0 would silently mean "none" */
    [OPT_MEMORY_PAGES] = {"--max-memory-pages", 1, 65536},
    [OPT_CALL_DEPTH] = {"--max-call-depth", 1, UINT32_MAX},
    [OPT_STACK_SLOTS] = {"--max-stack-slots", 1024, UINT32_MAX},
    [OPT_TABLE_ELEMS] = {"--max-table-elements", 0, UINT32_MAX},
    [OPT_DECODED_BYTES] = {"--max-decoded-bytes", 1, UINT64_MAX},
};

/* Parses one numeric option's value at argv[*i + 1] into its place in o; false (after a usage
 * message) when it is missing, not a number or out of range. */
static bool parse_numeric_option(int argc, char **argv, int *i, int k, run_opts *o) {
    const numeric_option *opt = &NUMERIC_OPTIONS[k];
    uint64_t v;
    if (*i + 1 >= argc || !parse_int(argv[*i + 1], 64, &v) || argv[*i + 1][0] == '-') {
        fprintf(stderr, "bastion run: %s needs a non-negative number\n", opt->name);
        return false;
    }
    if (v < opt->min || v > opt->max) {
        fprintf(stderr, "bastion run: %s must be between %" PRIu64 " and %" PRIu64 ", got %s\n",
                opt->name, opt->min, opt->max, argv[*i + 1]);
        return false;
    }
    switch (k) {
    case OPT_FUEL:
        o->has_fuel = true;
        o->fuel = v;
        break;
    case OPT_TIMEOUT: o->timeout_ms = v; break;
    case OPT_MEMORY_PAGES: o->config.max_memory_pages = (uint32_t)v; break;
    case OPT_CALL_DEPTH: o->config.max_call_depth = (uint32_t)v; break;
    case OPT_STACK_SLOTS: o->config.max_stack_slots = (uint32_t)v; break;
    case OPT_TABLE_ELEMS: o->config.max_table_elems = (uint32_t)v; break;
    case OPT_DECODED_BYTES: o->module_config.max_decoded_bytes = v; break;
    }
    (*i)++;
    return true;
}

/* Parses one sandbox option at argv[*i]; returns 1 if consumed, 0 if not an option of ours,
 * -1 on a bad value. */
static int parse_run_option(int argc, char **argv, int *i, run_opts *o) {
    const char *a = argv[*i];
    int trust = cli_trust_option(&o->trust, "run", argc, argv, i);
    if (trust) return trust;
    if (strcmp(a, "--dir") == 0 || strcmp(a, "--env") == 0) {
        if (*i + 1 >= argc || argv[*i + 1][0] == '\0') {
            fprintf(stderr, "bastion run: %s needs a value\n", a);
            return -1;
        }
        const char *v = argv[++*i];
        if (a[2] == 'e') {
            if (!strchr(v, '=') || v[0] == '=') {
                fprintf(stderr, "bastion run: --env wants KEY=VALUE, got \"%s\"\n", v);
                return -1;
            }
            o->env[o->nenv++] = v;
            return 1;
        }
        char *host = strdup(v);
        if (!host) {
            fprintf(stderr, "error: out of memory\n");
            return -1;
        }
        char *sep = strstr(host, "::");
        const char *guest = host;
        if (sep) {
            *sep = '\0';
            guest = sep + 2;
        }
        if (!host[0] || !guest[0]) {
            fprintf(stderr, "bastion run: --dir wants HOST or HOST::GUEST, got \"%s\"\n", v);
            free(host);
            return -1;
        }
        o->dirs[o->ndirs].host_path = host;
        o->dirs[o->ndirs].guest_path = guest;
        o->ndirs++;
        return 1;
    }
    if (strcmp(a, "--deterministic") == 0) {
        o->module_config.canonicalize_nans = true;
        return 1;
    }
    if (strcmp(a, "--no-floats") == 0) {
        o->module_config.reject_floats = true;
        return 1;
    }
    if (strcmp(a, "--no-metering") == 0) {
        o->module_config.fuel_metering = false;
        return 1;
    }
    int stats = cli_stats_option("run", a, &o->stats);
    if (stats) return stats;
    int profile = cli_profile_option("run", argc, argv, i, &o->profile);
    if (profile) return profile;
    for (int k = 0; k < OPT__COUNT; k++)
        if (strcmp(a, NUMERIC_OPTIONS[k].name) == 0)
            return parse_numeric_option(argc, argv, i, k, o) ? 1 : -1;
    return 0;
}

/* env.clock_ms() -> i64: milliseconds of a monotonic clock (the timer coremark-minimal uses). */
static bool host_clock_ms(bst_caller *c, const bst_value *args, bst_value *results, void *env) {
    (void)c;
    (void)args;
    (void)env;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    results[0].type = BST_I64;
    results[0].of.i64 = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    return true;
}

/* Imports the CLI provides besides WASI (see bst_wasi_resolver). */
static bool resolve_cli_import(void *env, bst_store *s, const bst_import_desc *d, bst_extern *out) {
    static const bst_valtype result_i64 = BST_I64;
    (void)env;
    const bst_functype *t = &d->type.func;
    if (d->module_len == 3 && memcmp(d->module, "env", 3) == 0 && d->name_len == 8 &&
        memcmp(d->name, "clock_ms", 8) == 0 && d->type.kind == BST_EXTERN_FUNC && t->nparams == 0 &&
        t->nresults == 1 && t->results[0] == BST_I64) {
        bst_functype ft = {0, 1, NULL, &result_i64};
        bst_func *f = bst_func_new_host(s, &ft, host_clock_ms, NULL);
        if (!f) return false;
        out->kind = BST_EXTERN_FUNC;
        out->of.func = f;
        return true;
    }
    return false;
}

/* ---- run --------------------------------------------------------------------------------- */

/* What the command line asks to run. */
typedef struct run_args {
    const char *file;
    const char *invoke; /* --invoke NAME; NULL runs the WASI command's _start */
    int first_arg;      /* argv index of the first argument: the function's, else the program's */
} run_args;

/* Result of parse_command_line when the command is to run (any other value is an exit status). */
#define RUN_GO (-1)

/* Parses OPTIONS FILE [ARGS...] (and the older `FILE [OPTIONS] --invoke NAME ...`) into o and a.
 * Returns RUN_GO, or the exit status after printing the help (0) or a usage error. */
static int parse_command_line(int argc, char **argv, run_opts *o, run_args *a) {
    bool invoke_later = false;
    bool file_next = false; /* after `--`: the next argument is FILE, whatever it looks like */
    a->file = a->invoke = NULL;
    a->first_arg = argc;
    for (int i = 0; i < argc; i++) {
        if (!file_next && strcmp(argv[i], "--invoke") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "bastion run: --invoke needs a function name\n");
                return CLI_EXIT_USAGE;
            }
            a->invoke = argv[i + 1];
            a->first_arg = i + 2; /* everything after NAME is a function argument */
            if (a->first_arg < argc && strcmp(argv[a->first_arg], "--") == 0)
                a->first_arg++; /* ... an optional `--` aside */
            break;
        }
        /* After FILE come the program's arguments (after an optional `--`), except in the
         * older form `run FILE [OPTIONS] --invoke NAME ...`, where options may still follow
         * FILE. */
        if (a->file && !invoke_later) {
            a->first_arg = strcmp(argv[i], "--") == 0 ? i + 1 : i;
            break;
        }
        if (!file_next && !a->file) {
            if (strcmp(argv[i], "--") == 0) {
                file_next = true;
                continue;
            }
            if (cli_is_help(argv[i])) {
                fputs(RUN_USAGE, stdout);
                return 0;
            }
        }
        if (!file_next) {
            int used = parse_run_option(argc, argv, &i, o);
            if (used < 0) return CLI_EXIT_USAGE;
            if (used) continue;
            if (argv[i][0] == '-' && argv[i][1] != '\0') {
                fprintf(stderr, "bastion run: unknown option %s (see bastion run --help)\n",
                        argv[i]);
                return CLI_EXIT_USAGE;
            }
        }
        if (a->file) {
            fprintf(stderr, "bastion run: unexpected argument %s\n", argv[i]);
            return CLI_EXIT_USAGE;
        }
        a->file = argv[i];
        file_next = false;
        /* the older form; a `--` hides any --invoke after it */
        for (int j = i + 1; j < argc && strcmp(argv[j], "--") != 0; j++)
            if (strcmp(argv[j], "--invoke") == 0) invoke_later = true;
    }
    if (!a->file) {
        fprintf(stderr, "bastion run: no FILE.wasm given\n"
                        "usage: bastion run [OPTIONS] FILE.wasm [ARGS...]\n"
                        "       bastion run [OPTIONS] FILE.wasm --invoke NAME [ARGS...]\n"
                        "(bastion run --help for the options)\n");
        return CLI_EXIT_USAGE;
    }
    if (o->has_fuel && !o->module_config.fuel_metering) {
        fprintf(stderr, "bastion run: --fuel needs metering; it cannot go with --no-metering\n");
        return CLI_EXIT_USAGE;
    }
    if (o->stats.on) {
        /* times and, where fuel is metered anyway, instructions: --no-metering stays so */
        o->config.time_calls = true;
        o->module_config.count_instructions = o->module_config.fuel_metering;
    }
    return RUN_GO;
}

/* The WASI context: the program's arguments (argv[0] = FILE, then nguest from args), --env,
 * --dir, host stdio.  *guest_argv (free it after the context) holds the argument vector.
 * Prints the error and returns NULL on failure. */
static bst_wasi *new_wasi(const run_opts *o, const char *file, char **args, size_t nguest,
                          const char ***guest_argv) {
    *guest_argv = calloc(nguest + 1, sizeof **guest_argv);
    if (!*guest_argv) {
        fprintf(stderr, "error: out of memory\n");
        return NULL;
    }
    (*guest_argv)[0] = file;
    for (size_t k = 0; k < nguest; k++) (*guest_argv)[k + 1] = args[k];
    bst_wasi_config wcfg;
    bst_wasi_config_default(&wcfg);
    wcfg.argc = nguest + 1;
    wcfg.argv = *guest_argv;
    wcfg.nenv = o->nenv;
    wcfg.env = o->env;
    wcfg.npreopens = o->ndirs;
    wcfg.preopens = o->dirs;
    char why[512];
    bst_wasi *wasi = bst_wasi_new(&wcfg, why, sizeof why);
    if (!wasi) fprintf(stderr, "error: %s\n", why);
    return wasi;
}

/* The exit status when instantiating or calling failed with status st: the program's own code
 * when the trap is proc_exit (codes above 255 exit 255), 10 + the trap kind after reporting
 * any other trap, 1 after printing any other error. */
static int failure_status(bst_wasi *wasi, bst_store *s, bst_status st, const bst_error *err,
                          const run_opts *o) {
    uint32_t exit_code;
    if (st == BST_ERR_TRAP && bst_wasi_exited(wasi, &exit_code))
        return exit_code > 255 ? 255 : (int)exit_code;
    if (st == BST_ERR_TRAP) return report_trap(s, err, o);
    fprintf(stderr, "error: %s: %s\n", bst_status_name(st), cli_err_text(err));
    return 1;
}

/* --invoke: calls the exported function a->invoke of inst with the arguments argv[0..nargs)
 * and prints its results.  Returns the exit status. */
static int invoke_export(bst_wasi *wasi, bst_store *s, const bst_module *m, bst_instance *inst,
                         const run_opts *o, const run_args *a, char **argv, size_t nargs) {
    bst_extern ext;
    if (!bst_instance_export(inst, a->invoke, strlen(a->invoke), &ext) ||
        ext.kind != BST_EXTERN_FUNC) {
        fprintf(stderr, "error: %s has no exported function \"%s\"; it exports:\n",
                cli_display_name(a->file), a->invoke);
        print_exported_funcs(stderr, m);
        return CLI_EXIT_USAGE;
    }
    const bst_functype *ft = bst_func_type(ext.of.func);
    if (nargs != ft->nparams) {
        fprintf(stderr, "error: %s takes %" PRIu32 " argument%s, got %zu; its type is ", a->invoke,
                ft->nparams, ft->nparams == 1 ? "" : "s", nargs);
        cli_print_functype(stderr, ft);
        fputc('\n', stderr);
        return CLI_EXIT_USAGE;
    }
    int rc = 1;
    bst_value *args = calloc(nargs ? nargs : 1, sizeof *args);
    bst_value *results = calloc(ft->nresults ? ft->nresults : 1, sizeof *results);
    if (!args || !results) {
        fprintf(stderr, "error: out of memory\n");
        goto out;
    }
    for (size_t i = 0; i < nargs; i++) {
        bool overflow;
        if (!parse_arg(argv[i], ft->params[i], &args[i], &overflow)) {
            fprintf(stderr, "error: argument %zu: \"%s\" is %s %s%s\n", i + 1, argv[i],
                    overflow ? "beyond the range of" : "not a valid",
                    bst_valtype_name(ft->params[i]), overflow ? " (write inf for infinity)" : "");
            rc = CLI_EXIT_USAGE;
            goto out;
        }
    }
    for (uint32_t i = 0; i < ft->nresults; i++) results[i].type = ft->results[i];
    bst_error err;
    memset(&err, 0, sizeof err);
    bst_status st = bst_call(ext.of.func, args, nargs, results, ft->nresults, &err);
    if (st != BST_OK) {
        rc = failure_status(wasi, s, st, &err, o);
        goto out;
    }
    for (uint32_t i = 0; i < ft->nresults; i++) print_value(&results[i]);
    rc = 0;
out:
    free(args);
    free(results);
    return rc;
}

int run_main(int argc, char **argv) {
    run_opts opts;
    memset(&opts, 0, sizeof opts);
    bst_config_default(&opts.config);
    bst_module_config_default(&opts.module_config);
    opts.dirs = calloc((size_t)argc + 1, sizeof *opts.dirs);
    opts.env = calloc((size_t)argc + 1, sizeof *opts.env);
    int rc = 1;
    bst_module *m = NULL;
    bst_store *s = NULL;
    bst_wasi *wasi = NULL;
    const char **guest_argv = NULL;
    uint8_t *bytes = NULL;
    cli_profile *profile = NULL;
    watchdog dog;
    memset(&dog, 0, sizeof dog);
    if (!opts.dirs || !opts.env) {
        fprintf(stderr, "error: out of memory\n");
        goto out;
    }
    run_args a;
    rc = parse_command_line(argc, argv, &opts, &a);
    if (rc != RUN_GO) goto out;
    if ((rc = cli_trust_load(&opts.trust, "run"))) goto out;

    rc = 1;
    /* profiling counts fuel: it meters the code even under --no-metering (with no budget) */
    if (opts.profile.file) opts.module_config.fuel_metering = true;
    m = cli_load_module(a.file, &opts.module_config, &opts.trust, &bytes, &opts.nbytes);
    if (!m) goto out;
    opts.module = m;
    opts.bytes = bytes;
    if (!a.invoke && !exports_func(m, "_start")) {
        /* Not a WASI command: say what could be called instead, before running anything. */
        fprintf(stderr,
                "error: %s exports no _start function (it is not a WASI command); "
                "call one of its exported functions with --invoke NAME [ARGS...]:\n",
                cli_display_name(a.file));
        print_exported_funcs(stderr, m);
        rc = CLI_EXIT_USAGE;
        goto out;
    }
    size_t nargs = (size_t)(argc - a.first_arg);
    wasi = new_wasi(&opts, a.file, argv + a.first_arg, a.invoke ? 0 : nargs, &guest_argv);
    if (!wasi) goto out;

    s = bst_store_new(&opts.config);
    if (!s) {
        fprintf(stderr, "error: out of memory\n");
        goto out;
    }
    if (opts.has_fuel) bst_store_set_fuel(s, opts.fuel);
    if (opts.profile.file) {
        if (!(profile = cli_profile_new(opts.profile.interval))) goto out;
        bst_sampler sampler = cli_profile_sampler(profile);
        bst_store_set_sampler(s, &sampler);
    }
    bst_error err;
    memset(&err, 0, sizeof err);
    bst_extern *imports = NULL;
    size_t nimports = 0;
    if (bst_wasi_link(wasi, s, m, resolve_cli_import, NULL, &imports, &nimports, &err) != BST_OK) {
        fprintf(stderr, "error: %s: %s\n", bst_status_name(err.status), cli_err_text(&err));
        goto out;
    }
    watchdog_start(&dog, s, opts.timeout_ms);
    bst_instance *inst = bst_instance_new(s, m, imports, nimports, NULL, &err);
    free(imports);
    if (!inst) {
        /* the start function may have run and called proc_exit */
        rc = failure_status(wasi, s, err.status, &err, &opts);
        goto out;
    }
    if (a.invoke) {
        rc = invoke_export(wasi, s, m, inst, &opts, &a, argv + a.first_arg, nargs);
    } else {
        int code;
        bst_status st = bst_wasi_run(wasi, inst, &code, &err);
        if (st == BST_OK)
            rc = code > 255 || code < 0 ? 255 : code; /* never let 256 read as success */
        else
            rc = failure_status(wasi, s, st, &err, &opts);
    }
    bst_call_stats stats;
    bool ran = bst_store_call_stats(s, &stats);
    if (!cli_stats_write(&opts.stats, a.invoke ? a.invoke : "_start", ran ? &stats : NULL) &&
        rc == 0)
        rc = 1;

out:
    watchdog_stop(&dog);
    if (profile && !cli_profile_write(profile, opts.profile.file, cli_display_name(a.file)) &&
        rc == 0)
        rc = 1;
    cli_profile_free(profile);
    if (s) bst_store_free(s);
    bst_wasi_free(wasi);       /* after the store: its host functions point at the context */
    if (m) bst_module_free(m); /* after the store: instances reference the module */
    free(bytes);
    free(guest_argv);
    if (opts.dirs)
        for (size_t k = 0; k < opts.ndirs; k++) free((char *)opts.dirs[k].host_path);
    free(opts.dirs);
    free(opts.env);
    return rc;
}
