/*
 * main.c — the `bastion` command-line tool.
 *
 *   bastion run [OPTIONS] FILE.wasm [ARGS...]         run a WASI command (`_start`)
 *   bastion run [OPTIONS] FILE.wasm --invoke NAME [ARGS...]   instantiate and call NAME
 *   bastion inspect FILE.wasm                         list sections, imports and exports
 *   bastion spec [-v] FILE.json...                    run wast2json spec tests (see spec.c)
 *   bastion runtime version FILE                      a Substrate runtime's version (runtime_cmd.c)
 *   bastion help | --help,  bastion --version
 *
 * Exit status: a WASI command's own exit code (0 or its proc_exit code); otherwise 0 success; 1 error (unreadable file, module rejected, failed tests); 10 + the
 * trap kind when wasm code traps (11 unreachable ... 23 host trap, listed in --help); 64
 * command-line misuse (as EX_USAGE in sysexits.h).
 *
 * The CLI is an ordinary embedder: it uses only the public APIs in bastion.h and bastion_wasi.h.
 */
#include "bastion.h"
#include "bastion_wasi.h"
#include "runtime_cmd.h"
#include "chainspec_cmd.h"
#include "contract_cmd.h"
#include "spec.h"
#include "util.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXIT_TRAP_BASE 10   /* a trap exits with 10 + bst_trap_kind */
#define EXIT_USAGE 64

/* The `run` section of the help, shared by `bastion --help` and `bastion run --help`. */
#define RUN_HELP                                                                                   \
    "  run [OPTIONS] FILE.wasm [ARGS...]\n"                                                        \
    "        Run a WASI command: instantiate the module and call its `_start` with ARGS\n"        \
    "        as its arguments (argv[0] is FILE.wasm).  Exits with the program's exit code\n"      \
    "        (codes above 255 exit 255).  A module that exports no `_start` is refused\n"         \
    "        (exit 64) with a list of its exported functions, for --invoke.\n"                   \
    "        Imports from wasi_snapshot_preview1 / wasi_unstable are provided, and\n"             \
    "        env.clock_ms() -> i64 (monotonic milliseconds); nothing else.\n"                     \
    "        WASI options:\n"                                                                     \
    "          --dir HOST[::GUEST]   pre-open directory HOST, seen by the program as GUEST\n"     \
    "                                (default: the same path); nothing outside the\n"             \
    "                                pre-opened directories is reachable\n"                       \
    "          --env KEY=VALUE       add an environment variable (default: none)\n"               \
    "  run [OPTIONS] FILE.wasm --invoke NAME [ARGS...]\n"                                         \
    "        Instantiate the module (running its start function) and call the exported\n"        \
    "        function NAME.  Arguments follow its parameter types: i32/i64 as decimal or\n"       \
    "        0x hex, f32/f64 as decimal or hex floats (finite values beyond the type's\n"         \
    "        range are refused), inf, nan or nan:0xPAYLOAD.  Each result is printed on\n"         \
    "        its own line.  Imports are provided as above.\n"                                     \
    "        Both forms: FILE - reads the module from standard input; `--` before FILE\n"         \
    "        ends the options (for a FILE starting with -), right after FILE it passes\n"         \
    "        all that follows to the program as ARGS.  Modules must be binary: convert\n"         \
    "        text (.wat) with `wat2wasm FILE.wat -o FILE.wasm` (Debian package wabt).\n"          \
    "        Sandbox options (both forms; options go before FILE):\n"                             \
    "          --fuel N              fuel budget (1 per wasm instruction; bulk memory and\n"      \
    "                                table operations also 1 per 64 bytes), at most 2^63-1\n"     \
    "          --timeout-ms N        interrupt the code after N >= 1 ms of wall-clock time,\n"    \
    "                                also while it waits in a WASI call (exit 22)\n"             \
    "          --deterministic       canonicalise NaN results of float operations\n"              \
    "          --no-floats           reject modules that use floating point\n"                    \
    "          --no-metering         compile without fuel instructions (no --fuel)\n"             \
    "        Limits (a value outside the range shown is an error, never capped):\n"              \
    "          --max-memory-pages N  64-KiB pages per memory and in total over all\n"            \
    "                                memories (1..65536, default 65536)\n"                        \
    "          --max-table-elements N  elements per table and in total over all tables\n"        \
    "                                (0..4294967295, default 10000000)\n"                         \
    "          --max-call-depth N    nested wasm calls (1..4294967295, default 10000)\n"         \
    "          --max-stack-slots N   8-byte value-stack slots shared by all frames; each\n"       \
    "                                frame takes at least one, so this bounds the depth\n"        \
    "                                too (1024..4294967295, default 1048576)\n"                   \
    "          --max-decoded-bytes N host memory for the decoded module's entries, element\n"     \
    "                                items and names (1..2^64-1, default 134217728)\n"            \
    "        The stacks grow on demand: a large limit costs nothing until code uses it.\n"       \
    "        FILE itself may have at most 64 MiB.\n"                                             \
    "        On a trap it prints the trap, a backtrace with function names, the fuel\n"           \
    "        used (unless --no-metering; with --timeout-ms also the time used), and exits\n"     \
    "        with 10 + the trap kind:\n"                                                         \
    "          11 unreachable, 12 out of bounds memory access, 13 out of bounds table\n"          \
    "          access, 14 integer divide by zero, 15 integer overflow, 16 invalid\n"              \
    "          conversion to integer, 17 indirect call type mismatch, 18 uninitialized\n"        \
    "          element, 19 undefined element, 20 call stack exhausted, 21 out of fuel,\n"         \
    "          22 interrupted (timeout), 23 host trap.\n"

