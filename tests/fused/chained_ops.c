/*
 * chained_ops.c — white-box helper of the engine/chained test (tests/fused/chained.py): compiles
 * FILE.wasm and prints, for each function the module defines, its index and the names of the
 * chained superinstructions (ops.h: ENG_CHAINED_OPS, ENG_CHAINED3_OPS) among its handler cells,
 * one line per function: "INDEX NAME NAME ...".  The results of a chained variant are the same as
 * the plain superinstruction's by design, so only this shows which one the compiler chose.
 *
 * A cell is compared with every chained handler's address; an operand cell equal to one would
 * need slot numbers and an immediate spelling a code address, which the test's small modules
 * never have.
 */
#include <stdio.h>

#include "bastion.h"
#include "engine/module.h"
#include "engine/ops.h"
#include "engine/runtime.h"

static const struct {
    eng_op op;
    const char *name;
} k_variants[] = {
#define ENG_OP_ITEM(name) {ENG_OP_##name, #name},
    ENG_CHAINED_OPS(ENG_X_OP_CHAINED) ENG_CHAINED3_OPS(ENG_X_OP_CHAINED3)
#undef ENG_OP_ITEM
};

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: chained_ops FILE.wasm\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    static uint8_t bytes[1 << 20];
    size_t len = fread(bytes, 1, sizeof bytes, f);
    fclose(f);
    bst_error err;
    bst_module *m = bst_module_new(bytes, len, &err);
    if (!m) {
        fprintf(stderr, "%s: %s\n", argv[1], err.message);
        return 1;
    }
    const void *const *handlers = eng_interp_handlers();
    for (uint32_t i = m->nimported_funcs; i < m->nfuncs; i++) {
        const eng_code *code = m->funcs[i].code;
        printf("%u", i - m->nimported_funcs);
        for (size_t c = 0; c < code->ncells; c++)
            for (size_t v = 0; v < sizeof k_variants / sizeof k_variants[0]; v++)
                if (code->cells[c] == (uint64_t)(uintptr_t)handlers[k_variants[v].op])
                    printf(" %s", k_variants[v].name);
        printf("\n");
    }
    bst_module_free(m);
    return 0;
}
