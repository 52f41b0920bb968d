/*
 * fuzz_module.c — libFuzzer target: any byte string through decode, validate, compile,
 * instantiate (imports satisfied by trapping host stubs / fresh objects) and a call of every
 * exported function with zero arguments, under a small fuel budget and tight limits.  Any crash,
 * sanitizer report or leak is a bug; errors and traps are the expected outcomes.
 */
#include <stdlib.h>
#include <string.h>

#include "bastion.h"

static bool stub_host(bst_caller *c, const bst_value *args, bst_value *results, void *env) {
    (void)args;
    (void)results;
    (void)env;
    bst_caller_trap(c, "stub");
    return false;
}

static bool resolve(bst_store *s, const bst_module *m, bst_extern *out) {
    uint32_t n = bst_module_import_count(m);
    for (uint32_t i = 0; i < n; i++) {
        bst_import_desc d;
        bst_module_import(m, i, &d);
        bst_error err;
        out[i].kind = d.type.kind;
        switch (d.type.kind) {
        case BST_EXTERN_FUNC:
            out[i].of.func = bst_func_new_host(s, &d.type.func, stub_host, NULL);
            if (!out[i].of.func) return false;
            break;
        case BST_EXTERN_TABLE: {
            bst_value init = {.type = d.type.elem};
            init.of.i64 = 0;
            if (d.type.limits.min > 1000) return false;
            out[i].of.table = bst_table_new(s, d.type.elem, d.type.limits, init, &err);
            if (!out[i].of.table) return false;
            break;
        }
        case BST_EXTERN_MEMORY:
            if (d.type.limits.min > 16) return false;
            out[i].of.memory = bst_memory_new(s, d.type.limits, &err);
            if (!out[i].of.memory) return false;
            break;
        case BST_EXTERN_GLOBAL: {
            bst_value v = {.type = d.type.global};
            v.of.i64 = 0;
            out[i].of.global = bst_global_new(s, d.type.global, d.type.global_mutable, v);
            if (!out[i].of.global) return false;
            break;
        }
        }
    }
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    bst_error err;
    bst_module *m = bst_module_new(data, size, &err);
    if (!m) return 0;
    bst_config cfg;
    bst_config_default(&cfg);
    cfg.max_memory_pages = 16;
    cfg.max_table_elems = 1000;
    cfg.max_call_depth = 200;
    cfg.max_stack_slots = 1u << 16;
    bst_store *s = bst_store_new(&cfg);
    bst_store_set_fuel(s, 100000);
    uint32_t n = bst_module_import_count(m);
    bst_extern *imports = calloc(n + 1u, sizeof *imports);
    if (imports && resolve(s, m, imports)) {
        bst_instance *inst = bst_instance_new(s, m, imports, n, NULL, &err);
        for (uint32_t i = 0; inst && i < bst_module_export_count(m); i++) {
            bst_export_desc e;
            bst_module_export(m, i, &e);
            if (e.type.kind != BST_EXTERN_FUNC || e.type.func.nparams != 0) continue;
            bst_extern ex;
            if (!bst_instance_export(inst, e.name, e.name_len, &ex)) continue;
            bst_value results[16];
            if (e.type.func.nresults > 16) continue;
            bst_call(ex.of.func, NULL, 0, results, e.type.func.nresults, &err);
        }
    }
    free(imports);
    bst_store_free(s);
    bst_module_free(m);
    return 0;
}