static const char RUN_USAGE[] =
    "usage: bastion run [OPTIONS] FILE.wasm [ARGS...]\n"
    "       bastion run [OPTIONS] FILE.wasm --invoke NAME [ARGS...]\n"
    "\n" RUN_HELP;

static const char INSPECT_USAGE[] =
    "usage: bastion inspect FILE.wasm\n"
    "        Print the module's sections, imports and exports with their types\n"
    "        (FILE - reads standard input).\n";

static const char USAGE[] =
    "usage: bastion COMMAND [ARGS]\n"
    "\n"
    "Bastion " BST_VERSION " - a hardened WebAssembly host.\n"
    "\n"
    "commands:\n"
    RUN_HELP
    "  inspect FILE.wasm\n"
    "        Print the module's sections, imports and exports with their types\n"
    "        (FILE - reads standard input).\n"
    "  runtime version|metadata [OPTIONS] FILE\n"
    "  runtime call [OPTIONS] FILE METHOD [HEX]\n"
    "        Load a Substrate runtime (FILE.wasm, optionally zstd-compressed, or a raw\n"
    "        chain spec whose genesis :code holds it) with every ext_* host function,\n"
    "        and print its RuntimeVersion (Core_version), its metadata version and\n"
    "        pallets (Metadata_metadata), or the hex result of any runtime API call.\n"
    "        Options: --allow-missing, --offchain, --heap-pages N, --fuel N,\n"
    "        --log-level N; `bastion runtime --help` for details.\n"
    "  chainspec genesis [--state-version 0|1] FILE.json\n"
    "        Compute the genesis block of a raw chain spec: print its state version\n"
    "        (from the genesis runtime's Core_version unless given), state root and\n"
    "        genesis hash.  `bastion chainspec --help` for details.\n"
    "  contract upload|instantiate|call|query ...\n"
    "        Smart contracts (ink!, pallet-contracts ABI) with LMDB state: upload code,\n"
    "        instantiate it, call or dry-run-query a contract; --metadata FILE.json\n"
    "        encodes arguments and decodes results and events.  Exit status 0 success,\n"
    "        1 error/trap/out of gas, 2 reverted, 64 misuse.  `bastion contract --help`.\n"
    "  spec [-v] FILE.json...\n"
    "        Run spec tests converted by `wast2json`; -v also explains expected failures.\n"
    "  help, --help       Show this text; COMMAND --help shows a command's own.\n"
    "  --version          Show the version.\n";

/* ---- formatting -------------------------------------------------------------------------- */

static const char *valtype_name(bst_valtype t)
{
    switch (t) {
    case BST_I32: return "i32";
    case BST_I64: return "i64";
    case BST_F32: return "f32";
    case BST_F64: return "f64";
    case BST_V128: return "v128";
    case BST_FUNCREF: return "funcref";
    case BST_EXTERNREF: return "externref";
    }
    return "?";
}

