/*
 * test_host_table.c — the Substrate host's import table (src/substrate/host_table.h) through
 * the public API (CTest substrate/host_table): a runtime importing every host function with
 * the row's signature links without a stub; the same import with any other type is refused
 * with "import env.NAME has the wrong type"; names that are not rows (near misses, other
 * modules) are unknown: refused, or stubs under allow_missing.
 *
 * The rows come from the list itself (the one private header a test includes), so a row whose
 * signature string is malformed or whose function is missing fails here.
 */
#include "substrate_test.h"

#include "bastion_substrate.h"
#include "host_table.h"

typedef struct row {
    const char *name, *sig;
} row;

#define ROW(n, s) {#n, s},
static const row ROWS[] = {SUBSTRATE_HOST_FUNCTIONS(ROW)};
#undef ROW
#define NROWS (sizeof ROWS / sizeof ROWS[0])

/* Instantiates the imports as a runtime: BST_OK with *stubs set, or the error. */
static bst_status try_link(const h_import *imp, size_t n, bool allow_missing, uint32_t *stubs,
                           bst_error *err) {
    h_buf m = h_module_imports(imp, n);
    bst_substrate_options o;
    bst_substrate_options_default(&o);
    o.allow_missing = allow_missing;
    memset(err, 0, sizeof *err);
    bst_substrate_runtime *rt = bst_substrate_runtime_new(m.p, m.n, &o, err);
    free(m.p);
    if (!rt) return err->status;
    *stubs = bst_substrate_runtime_stub_count(rt);
    bst_substrate_runtime_free(rt);
    return BST_OK;
}

static bst_valtype g_types[NROWS][32];

/* Every row parses, and a runtime importing all of them with those types has no stub. */
static void test_all_rows_link(void) {
    static h_import imp[NROWS];
    for (size_t i = 0; i < NROWS; i++) {
        imp[i].module = "env";
        imp[i].name = ROWS[i].name;
        bool ok = bst_functype_parse(ROWS[i].sig, g_types[i], 32, &imp[i].type);
        CHECK(ok);
        if (!ok) {
            fprintf(stderr, "  row %s: bad signature \"%s\"\n", ROWS[i].name, ROWS[i].sig);
            return;
        }
    }
    /* no two rows share a name */
    for (size_t i = 0; i < NROWS; i++)
        for (size_t j = i + 1; j < NROWS; j++) CHECK(strcmp(ROWS[i].name, ROWS[j].name) != 0);
    bst_error err;
    uint32_t stubs = 99;
    CHECK_OK(try_link(imp, NROWS, false, &stubs, &err), err);
    CHECK_EQ(stubs, 0);
}

/* The expected refusal of a mistyped import. */
static void expect_wrong_type(const h_import *imp, const char *what) {
    bst_error err;
    uint32_t stubs;
    char want[200];
    snprintf(want, sizeof want, "import env.%s has the wrong type", imp->name);
    for (int allow_missing = 0; allow_missing < 2; allow_missing++) {
        bst_status st = try_link(imp, 1, allow_missing, &stubs, &err);
        CHECK_EQ(st, BST_ERR_UNLINKABLE);
        CHECK(strstr(err.message, want) != NULL);
        if (st != BST_ERR_UNLINKABLE || !strstr(err.message, want))
            fprintf(stderr, "  (%s, %s: %s)\n", imp->name, what, err.message);
    }
}

/* Each row with a type one step off its signature: an extra parameter, a missing or extra
 * result, each i32 turned i64 and back. */
static void test_wrong_types_refused(void) {
    for (size_t i = 0; i < NROWS; i++) {
        bst_functype want;
        if (!bst_functype_parse(ROWS[i].sig, g_types[i], 32, &want)) continue;
        h_each_type_one_off((h_import){"env", ROWS[i].name, want}, expect_wrong_type);
    }
}

/* Names that are not rows: a row's name cut short or extended, in another module, empty. */
static void test_unknown_names(void) {
    static const bst_valtype i64[1] = {BST_I64};
    const bst_functype t = {1, 1, i64, i64}; /* ext_storage_get_version_1's type */
    const h_import real = {"env", "ext_storage_get_version_1", t};
    const h_import misses[] = {
        {"env", "ext_storage_get_version_", t},
        {"env", "ext_storage_get_version_10", t},
        {"env", "ext_storage_get_version_2", t},
        {"env", "EXT_STORAGE_GET_VERSION_1", t},
        {"env", "", t},
        {"env2", "ext_storage_get_version_1", t},
        {"", "ext_storage_get_version_1", t},
    };
    bst_error err;
    uint32_t stubs = 99;
    CHECK_OK(try_link(&real, 1, false, &stubs, &err), err);
    CHECK_EQ(stubs, 0);
    for (size_t i = 0; i < sizeof misses / sizeof misses[0]; i++) {
        bst_status st = try_link(&misses[i], 1, false, &stubs, &err);
        CHECK_EQ(st, BST_ERR_UNLINKABLE);
        CHECK(strstr(err.message, "no such host function") != NULL);
        stubs = 99;
        CHECK_OK(try_link(&misses[i], 1, true, &stubs, &err), err);
        CHECK_EQ(stubs, 1);
    }
}

int main(void) {
    if (!bst_crypto_init()) return 2;
    test_all_rows_link();
    test_wrong_types_refused();
    test_unknown_names();
    return h_finish("substrate/host_table");
}
