/*
 * test_wasi_table.c — the WASI layer's function list (src/wasi/wasi_table.h) through the public
 * API (CTest wasi/table): every row links in both namespaces with its signature and reaches its
 * own C function (a few are called: sched_yield, fd_close on a closed descriptor, args_sizes_get
 * without a caller memory, and the ENOSYS rows); the same import with any other type is refused with "WASI function
 * imported with the wrong type"; names that are not rows are unknown WASI functions, which a
 * resolver may still provide.
 *
 * The rows come from the list itself (the one private header a test includes), so a row whose
 * signature string is malformed fails here.
 */
#define HOSTILE_WASM_DIR ""
#include "../hostile/harness.h"

#include "bastion_wasi.h"
#include "wasi_table.h"

typedef struct row {
    const char *name, *sig;
    bool nosys;
} row;

#define WASI_ROW_NOSYS_FN false
#define WASI_ROW_NOSYS_NOSYS true
#define ROW(n, s, kind) {#n, s, WASI_ROW_NOSYS_##kind},
static const row ROWS[] = {WASI_HOST_FUNCTIONS(ROW)};
#undef ROW
#define NROWS (sizeof ROWS / sizeof ROWS[0])

static const char *const NAMESPACES[] = {"wasi_snapshot_preview1", "wasi_unstable"};

/* A WASI context, a store and the links of the module of imp[0..n); NULL store on failure
 * (err filled).  The resolver, when given, accepts every import it is asked for. */
typedef struct linked {
    bst_wasi *w;
    bst_store *s;
    bst_module *m;
    bst_extern *ext;
    size_t n;
} linked;

static bool accept_all(void *env, bst_store *s, const bst_import_desc *imp, bst_extern *out) {
    (void)env;
    bst_func *f = bst_func_new_host(s, &imp->type.func, NULL, NULL);
    if (!f) return false;
    out->kind = BST_EXTERN_FUNC;
    out->of.func = f;
    return true;
}

static bst_status link_imports(const h_import *imp, size_t n, bool resolver, linked *l,
                               bst_error *err) {
    memset(l, 0, sizeof *l);
    memset(err, 0, sizeof *err);
    h_buf mb = h_module_imports(imp, n);
    l->m = bst_module_new(mb.p, mb.n, err);
    free(mb.p);
    if (!l->m) return err->status;
    char why[128];
    bst_wasi_config cfg;
    bst_wasi_config_default(&cfg);
    l->w = bst_wasi_new(&cfg, why, sizeof why);
    l->s = bst_store_new(NULL);
    if (!l->w || !l->s) {
        fprintf(stderr, "setup failed\n");
        exit(2);
    }
    return bst_wasi_link(l->w, l->s, l->m, resolver ? accept_all : NULL, NULL, &l->ext, &l->n, err);
}

static void unlink_imports(linked *l) {
    free(l->ext);
    bst_store_free(l->s);
    bst_wasi_free(l->w);
    bst_module_free(l->m);
}

static bst_valtype g_types[NROWS][32];

/* Imports every row from namespace ns with the row's type; false when a row does not parse. */
static bool all_rows(const char *ns, h_import *imp) {
    for (size_t i = 0; i < NROWS; i++) {
        imp[i].module = ns;
        imp[i].name = ROWS[i].name;
        if (!bst_functype_parse(ROWS[i].sig, g_types[i], 32, &imp[i].type)) {
            fprintf(stderr, "  row %s: bad signature \"%s\"\n", ROWS[i].name, ROWS[i].sig);
            return false;
        }
    }
    return true;
}

/* Calls export fK of the instance with the given i32 arguments, or with zeros of the row's
 * parameter types when a is NULL; the i32 errno it returns. */
static int32_t call_row(bst_instance *inst, size_t k, const int32_t *a, const bst_functype *t) {
    char name[24];
    snprintf(name, sizeof name, "f%zu", k);
    bst_value args[16], res[1];
    memset(res, 0, sizeof res);
    for (size_t i = 0; i < t->nparams && i < 16; i++)
        args[i] = t->params[i] == BST_I64 ? h_i64(0) : h_i32(a ? a[i] : 0);
    bst_error err;
    bst_status st = bst_call(h_func(inst, name), args, t->nparams, res, 1, &err);
    CHECK_OK(st, err);
    return res[0].of.i32;
}

static size_t row_index(const char *name) {
    for (size_t i = 0; i < NROWS; i++)
        if (strcmp(ROWS[i].name, name) == 0) return i;
    fprintf(stderr, "no row %s\n", name);
    exit(2);
}