/* Prints a name that may hold arbitrary bytes, quoted, with control bytes escaped. */
static void print_name(FILE *out, const char *s, size_t len)
{
    fputc('"', out);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f || c == '"' || c == '\\')
            fprintf(out, "\\%02x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}

static void print_functype(FILE *out, const bst_functype *ft)
{
    fputc('(', out);
    for (uint32_t i = 0; i < ft->nparams; i++)
        fprintf(out, "%s%s", i ? ", " : "", valtype_name(ft->params[i]));
    fputs(") -> (", out);
    for (uint32_t i = 0; i < ft->nresults; i++)
        fprintf(out, "%s%s", i ? ", " : "", valtype_name(ft->results[i]));
    fputc(')', out);
}

static void print_limits(FILE *out, bst_limits l)
{
    if (l.has_max)
        fprintf(out, "{min %" PRIu32 ", max %" PRIu32 "}", l.min, l.max);
    else
        fprintf(out, "{min %" PRIu32 "}", l.min);
}

static void print_externtype(FILE *out, const bst_externtype *t)
{
    switch (t->kind) {
    case BST_EXTERN_FUNC:
        print_functype(out, &t->func);
        return;
    case BST_EXTERN_TABLE:
        fprintf(out, "%s ", valtype_name(t->elem));
        print_limits(out, t->limits);
        return;
    case BST_EXTERN_MEMORY:
        print_limits(out, t->limits);
        return;
    case BST_EXTERN_GLOBAL:
        fprintf(out, "%s%s", t->global_mutable ? "mut " : "", valtype_name(t->global));
        return;
    }
}

static const char *extern_kind_name(bst_extern_kind k)
{
    switch (k) {
    case BST_EXTERN_FUNC: return "func";
    case BST_EXTERN_TABLE: return "table";
    case BST_EXTERN_MEMORY: return "memory";
    case BST_EXTERN_GLOBAL: return "global";
    }
    return "?";
}

/* One export as `inspect` lists it: kind, quoted name, type. */
static void print_export(FILE *out, const bst_export_desc *d)
{
    fprintf(out, "  %-6s ", extern_kind_name(d->type.kind));
    print_name(out, d->name, d->name_len);
    fputc(' ', out);
    print_externtype(out, &d->type);
    fputc('\n', out);
}

/* The exported functions, one per line, for errors that ask for --invoke NAME. */
static void print_exported_funcs(FILE *out, const bst_module *m)
{
    uint32_t n = bst_module_export_count(m), funcs = 0;
    for (uint32_t i = 0; i < n; i++) {
        bst_export_desc d;
        memset(&d, 0, sizeof d);
        bst_module_export(m, i, &d);
        if (d.type.kind != BST_EXTERN_FUNC)
            continue;
        print_export(out, &d);
        funcs++;
    }
    if (!funcs)
        fputs("  (no exported functions)\n", out);
}

/* Whether the module exports a function called name. */
static bool exports_func(const bst_module *m, const char *name)
{
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

/* Shortest "%.Ng" that reads back to the same float: humane output that still round-trips. */
static void print_f32(uint32_t bits)
{
    float f;
    memcpy(&f, &bits, sizeof f);
    const char *sign = (bits >> 31) ? "-" : "";
    if (isnan(f)) {
        uint32_t payload = bits & 0x7fffffu;
        if (payload == 0x400000u)
            printf("%snan\n", sign);
        else
            printf("%snan:0x%" PRIx32 "\n", sign, payload);
        return;
    }
    if (isinf(f)) {
        printf("%sinf\n", sign);
        return;
    }
    char buf[48];
    for (int prec = 1; prec <= 9; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, (double)f);
        float back = strtof(buf, NULL);
        if (memcmp(&back, &f, sizeof f) == 0)
            break;
    }
    printf("%s\n", buf);
}

static void print_f64(uint64_t bits)
{
    double d;
    memcpy(&d, &bits, sizeof d);
    const char *sign = (bits >> 63) ? "-" : "";
    if (isnan(d)) {
        uint64_t payload = bits & 0xfffffffffffffu;
        if (payload == 0x8000000000000u)
            printf("%snan\n", sign);
        else
            printf("%snan:0x%" PRIx64 "\n", sign, payload);
        return;
    }
    if (isinf(d)) {
        printf("%sinf\n", sign);
        return;
    }
    char buf[48];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, d);
        double back = strtod(buf, NULL);
        if (memcmp(&back, &d, sizeof d) == 0)
            break;
    }
    printf("%s\n", buf);
}

static void print_value(const bst_value *v)
{
    switch (v->type) {
    case BST_I32: printf("%" PRId32 "\n", v->of.i32); return;
    case BST_I64: printf("%" PRId64 "\n", v->of.i64); return;
    case BST_F32: print_f32(v->of.f32); return;
    case BST_F64: print_f64(v->of.f64); return;
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
static bool parse_int(const char *s, unsigned bits, uint64_t *out)
{
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
    if (!*s)
        return false;
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
            continue;   /* wat-style digit separators */
        else
            return false;
        if (v > (umax - d) / base)
            return false;
        v = v * base + d;
    }
    if (neg) {
        /* magnitude at most 2^(bits-1) */
        uint64_t lim = (uint64_t)1 << (bits - 1);
        if (v > lim)
            return false;
        v = (0 - v) & umax;   /* unsigned negation: well defined */
    }
    *out = v;
    return true;
}

/* f32/f64 text: decimal or hex float, inf, nan, or nan:0xPAYLOAD (with optional sign).
 * *overflow tells a finite number beyond the type's range from other bad text. */
static bool parse_float(const char *s, bool is64, uint64_t *bits, bool *overflow)
{
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
        if (!parse_int(p + 4, 64, &payload) || payload == 0 || payload >> mant)
            return false;
        uint64_t exp = is64 ? (uint64_t)0x7ff << 52 : (uint64_t)0xff << 23;
        uint64_t sign = neg ? (uint64_t)1 << (is64 ? 63 : 31) : 0;
        *bits = sign | exp | payload;
        return true;
    }
    if (strcmp(p, "nan") == 0) {
        *bits = is64 ? 0x7ff8000000000000u : 0x7fc00000u;
        if (neg)
            *bits |= (uint64_t)1 << (is64 ? 63 : 31);
        return true;
    }
    char *end;
    if (!*s)
        return false;
    /* A finite number beyond the type's range would round to infinity (strtod's ERANGE):
     * refused, as a wat constant out of range is; only inf spelled out is infinity.  Numbers
     * too small round to zero or a subnormal, as in wat. */
    errno = 0;
    if (is64) {
        double d = strtod(s, &end);
        *overflow = !*end && isinf(d) && errno == ERANGE;
        if (*end || *overflow)
            return false;
        memcpy(bits, &d, sizeof d);
    } else {
        float f = strtof(s, &end);
        uint32_t b;
        *overflow = !*end && isinf(f) && errno == ERANGE;
        if (*end || *overflow)
            return false;
        memcpy(&b, &f, sizeof f);
        *bits = b;
    }
    return true;
}

