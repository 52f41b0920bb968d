/*
 * stats.c — the --stats option of the commands that call into wasm: parsing it, and writing a
 * call's statistics (bst_call_stats, bastion.h) as JSON (schema: docs/observability.md, "--stats").
 * Strings come from modules (names of imports and functions), so every byte outside printable
 * ASCII is escaped: the output is valid JSON whatever the module says.
 */
#include "stats.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

int cli_stats_option(const char *cmd, const char *arg, cli_stats_opt *o) {
    if (strcmp(arg, "--stats") == 0) {
        o->on = true;
        o->file = NULL;
        return 1;
    }
    if (strncmp(arg, "--stats=", 8) != 0) return 0;
    if (!arg[8]) {
        fprintf(stderr, "bastion %s: --stats=FILE needs a file name\n", cmd);
        return -1;
    }
    o->on = true;
    o->file = arg + 8;
    return 1;
}

/* A JSON string, or null for NULL. */
static void put_str(FILE *f, const char *s) {
    if (!s) {
        fputs("null", f);
        return;
    }
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20 || *p >= 0x7f)
            fprintf(f, "\\u%04x", *p); /* names are bytes: each one escaped on its own */
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

/* "key": [{"index": I, ["module": M,] "name": N, "KEY": C}, ...] */
static void put_counts(FILE *f, const char *key, const char *count_key, const bst_stats_count *c,
                       size_t n, bool with_module) {
    fprintf(f, "\"%s\": [", key);
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "%s{\"index\": %" PRIu32 ", ", i ? ", " : "", c[i].index);
        if (with_module) {
            fputs("\"module\": ", f);
            put_str(f, c[i].module);
            fputs(", ", f);
        }
        fputs("\"name\": ", f);
        put_str(f, c[i].name);
        fprintf(f, ", \"%s\": %" PRIu64 "}", count_key, c[i].count);
    }
    fputc(']', f);
}

static void put_stats(FILE *f, const char *call, const bst_call_stats *st) {
    fputs("{\"call\": ", f);
    put_str(f, call);
    if (!st) {
        fputs(", \"ran\": false}\n", f);
        return;
    }
    fprintf(f,
            ", \"ran\": true, \"function\": {\"index\": %" PRIu32 ", \"name\": ", st->func_index);
    put_str(f, st->func_name);
    fputs("}, \"status\": ", f);
    put_str(f, bst_status_name(st->status));
    fputs(", \"trap\": ", f);
    put_str(f, st->status == BST_ERR_TRAP ? bst_trap_message(st->trap) : NULL);
    fprintf(f, ", \"fuel_used\": %" PRIu64 ", ", st->fuel_used);
    if (st->timed)
        fprintf(f, "\"wall_ns\": %" PRIu64 ", \"cpu_ns\": %" PRIu64 ", ", st->wall_ns, st->cpu_ns);
    else
        fputs("\"wall_ns\": null, \"cpu_ns\": null, ", f);
    fprintf(f, "\"memory_pages\": %" PRIu32 ", \"peak_memory_pages\": %" PRIu32 ", ",
            st->memory_pages, st->peak_memory_pages);
    fprintf(f, "\"host_calls\": {\"total\": %" PRIu64 ", ", st->host_calls);
    put_counts(f, "by_import", "calls", st->host, st->nhost, true);
    fputs("}, \"instructions\": ", f);
    if (st->counted) {
        fprintf(f, "{\"total\": %" PRIu64 ", ", st->instructions);
        put_counts(f, "by_function", "count", st->funcs, st->nfuncs, false);
        fputs("}", f);
    } else {
        fputs("null", f);
    }
    fputs("}\n", f);
}

bool cli_stats_write(const cli_stats_opt *o, const char *call, const bst_call_stats *st) {
    if (!o->on) return true;
    if (!o->file) {
        put_stats(stderr, call, st);
        return true;
    }
    FILE *f = fopen(o->file, "w");
    if (!f) {
        fprintf(stderr, "error: --stats: cannot write %s\n", o->file);
        return false;
    }
    put_stats(f, call, st);
    if (fclose(f) != 0) {
        fprintf(stderr, "error: --stats: cannot write %s\n", o->file);
        return false;
    }
    return true;
}