/* Every row links in both namespaces, to host functions that answer as their row says. */
static void test_all_rows_link(void) {
    static h_import imp[NROWS];
    for (size_t i = 0; i < NROWS; i++)
        for (size_t j = i + 1; j < NROWS; j++) CHECK(strcmp(ROWS[i].name, ROWS[j].name) != 0);
    for (size_t ns = 0; ns < 2; ns++) {
        bool parsed = all_rows(NAMESPACES[ns], imp);
        CHECK(parsed);
        if (!parsed) return;
        linked l;
        bst_error err;
        CHECK_OK(link_imports(imp, NROWS, false, &l, &err), err);
        CHECK_EQ(l.n, NROWS);
        bst_instance *inst = l.ext ? bst_instance_new(l.s, l.m, l.ext, l.n, NULL, &err) : NULL;
        CHECK(inst != NULL);
        if (inst) {
            size_t y = row_index("sched_yield"), c = row_index("fd_close");
            size_t a = row_index("args_sizes_get");
            CHECK_EQ(call_row(inst, y, NULL, &imp[y].type), 0);
            int32_t bad_fd = 77;
            CHECK_EQ(call_row(inst, c, &bad_fd, &imp[c].type), 8); /* EBADF */
            /* called from the embedder there is no caller memory to write into: EFAULT */
            int32_t ptrs[2] = {16, 20};
            CHECK_EQ(call_row(inst, a, ptrs, &imp[a].type), 21);
            for (size_t i = 0; i < NROWS; i++)
                if (ROWS[i].nosys) CHECK_EQ(call_row(inst, i, NULL, &imp[i].type), 52); /* ENOSYS */
        }
        unlink_imports(&l);
    }
}

/* The expected refusal of a mistyped import (a resolver does not rescue it). */
static void expect_wrong_type(const h_import *imp, const char *what) {
    for (int resolver = 0; resolver < 2; resolver++) {
        linked l;
        bst_error err;
        bst_status st = link_imports(imp, 1, resolver, &l, &err);
        CHECK_EQ(st, BST_ERR_UNLINKABLE);
        bool msg = strstr(err.message, "WASI function imported with the wrong type") != NULL &&
                   strstr(err.message, imp->name) != NULL;
        CHECK(msg);
        if (st != BST_ERR_UNLINKABLE || !msg)
            fprintf(stderr, "  (%s.%s, %s: %s)\n", imp->module, imp->name, what, err.message);
        unlink_imports(&l);
    }
}

/* Each row with a type one step off its signature: an extra parameter, a missing or extra
 * result, each i32 turned i64 and back. */
static void test_wrong_types_refused(void) {
    for (size_t ns = 0; ns < 2; ns++) {
        for (size_t i = 0; i < NROWS; i++) {
            bst_functype want;
            if (!bst_functype_parse(ROWS[i].sig, g_types[i], 32, &want)) continue;
            h_each_type_one_off((h_import){NAMESPACES[ns], ROWS[i].name, want}, expect_wrong_type);
        }
    }
}

/* Names that are not rows: unknown WASI functions, unless a resolver provides them. */
static void test_unknown_names(void) {
    static const bst_valtype i32[4] = {BST_I32, BST_I32, BST_I32, BST_I32};
    const bst_functype t = {4, 1, i32, i32}; /* fd_read's type */
    const char *const names[] = {"fd_rea", "fd_reads", "FD_READ", "", "sock_connect"};
    for (size_t ns = 0; ns < 2; ns++) {
        linked l;
        bst_error err;
        h_import real = {NAMESPACES[ns], "fd_read", t};
        CHECK_OK(link_imports(&real, 1, false, &l, &err), err);
        unlink_imports(&l);
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
            h_import imp = {NAMESPACES[ns], names[i], t};
            CHECK_EQ(link_imports(&imp, 1, false, &l, &err), BST_ERR_UNLINKABLE);
            CHECK(strstr(err.message, "unknown WASI function") != NULL);
            unlink_imports(&l);
            CHECK_OK(link_imports(&imp, 1, true, &l, &err), err);
            unlink_imports(&l);
        }
    }
    /* the same name outside the WASI namespaces is not WASI's */
    linked l;
    bst_error err;
    h_import other = {"env", "fd_read", t};
    CHECK_EQ(link_imports(&other, 1, false, &l, &err), BST_ERR_UNLINKABLE);
    CHECK(strstr(err.message, "not provided by the host") != NULL);
    unlink_imports(&l);
}

int main(void) {
    test_all_rows_link();
    test_wrong_types_refused();
    test_unknown_names();
    return h_finish("wasi/table");
}