/* *overflow: see parse_float. */
static bool parse_arg(const char *s, bst_valtype t, bst_value *out, bool *overflow)
{
    uint64_t u;
    *overflow = false;
    memset(out, 0, sizeof *out);
    out->type = t;
    switch (t) {
    case BST_I32:
        if (!parse_int(s, 32, &u))
            return false;
        /* two's complement by construction: go through the unsigned bit pattern */
        {
            uint32_t w = (uint32_t)u;
            memcpy(&out->of.i32, &w, sizeof w);
        }
        return true;
    case BST_I64:
        if (!parse_int(s, 64, &u))
            return false;
        memcpy(&out->of.i64, &u, sizeof u);
        return true;
    case BST_F32:
        if (!parse_float(s, false, &u, overflow))
            return false;
        out->of.f32 = (uint32_t)u;
        return true;
    case BST_F64:
        if (!parse_float(s, true, &u, overflow))
            return false;
        out->of.f64 = u;
        return true;
    case BST_FUNCREF:
        return strcmp(s, "null") == 0 || strcmp(s, "ref.null") == 0;
    case BST_EXTERNREF:
        if (strcmp(s, "null") == 0 || strcmp(s, "ref.null") == 0)
            return true;
        if (!parse_int(s, 64, &u) || s[0] == '-' || u >= UINTPTR_MAX)
            return false;
        out->of.externref = (uintptr_t)u + 1;
        return true;
    case BST_V128:
        return false;
    }
    return false;
}

/* ---- shared helpers ---------------------------------------------------------------------- */

/* How messages name a module file: "-" is standard input. */
static const char *display_name(const char *path)
{
    return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

/* Reads and compiles a module; path "-" reads standard input. */
static bst_module *load(const char *path, const bst_module_config *cfg, uint8_t **bytes_out,
                        size_t *len_out)
{
    char why[512];
    uint8_t *bytes;
    size_t len;
    bst_module_config defaults;
    if (!cfg) {
        bst_module_config_default(&defaults);
        cfg = &defaults;
    }
    /* never read more of the file than a module may have */
    if (!cli_read_file(strcmp(path, "-") == 0 ? "/dev/stdin" : path, cfg->max_module_bytes,
                       &bytes, &len, why, sizeof why)) {
        fprintf(stderr, "error: %s\n", why);
        return NULL;
    }
    if (cli_is_wat(bytes, len)) {
        cli_wat_error(why, sizeof why, path);
        fprintf(stderr, "error: %s\n", why);
        free(bytes);
        return NULL;
    }
    bst_error err;
    memset(&err, 0, sizeof err);
    bst_module *m = bst_module_new_ex(bytes, len, cfg, &err);
    if (!m) {
        fprintf(stderr, "error: %s at offset %zu: %s\n", bst_status_name(err.status),
                err.offset, err.message);
        free(bytes);
        return NULL;
    }
    if (bytes_out) {
        *bytes_out = bytes;
        *len_out = len;
    } else {
        free(bytes);
    }
    return m;
}

static const char *error_text(const bst_error *err)
{
    if (err->message[0])
        return err->message;
    if (err->status == BST_ERR_TRAP)
        return bst_trap_message(err->trap);
    return bst_status_name(err->status);
}

/* ---- run --------------------------------------------------------------------------------- */

/* Sandbox options of `bastion run`. */
typedef struct run_opts {
    bst_config config;
    bst_module_config module_config;
    bool has_fuel;
    uint64_t fuel;
    uint64_t timeout_ms;     /* 0: none */
    /* WASI: room for argc entries each, allocated by cmd_run */
    bst_wasi_preopen *dirs;  /* host_path points into a strdup'ed --dir value */
    size_t ndirs;
    const char **env;
    size_t nenv;
} run_opts;

/* Exit status for a trap: 10 + the trap kind, so scripts can tell them apart (see --help). */
static int trap_exit_status(bst_trap_kind k) { return EXIT_TRAP_BASE + (int)k; }

/* --timeout-ms in nanoseconds, capped far beyond any run so deadlines cannot overflow. */
static uint64_t timeout_ns(uint64_t ms)
{
    const uint64_t cap = UINT64_C(1) << 62;   /* ~146 years */
    return ms > cap / 1000000u ? cap : ms * 1000000u;
}

/* Prints the trap, the wasm backtrace with function names, the fuel used and, with
 * --timeout-ms, the time used. */
static int report_trap(bst_store *s, const bst_error *err, const run_opts *o)
{
    fprintf(stderr, "trap: %s\n", error_text(err));
    bst_frame_info frames[BST_MAX_BACKTRACE];
    size_t n = bst_store_backtrace(s, frames, BST_MAX_BACKTRACE);
    for (size_t i = 0; i < n; i++) {
        fprintf(stderr, "  #%zu func[%" PRIu32 "]", i, frames[i].func_index);
        if (frames[i].func_name)
            fprintf(stderr, " %s", frames[i].func_name);
        fputc('\n', stderr);
    }
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
    uint64_t deadline;       /* CLOCK_MONOTONIC ns */
    pthread_mutex_t lock;
    pthread_cond_t done_cv;  /* on CLOCK_MONOTONIC, like the deadline */
    bool done;
    pthread_t thread;
    bool started;
} watchdog;

static void *watchdog_main(void *arg)
{
    watchdog *w = arg;
    struct timespec deadline;
    deadline.tv_sec = (time_t)(w->deadline / 1000000000u);
    deadline.tv_nsec = (long)(w->deadline % 1000000000u);
    pthread_mutex_lock(&w->lock);
    int rc = 0;
    while (!w->done && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&w->done_cv, &w->lock, &deadline);
    if (!w->done)
        bst_store_interrupt(w->store);
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

static void watchdog_start(watchdog *w, bst_store *s, uint64_t timeout_ms)
{
    memset(w, 0, sizeof *w);
    if (!timeout_ms)
        return;
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

static void watchdog_stop(watchdog *w)
{
    if (!w->started)
        return;
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
enum { OPT_FUEL, OPT_TIMEOUT, OPT_MEMORY_PAGES, OPT_CALL_DEPTH, OPT_STACK_SLOTS, OPT_TABLE_ELEMS,
       OPT_DECODED_BYTES, OPT__COUNT };
static const numeric_option NUMERIC_OPTIONS[OPT__COUNT] = {
    [OPT_FUEL] = {"--fuel", 0, INT64_MAX},
    [OPT_TIMEOUT] = {"--timeout-ms", 1, UINT64_MAX},   /* 0 would silently mean "none" */
    [OPT_MEMORY_PAGES] = {"--max-memory-pages", 1, 65536},
    [OPT_CALL_DEPTH] = {"--max-call-depth", 1, UINT32_MAX},
    [OPT_STACK_SLOTS] = {"--max-stack-slots", 1024, UINT32_MAX},
    [OPT_TABLE_ELEMS] = {"--max-table-elements", 0, UINT32_MAX},
    [OPT_DECODED_BYTES] = {"--max-decoded-bytes", 1, UINT64_MAX},
};

/* Parses one numeric option's value at argv[*i + 1] into its place in o; false (after a usage
 * message) when it is missing, not a number or out of range. */
static bool parse_numeric_option(int argc, char **argv, int *i, int k, run_opts *o)
{
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
    case OPT_FUEL: o->has_fuel = true; o->fuel = v; break;
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
static int parse_run_option(int argc, char **argv, int *i, run_opts *o)
{
    const char *a = argv[*i];
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
    for (int k = 0; k < OPT__COUNT; k++)
        if (strcmp(a, NUMERIC_OPTIONS[k].name) == 0)
            return parse_numeric_option(argc, argv, i, k, o) ? 1 : -1;
    return 0;
}

/* env.clock_ms() -> i64: milliseconds of a monotonic clock (the timer coremark-minimal uses). */
static bool host_clock_ms(bst_caller *c, const bst_value *args, bst_value *results, void *env)
{
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
static bool resolve_cli_import(void *env, bst_store *s, const bst_import_desc *d, bst_extern *out)
{
    static const bst_valtype result_i64 = BST_I64;
    (void)env;
    const bst_functype *t = &d->type.func;
    if (d->module_len == 3 && memcmp(d->module, "env", 3) == 0 && d->name_len == 8 &&
        memcmp(d->name, "clock_ms", 8) == 0 && d->type.kind == BST_EXTERN_FUNC &&
        t->nparams == 0 && t->nresults == 1 && t->results[0] == BST_I64) {
        bst_functype ft = {0, 1, NULL, &result_i64};
        bst_func *f = bst_func_new_host(s, &ft, host_clock_ms, NULL);
        if (!f)
            return false;
        out->kind = BST_EXTERN_FUNC;
        out->of.func = f;
        return true;
    }
    return false;
}

static int cmd_run(int argc, char **argv)
{
    const char *file = NULL, *invoke = NULL;
    int first_arg = argc;    /* --invoke: the function's arguments; else the program's */
    bool invoke_later = false;
    run_opts opts;
    memset(&opts, 0, sizeof opts);
    bst_config_default(&opts.config);
    bst_module_config_default(&opts.module_config);
    opts.dirs = calloc((size_t)argc + 1, sizeof *opts.dirs);
    opts.env = calloc((size_t)argc + 1, sizeof *opts.env);
    int rc = EXIT_USAGE;
    bst_module *m = NULL;
    bst_store *s = NULL;
    bst_wasi *wasi = NULL;
    const char **guest_argv = NULL;
    bst_value *args = NULL, *results = NULL;
    watchdog dog;
    memset(&dog, 0, sizeof dog);
    if (!opts.dirs || !opts.env) {
        fprintf(stderr, "error: out of memory\n");
        rc = 1;
        goto out;
    }
    bool file_next = false;   /* after `--`: the next argument is FILE, whatever it looks like */
    for (int i = 0; i < argc; i++) {
        if (!file_next && strcmp(argv[i], "--invoke") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "bastion run: --invoke needs a function name\n");
                goto out;
            }
            invoke = argv[i + 1];
            first_arg = i + 2;   /* everything after NAME is a function argument */
            if (first_arg < argc && strcmp(argv[first_arg], "--") == 0)
                first_arg++;     /* ... an optional `--` aside */
            break;
        }
        /* After FILE come the program's arguments (after an optional `--`), except in the
         * older form `run FILE [OPTIONS] --invoke NAME ...`, where options may still follow
         * FILE. */
        if (file && !invoke_later) {
            first_arg = strcmp(argv[i], "--") == 0 ? i + 1 : i;
            break;
        }
        if (!file_next && !file) {
            if (strcmp(argv[i], "--") == 0) {
                file_next = true;
                continue;
            }
            if (cli_is_help(argv[i])) {
                fputs(RUN_USAGE, stdout);
                rc = 0;
                goto out;
            }
        }
        if (!file_next) {
            int used = parse_run_option(argc, argv, &i, &opts);
            if (used < 0)
                goto out;
            if (used)
                continue;
            if (argv[i][0] == '-' && argv[i][1] != '\0') {
                fprintf(stderr, "bastion run: unknown option %s (see bastion run --help)\n",
                        argv[i]);
                goto out;
            }
        }
        if (file) {
            fprintf(stderr, "bastion run: unexpected argument %s\n", argv[i]);
            goto out;
        }
        file = argv[i];
        file_next = false;
        /* the older form; a `--` hides any --invoke after it */
        for (int j = i + 1; j < argc && strcmp(argv[j], "--") != 0; j++)
            if (strcmp(argv[j], "--invoke") == 0)
                invoke_later = true;
    }
    if (!file) {
        fprintf(stderr, "bastion run: no FILE.wasm given\n"
                        "usage: bastion run [OPTIONS] FILE.wasm [ARGS...]\n"
                        "       bastion run [OPTIONS] FILE.wasm --invoke NAME [ARGS...]\n"
                        "(bastion run --help for the options)\n");
        goto out;
    }
    if (opts.has_fuel && !opts.module_config.fuel_metering) {
        fprintf(stderr, "bastion run: --fuel needs metering; it cannot go with --no-metering\n");
        goto out;
    }

    rc = 1;
    m = load(file, &opts.module_config, NULL, NULL);
    if (!m)
        goto out;
    if (!invoke && !exports_func(m, "_start")) {
        /* Not a WASI command: say what could be called instead, before running anything. */
        fprintf(stderr, "error: %s exports no _start function (it is not a WASI command); "
                        "call one of its exported functions with --invoke NAME [ARGS...]:\n",
                display_name(file));
        print_exported_funcs(stderr, m);
        rc = EXIT_USAGE;
        goto out;
    }

    /* The WASI context: the program's arguments (argv[0] = FILE), --env, --dir, host stdio. */
    size_t nguest = invoke ? 0 : (size_t)(argc - first_arg);
    guest_argv = calloc(nguest + 1, sizeof *guest_argv);
    if (!guest_argv) {
        fprintf(stderr, "error: out of memory\n");
        goto out;
    }
    guest_argv[0] = file;
    for (size_t k = 0; k < nguest; k++)
        guest_argv[k + 1] = argv[first_arg + (int)k];
    bst_wasi_config wcfg;
    bst_wasi_config_default(&wcfg);
    wcfg.argc = nguest + 1;
    wcfg.argv = guest_argv;
    wcfg.nenv = opts.nenv;
    wcfg.env = opts.env;
    wcfg.npreopens = opts.ndirs;
    wcfg.preopens = opts.dirs;
    char why[512];
    wasi = bst_wasi_new(&wcfg, why, sizeof why);
    if (!wasi) {
        fprintf(stderr, "error: %s\n", why);
        goto out;
    }

    s = bst_store_new(&opts.config);
    if (!s) {
        fprintf(stderr, "error: out of memory\n");
        goto out;
    }
    if (opts.has_fuel)
        bst_store_set_fuel(s, opts.fuel);
    bst_error err;
    memset(&err, 0, sizeof err);
    bst_extern *imports = NULL;
    size_t nimports = 0;
    if (bst_wasi_link(wasi, s, m, resolve_cli_import, NULL, &imports, &nimports, &err) !=
        BST_OK) {
        fprintf(stderr, "error: %s: %s\n", bst_status_name(err.status), error_text(&err));
        goto out;
    }
    watchdog_start(&dog, s, opts.timeout_ms);
    bst_instance *inst = bst_instance_new(s, m, imports, nimports, NULL, &err);
    free(imports);
    uint32_t exit_code;
    if (!inst) {
        if (err.status == BST_ERR_TRAP && bst_wasi_exited(wasi, &exit_code))
            rc = exit_code > 255 ? 255 : (int)exit_code;   /* proc_exit in the start function */
        else if (err.status == BST_ERR_TRAP)
            rc = report_trap(s, &err, &opts);
        else
            fprintf(stderr, "error: %s: %s\n", bst_status_name(err.status), error_text(&err));
        goto out;
    }
    if (!invoke) {
        int code;
        bst_status st = bst_wasi_run(wasi, inst, &code, &err);
        if (st == BST_OK)
            rc = code > 255 || code < 0 ? 255 : code;   /* never let 256 read as success */
        else if (st == BST_ERR_TRAP)
            rc = report_trap(s, &err, &opts);
        else
            fprintf(stderr, "error: %s: %s\n", bst_status_name(st), error_text(&err));
        goto out;
    }

    bst_extern ext;
    if (!bst_instance_export(inst, invoke, strlen(invoke), &ext) ||
        ext.kind != BST_EXTERN_FUNC) {
        fprintf(stderr, "error: %s has no exported function \"%s\"; it exports:\n",
                display_name(file), invoke);
        print_exported_funcs(stderr, m);
        rc = EXIT_USAGE;
        goto out;
    }
    const bst_functype *ft = bst_func_type(ext.of.func);
    size_t nargs = (size_t)(argc - first_arg);
    if (nargs != ft->nparams) {
        fprintf(stderr, "error: %s takes %" PRIu32 " argument%s, got %zu; its type is ", invoke,
                ft->nparams, ft->nparams == 1 ? "" : "s", nargs);
        print_functype(stderr, ft);
        fputc('\n', stderr);
        rc = EXIT_USAGE;
        goto out;
    }
    args = calloc(nargs ? nargs : 1, sizeof *args);
    results = calloc(ft->nresults ? ft->nresults : 1, sizeof *results);
    if (!args || !results) {
        fprintf(stderr, "error: out of memory\n");
        goto out;
    }
    for (size_t i = 0; i < nargs; i++) {
        bool overflow;
        if (!parse_arg(argv[first_arg + (int)i], ft->params[i], &args[i], &overflow)) {
            fprintf(stderr, "error: argument %zu: \"%s\" is %s %s%s\n", i + 1,
                    argv[first_arg + (int)i], overflow ? "beyond the range of" : "not a valid",
                    valtype_name(ft->params[i]), overflow ? " (write inf for infinity)" : "");
            rc = EXIT_USAGE;
            goto out;
        }
    }
    for (uint32_t i = 0; i < ft->nresults; i++)
        results[i].type = ft->results[i];
    bst_status st = bst_call(ext.of.func, args, nargs, results, ft->nresults, &err);
    if (st == BST_ERR_TRAP && bst_wasi_exited(wasi, &exit_code)) {
        rc = exit_code > 255 ? 255 : (int)exit_code;
        goto out;
    }
    if (st == BST_ERR_TRAP) {
        rc = report_trap(s, &err, &opts);
        goto out;
    }
    if (st != BST_OK) {
        fprintf(stderr, "error: %s: %s\n", bst_status_name(st), error_text(&err));
        goto out;
    }
    for (uint32_t i = 0; i < ft->nresults; i++)
        print_value(&results[i]);
    rc = 0;

out:
    watchdog_stop(&dog);
    free(args);
    free(results);
    if (s)
        bst_store_free(s);
    bst_wasi_free(wasi);   /* after the store: its host functions point at the context */
    if (m)
        bst_module_free(m);   /* after the store: instances reference the module */
    free(guest_argv);
    if (opts.dirs)
        for (size_t k = 0; k < opts.ndirs; k++)
            free((char *)opts.dirs[k].host_path);
    free(opts.dirs);
    free(opts.env);
    return rc;
}

/* ---- inspect ----------------------------------------------------------------------------- */

/* Reads an unsigned LEB128 u32 at *pos; false if truncated or too long. */
static bool read_u32(const uint8_t *b, size_t len, size_t *pos, uint32_t *out)
{
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 35; shift += 7) {
        if (*pos >= len)
            return false;
        uint8_t byte = b[(*pos)++];
        v |= (uint64_t)(byte & 0x7f) << shift;
        if (!(byte & 0x80))
            break;
        if (shift == 28)
            return false;
    }
    if (v > UINT32_MAX)
        return false;
    *out = (uint32_t)v;
    return true;
}

static const char *section_name(uint8_t id)
{
    static const char *const names[] = {
        "custom", "type",  "import", "function", "table",  "memory", "global",
        "export", "start", "element", "code",    "data",   "datacount",
    };
    return id < sizeof names / sizeof names[0] ? names[id] : "unknown";
}

/* Walks the section framing only; the module has already been validated by the engine, and
 * the walk still bounds-checks every read rather than trusting that. */
static void print_sections(const uint8_t *b, size_t len)
{
    size_t pos = 8;
    printf("sections:\n");
    while (pos < len) {
        size_t start = pos;
        uint8_t id = b[pos++];
        uint32_t size;
        if (!read_u32(b, len, &pos, &size) || size > len - pos) {
            printf("  <truncated section at offset 0x%zx>\n", start);
            return;
        }
        printf("  %-10s offset 0x%08zx  size %" PRIu32, section_name(id), start, size);
        if (id == 0) {
            size_t p = pos;
            uint32_t nlen;
            if (read_u32(b, pos + size, &p, &nlen) && nlen <= pos + size - p) {
                putchar(' ');
                print_name(stdout, (const char *)b + p, nlen);
            }
        }
        putchar('\n');
        pos += size;
    }
}

static int cmd_inspect(int argc, char **argv)
{
    if (argc == 1 && cli_is_help(argv[0])) {
        fputs(INSPECT_USAGE, stdout);
        return 0;
    }
    if (argc == 2 && strcmp(argv[0], "--") == 0) {   /* `--` ends the options */
        argc--;
        argv++;
    } else if (argc == 1 && argv[0][0] == '-' && argv[0][1] != '\0') {
        fprintf(stderr, "bastion inspect: unknown option %s\n%s", argv[0], INSPECT_USAGE);
        return EXIT_USAGE;
    }
    if (argc != 1) {
        fputs(INSPECT_USAGE, stderr);
        return EXIT_USAGE;
    }
    uint8_t *bytes;
    size_t len;
    bst_module *m = load(argv[0], NULL, &bytes, &len);
    if (!m)
        return 1;
    printf("%s: %zu bytes\n", display_name(argv[0]), len);
    print_sections(bytes, len);

    uint32_t n = bst_module_import_count(m);
    printf("imports (%" PRIu32 "):\n", n);
    for (uint32_t i = 0; i < n; i++) {
        bst_import_desc d;
        memset(&d, 0, sizeof d);
        bst_module_import(m, i, &d);
        printf("  %-6s ", extern_kind_name(d.type.kind));
        print_name(stdout, d.module, d.module_len);
        putchar('.');
        print_name(stdout, d.name, d.name_len);
        putchar(' ');
        print_externtype(stdout, &d.type);
        putchar('\n');
    }
    n = bst_module_export_count(m);
    printf("exports (%" PRIu32 "):\n", n);
    for (uint32_t i = 0; i < n; i++) {
        bst_export_desc d;
        memset(&d, 0, sizeof d);
        bst_module_export(m, i, &d);
        print_export(stdout, &d);
    }
    free(bytes);
    bst_module_free(m);
    return 0;
}

/* ---- main -------------------------------------------------------------------------------- */

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(USAGE, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "run") == 0)
        return cmd_run(argc - 2, argv + 2);
    if (strcmp(cmd, "inspect") == 0)
        return cmd_inspect(argc - 2, argv + 2);
    if (strcmp(cmd, "spec") == 0)
        return spec_main(argc - 2, argv + 2);
    if (strcmp(cmd, "runtime") == 0)
        return runtime_main(argc - 2, argv + 2);
    if (strcmp(cmd, "chainspec") == 0)
        return chainspec_main(argc - 2, argv + 2);
    if (strcmp(cmd, "contract") == 0)
        return contract_main(argc - 2, argv + 2);
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        fputs(USAGE, stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("bastion %s\n", BST_VERSION);
        return 0;
    }
    fprintf(stderr, "bastion: unknown command '%s'\n\n", cmd);
    fputs(USAGE, stderr);
    return EXIT_USAGE;
}
