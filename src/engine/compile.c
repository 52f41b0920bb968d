/*
 * compile.c — validates each function body and translates it to internal code (engine-internal).
 *
 * One pass per function does both jobs: the spec's validation algorithm (operand type stack,
 * control frames, polymorphic stack after unconditional branches) drives code emission.
 *
 * The internal code is register-style: because the operand-stack height is known statically at
 * every instruction, each stack position is a fixed frame slot (S0 + height, S0 = params+locals),
 * and instructions name their operand slots directly — there is no stack pointer at run time.
 * Two compile-time tricks remove most copies:
 *   - local.get pushes a *reference* to the local's slot instead of copying it; the reference is
 *     materialised (copied to its stack slot) only when the local is about to be overwritten, at
 *     block boundaries and when values must sit in canonical slots (calls, branches);
 *   - local.set/tee right after the instruction that produced the value patches that
 *     instruction's destination to the local ("destination folding").
 * Branch targets are resolved to relative cell offsets; values carried by a branch are moved to
 * the target's slots by explicit COPY instructions, so the interpreter never computes heights.
 *
 * Each wasm instruction is compiled by the compile_*() function its row of the instruction
 * table (ops.h) names; compile_body() dispatches on the opcode through a table built from those
 * rows.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "engine/leb.h"
#include "engine/ops.h"
#include "engine/runtime.h"

#define UNKNOWN_TYPE 0 /* bottom type of the polymorphic stack */
#define NO_DEF SIZE_MAX
#define MAX_SLOTS 65535u    /* slot operands are 16 bits */
#define BRANCH_BUCKETS 256u /* more than twice the number of branch ops (index_branches) */

typedef struct vs_entry {
    uint8_t type;
    bool is_const; /* a constant not yet written anywhere: cval, slot = its canonical slot */
    uint16_t slot;
    uint64_t cval;
} vs_entry;

enum { CTL_FUNC, CTL_BLOCK, CTL_LOOP, CTL_IF, CTL_ELSE };

typedef struct ctl_frame {
    uint8_t kind;
    bool unreachable; /* validation: the rest of this block is unreachable */
    bool dead;        /* emission: the block was entered from unreachable code */
    uint32_t height;  /* operand height below the block's params */
    uint32_t nparams, nresults;
    const bst_valtype *params, *results;
    size_t loop_start;         /* LOOP: code position of the loop head */
    size_t fixups;             /* head of the forward-branch fixup chain (index+1, 0=none) */
    size_t if_instr, if_field; /* IF: the BR_IF_Z to patch at else/end */
} ctl_frame;

typedef struct fixup {
    size_t instr, field;
    size_t next;
} fixup;

/* An emitted op (plain or itself a pair) that the next one may fuse with: where its handler
 * cell is, which op, and how many cells it has once its operand cells are out. */
typedef struct fuse_point {
    size_t at; /* NO_DEF: none */
    eng_op op;
    size_t cells;
} fuse_point;

/* A conditional branch emitted as the last op of a superinstruction: its position (where its
 * handler starts: the previous op's last cell), the superinstruction's handler cell, and its
 * k_fused row. */
typedef struct fused_branch {
    size_t instr, handler_at, row;
} fused_branch;

typedef struct compiler {
    const bst_module *m;
    bst_error *err;
    eng_reader r;
    const void *const *handlers;

    uint64_t *code;
    size_t ncode, capcode;

    vs_entry *vs;
    uint32_t nvs, capvs, max_height;

    ctl_frame *ctl;
    uint32_t nctl, capctl;

    fixup *fix;
    size_t nfix, capfix;

    const eng_ftype *ftype;
    uint32_t nlocals_total; /* params + declared locals */
    bst_valtype *local_types;
    uint32_t *local_refs; /* vstack entries referring to each local */
    uint32_t total_refs;
    uint32_t total_consts; /* vstack entries that are pending constants */
    uint32_t S0;           /* slot of operand height 0 */

    size_t last_copy; /* position of the last instruction if it is a lone COPY */
    size_t last_move; /* position of the last instruction if COPY or COPY2 */
    size_t last_def;  /* cell holding the dst of the last value-producing op */
    uint16_t last_def_slot;

    /* The last emitted op if it may start a superinstruction (ops.h: ENG_FUSED_OPS), and for
     * every op the index + 1 of the first k_fused row it starts (0: none). */
    fuse_point fuse;
    bool last_fused; /* the op emitted last became the second half of a superinstruction */
    fused_branch last_fused_as; /* ... where, and by which k_fused row */
    /* Conditional branches emitted as the second half of a superinstruction, by position
     * (ascending): their metered-block variant is chosen on the pair (enter_block_variant). */
    fused_branch *fused_br;
    size_t nfused_br, capfused_br;
    uint16_t branch_ops[BRANCH_BUCKETS]; /* index_branches */
    uint16_t fuse_first[ENG_OP__COUNT];
    bool has_chained[ENG_OP__COUNT]; /* a k_chained or k_chained3 row's pair or triple */
    /* Positions of the pairs and triples with chained variants (a pair that becomes a triple
     * keeps its position), chosen when the function is done (choose_chained): by then every
     * slot is final, the destinations retargeted by local.set included. */
    size_t *chain_at;
    size_t nchain_at, capchain_at;
    bool fuse_second[ENG_OP__COUNT]; /* op is the second of some superinstruction */

    /* The last emitted i32 comparison, which a following br_if/if may fuse with. */
    size_t cmp_instr;           /* its position, or NO_DEF */
    fuse_point cmp_fuse;        /* c->fuse from before it: restored when the branch takes */
                                /* it back, so that the branch may fuse instead */
    eng_op cmp_true, cmp_false; /* the fused branch taken when it holds / does not hold */
    bool cmp_is_eqz;

    bool meter;          /* module compiled with fuel metering */
    bool count;          /* ... and instruction counting (count_instructions, implies meter) */
    uint32_t func_index; /* of the function being compiled */
    size_t fuel_cell;    /* cost cell of the current block's FUEL, or NO_DEF */

    eng_codemap_builder map; /* where each instruction's cells start (codemap.c) */
    bool emitting;           /* live(): see refresh_live() */
} compiler;

static const bst_valtype k_single_types[] = {BST_I32, BST_I64,     BST_F32,
                                             BST_F64, BST_FUNCREF, BST_EXTERNREF};

static const char *type_name(uint8_t t) {
    switch (t) {
    case BST_I32: return "i32";
    case BST_I64: return "i64";
    case BST_F32: return "f32";
    case BST_F64: return "f64";
    case BST_FUNCREF: return "funcref";
    case BST_EXTERNREF: return "externref";
    default: return "unknown";
    }
}

static bool cfail(compiler *c, bst_status st, const char *msg) {
    eng_fail(c->err, st, eng_reader_offset(&c->r), "%s", msg);
    return false;
}

/* ---- growable arrays ---------------------------------------------------------------------- */

static bool grow(compiler *c, void **ptr, size_t *cap, size_t need, size_t elem) {
    if (need <= *cap) return true;
    size_t ncap = *cap ? *cap * 2 : 64;
    while (ncap < need) ncap *= 2;
    void *p = realloc(*ptr, ncap * elem);
    if (!p) return cfail(c, BST_ERR_NOMEM, "out of memory while compiling");
    *ptr = p;
    *cap = ncap;
    return true;
}

static ctl_frame *top_ctl(compiler *c) { return &c->ctl[c->nctl - 1]; }
/* Whether code is being emitted: the innermost block is reachable and was entered from
 * reachable code.  Asked for every cell, so it is kept in c->emitting, which refresh_live()
 * recomputes wherever the innermost frame or its flags change. */
static bool live(const compiler *c) { return c->emitting; }
static void refresh_live(compiler *c) {
    const ctl_frame *f = c->nctl ? top_ctl(c) : NULL;
    c->emitting = f && !f->unreachable && !f->dead;
}

/* ---- emission ----------------------------------------------------------------------------- */

static bool emit_cell(compiler *c, uint64_t v) {
    if (!live(c)) return true;
    if (c->ncode == c->capcode && !grow(c, (void **)&c->code, &c->capcode, c->ncode + 1, 8))
        return false;
    c->code[c->ncode++] = v;
    return true;
}

/* The superinstructions, grouped by first op (eng_compile_module indexes them). */
static const struct {
    uint16_t first, second, fused;
} k_fused[] = {
#define ENG_X_FUSED_ROW(a, b) {ENG_OP_##a, ENG_OP_##b, ENG_OP_##a##__##b},
#define ENG_X_FUSED3_ROW(a, b, c) {ENG_OP_##a##__##b, ENG_OP_##c, ENG_OP_##a##__##b##__##c},
    ENG_FUSED_OPS(ENG_X_FUSED_ROW) ENG_FUSED3_OPS(ENG_X_FUSED3_ROW)
#undef ENG_X_FUSED_ROW
#undef ENG_X_FUSED3_ROW
};
enum { FUSED_ROWS = sizeof k_fused / sizeof k_fused[0] };

/* Pairs with chained variants (ops.h: ENG_CHAINED_OPS). */
static const struct {
    uint16_t pair, chained_a, chained_b;
} k_chained[] = {
/* (chained_b is ENG_OP__COUNT for a row with link CA only) */
#define ENG_X_CHAINED_B_AB(a, b) ENG_OP_##a##__##b##__CB
#define ENG_X_CHAINED_B_A(a, b) ENG_OP__COUNT
#define ENG_X_CHAINED_ROW(a, b, links)                                                             \
    {ENG_OP_##a##__##b, ENG_OP_##a##__##b##__CA, ENG_X_CHAINED_B_##links(a, b)},
    ENG_CHAINED_OPS(ENG_X_CHAINED_ROW)
#undef ENG_X_CHAINED_ROW
#undef ENG_X_CHAINED_B_AB
#undef ENG_X_CHAINED_B_A
};
/* ... and the variants of three-op ones, one entry each: the op, and the links of its second
 * and third ops it stands for (the third's may be CHAIN_GO: any) */
enum { CHAIN_CN = 0, CHAIN_CA = 1, CHAIN_CB = 2, CHAIN_GO = 3 };
static const struct {
    uint16_t triple, chained;
    uint8_t link2, link3;
} k_chained3[] = {
#define ENG_X_CHAINED3_VARIANT(a, b, c, l2, l3)                                                    \
    {ENG_OP_##a##__##b##__##c, ENG_OP_##a##__##b##__##c##__##l2##l3, CHAIN_##l2, CHAIN_##l3},
#define ENG_X_CHAINED3_ROW(a, b, c, links2, links3)                                                \
    ENG_CHAINED3_VARIANTS(ENG_X_CHAINED3_VARIANT, a, b, c, links2, links3)
    ENG_CHAINED3_OPS(ENG_X_CHAINED3_ROW)
#undef ENG_X_CHAINED3_ROW
#undef ENG_X_CHAINED3_VARIANT
};

/* The k_fused row of first + second, or FUSED_ROWS: a scan of first's group of rows. */
static size_t fused_row(const compiler *c, eng_op first, eng_op second) {
    for (size_t i = c->fuse_first[first]; i > 0 && i <= FUSED_ROWS && k_fused[i - 1].first == first;
         i++)
        if (k_fused[i - 1].second == second) return i - 1;
    return FUSED_ROWS;
}
/* The superinstruction first + second, or ENG_OP__COUNT. */
static eng_op fused_op(const compiler *c, eng_op first, eng_op second) {
    size_t row = fused_row(c, first, second);
    return row == FUSED_ROWS ? ENG_OP__COUNT : (eng_op)k_fused[row].fused;
}

/* Records a pair that has chained variants (choose_chained).  Without memory for the record the
 * pair merely stays a plain pair: the variants are an optimisation, not a compile error. */
static void note_chain(compiler *c, size_t at) {
    if (c->nchain_at == c->capchain_at) {
        size_t cap = c->capchain_at ? 2 * c->capchain_at : 64;
        size_t *p = realloc(c->chain_at, cap * sizeof *p);
        if (!p) return;
        c->chain_at = p;
        c->capchain_at = cap;
    }
    c->chain_at[c->nchain_at++] = at;
}

/* op right after an op that starts a superinstruction with it (a plain op, or a pair that starts
 * a three-op one): turns that op into the superinstruction, whose cells are its handler then
 * all the operand cells, and returns true (the caller's operand cell follows as usual).  The
 * code map entry of op's wasm instruction moves onto the cell before, where the handler
 * continues as op (interp.c: FUSED, FUSED3). */
static bool fuse(compiler *c, eng_op op) {
    fuse_point p = c->fuse;
    c->fuse.at = NO_DEF;
    if (p.at == NO_DEF || !c->fuse_second[op] || p.at + p.cells != c->ncode || !live(c))
        return false;
    size_t row = fused_row(c, p.op, op);
    if (row == FUSED_ROWS) return false;
    eng_op fused = (eng_op)k_fused[row].fused;
    c->code[p.at] = (uint64_t)(uintptr_t)c->handlers[fused];
    eng_codemap_builder *b = &c->map;
    if (b->n && b->entries[b->n - 1][0] == c->ncode) b->entries[b->n - 1][0] = c->ncode - 1;
    c->last_fused_as = (fused_branch){c->ncode - 1, p.at, row};
    if (c->has_chained[fused] && !(c->nchain_at && c->chain_at[c->nchain_at - 1] == p.at))
        note_chain(c, p.at);
    /* the pair may be the first op of three (ops.h: ENG_FUSED3_OPS); op's operand cell follows */
    if (c->fuse_first[fused]) c->fuse = (fuse_point){p.at, fused, p.cells + 1};
    return true;
}

/* Starts an instruction; returns its position (meaningless when not live). */
static size_t emit_op(compiler *c, eng_op op) {
    c->last_def = NO_DEF;
    c->last_copy = NO_DEF;
    c->last_move = NO_DEF;
    size_t at = c->ncode;
    c->last_fused = fuse(c, op);
    /* the second op of a pair starts on the pair's first operand cell (interp.c: FUSED), so
     * that branch offsets and trap sites are taken from there */
    if (c->last_fused) return at - 1;
    emit_cell(c, (uint64_t)(uintptr_t)c->handlers[op]);
    if (c->fuse_first[op] && live(c))
        c->fuse = (fuse_point){at, op, op == ENG_OP_CONST64 ? 3 : 2}; /* ops.h: ENG_FUSED_OPS */
    return at;
}

static uint64_t pack3(uint32_t a, uint32_t b, uint32_t hi) {
    return (uint64_t)(a & 0xffff) | ((uint64_t)(b & 0xffff) << 16) | ((uint64_t)hi << 32);
}

/* Emits op with one operand cell whose low 16 bits are the destination slot `dst`. */
static bool emit_def(compiler *c, eng_op op, uint64_t operand_cell, uint16_t dst) {
    emit_op(c, op);
    if (!emit_cell(c, operand_cell)) return false;
    if (live(c)) {
        c->last_def = c->ncode - 1;
        c->last_def_slot = dst;
    }
    return true;
}

/* Copies come in runs (phi moves before a back-edge, call arguments): two consecutive ones
 * become one COPY2, executed in the same order, saving a dispatch. */
static bool emit_copy(compiler *c, uint32_t dst, uint32_t src) {
    if (live(c) && c->last_copy != NO_DEF && c->last_copy + 2 == c->ncode) {
        c->code[c->last_copy] = (uint64_t)(uintptr_t)c->handlers[ENG_OP_COPY2];
        c->code[c->last_copy + 1] |=
            ((uint64_t)(dst & 0xffff) << 32) | ((uint64_t)(src & 0xffff) << 48);
        c->last_move = c->last_copy;
        c->last_copy = NO_DEF;
        c->last_def = NO_DEF;
        c->fuse.at = NO_DEF; /* a COPY2 starts no superinstruction (COPY does) */
        return true;
    }
    size_t at = emit_op(c, ENG_OP_COPY);
    if (!emit_cell(c, pack3(dst, src, 0))) return false;
    /* A COPY fused into the op before it is no COPY of its own to pair or absorb.  (Told by
     * last_fused, not by the cell at `at`: that is then the first op's operand cell, whose
     * bits the module chooses and which could spell COPY's handler address.) */
    if (live(c) && !c->last_fused) c->last_copy = c->last_move = at;
    return true;
}

/* ---- operand stack ------------------------------------------------------------------------ */

static bool push(compiler *c, uint8_t type) {
    if (c->m->config.reject_floats && (type == BST_F32 || type == BST_F64))
        return cfail(c, BST_ERR_UNSUPPORTED, "floating point not allowed");
    uint32_t slot = c->S0 + c->nvs;
    if (slot >= MAX_SLOTS) return cfail(c, BST_ERR_LIMIT, "function frame too large");
    if (c->nvs == c->capvs) {
        size_t cap = c->capvs;
        if (!grow(c, (void **)&c->vs, &cap, (size_t)c->nvs + 1, sizeof(vs_entry))) return false;
        c->capvs = (uint32_t)cap;
    }
    c->vs[c->nvs].type = type;
    c->vs[c->nvs].is_const = false;
    c->vs[c->nvs].slot = (uint16_t)slot;
    c->vs[c->nvs].cval = 0;
    c->nvs++;
    if (c->nvs > c->max_height) c->max_height = c->nvs;
    return true;
}

static void drop_ref(compiler *c, vs_entry e) {
    if (e.is_const) {
        c->total_consts--;
        return;
    }
    if (e.type != UNKNOWN_TYPE && e.slot < c->S0) {
        c->local_refs[e.slot]--;
        c->total_refs--;
    }
}

static bool materialize(compiler *c, uint32_t i);

/* Pops an operand expected to have type `want` (UNKNOWN_TYPE: any).  A pending constant is
 * written to its slot first unless the caller handles constants itself (keep_const). */
static bool pop_ex(compiler *c, uint8_t want, vs_entry *out, bool keep_const) {
    ctl_frame *f = top_ctl(c);
    if (c->nvs == f->height) {
        if (!f->unreachable) return cfail(c, BST_ERR_INVALID, "type mismatch: operand stack empty");
        memset(out, 0, sizeof *out);
        return true;
    }
    if (!keep_const && c->vs[c->nvs - 1].is_const && !materialize(c, c->nvs - 1)) return false;
    vs_entry e = c->vs[--c->nvs];
    if (want != UNKNOWN_TYPE && e.type != UNKNOWN_TYPE && e.type != want) {
        eng_fail(c->err, BST_ERR_INVALID, eng_reader_offset(&c->r),
                 "type mismatch: expected %s, got %s", type_name(want), type_name(e.type));
        return false;
    }
    drop_ref(c, e);
    *out = e;
    return true;
}

static bool pop(compiler *c, uint8_t want, vs_entry *out) { return pop_ex(c, want, out, false); }

static bool emit_const(compiler *c, uint32_t dst, uint64_t bits) {
    if (bits <= UINT32_MAX)
        return emit_def(c, ENG_OP_CONST32, pack3(dst, 0, (uint32_t)bits), (uint16_t)dst);
    if (!emit_def(c, ENG_OP_CONST64, pack3(dst, 0, 0), (uint16_t)dst)) return false;
    size_t def = c->last_def;
    if (!emit_cell(c, bits)) return false;
    c->last_def = def;
    return true;
}

/* Writes entry i to its canonical slot if it is a pending constant or refers to a local. */
static bool materialize(compiler *c, uint32_t i) {
    vs_entry *e = &c->vs[i];
    if (e->is_const) {
        drop_ref(c, *e);
        e->is_const = false;
        return emit_const(c, e->slot, e->cval);
    }
    if (e->type == UNKNOWN_TYPE || e->slot >= c->S0) return true;
    uint32_t canon = c->S0 + i, local = e->slot;
    drop_ref(c, *e);
    e->slot = (uint16_t)canon;
    return emit_copy(c, canon, local);
}

static bool materialize_range(compiler *c, uint32_t from) {
    if (c->total_refs == 0 && c->total_consts == 0) return true;
    for (uint32_t i = from; i < c->nvs; i++)
        if (!materialize(c, i)) return false;
    return true;
}

static bool materialize_all(compiler *c) { return materialize_range(c, 0); }

/* Before local `x` is overwritten, every pending reference to it must be copied out. */
static bool materialize_local(compiler *c, uint32_t x) {
    if (c->local_refs[x] == 0) return true;
    for (uint32_t i = 0; i < c->nvs && c->local_refs[x] > 0; i++)
        if (c->vs[i].type != UNKNOWN_TYPE && c->vs[i].slot == x && !materialize(c, i)) return false;
    return true;
}

/* Re-pushes an entry popped earlier (keeping its slot), typed `t` if it was unknown. */
static bool repush(compiler *c, vs_entry e, uint8_t t) {
    if (!push(c, e.type == UNKNOWN_TYPE ? t : e.type)) return false;
    vs_entry *n = &c->vs[c->nvs - 1];
    if (e.is_const) {
        n->is_const = true;
        n->cval = e.cval;
        c->total_consts++;
        return true;
    }
    if (e.type != UNKNOWN_TYPE && e.slot < c->S0) {
        n->slot = e.slot;
        c->local_refs[e.slot]++;
        c->total_refs++;
    }
    return true;
}

static void truncate_stack(compiler *c, uint32_t h) {
    while (c->nvs > h) drop_ref(c, c->vs[--c->nvs]);
}

/* Pops n operands of the given types (top = last), storing the entries in out[0..n). */
static bool pop_types(compiler *c, const bst_valtype *types, uint32_t n, vs_entry *out) {
    for (uint32_t k = n; k-- > 0;)
        if (!pop(c, (uint8_t)types[k], &out[k])) return false;
    return true;
}

/* Checks that the top n operands have the given types and leaves them in place.  Operands of
 * the polymorphic stack's bottom type take types[k], or stay unknown with keep_unknown (br_table
 * checks one operand list against several labels).  Pending constants are materialised. */
static bool check_top(compiler *c, const bst_valtype *types, uint32_t n, bool keep_unknown) {
    if (n == 0) return true;
    vs_entry *tmp = malloc(n * sizeof *tmp);
    if (!tmp) return cfail(c, BST_ERR_NOMEM, "out of memory while compiling");
    bool ok = pop_types(c, types, n, tmp);
    for (uint32_t k = 0; ok && k < n; k++)
        ok = repush(c, tmp[k], keep_unknown ? UNKNOWN_TYPE : (uint8_t)types[k]);
    free(tmp);
    return ok;
}

static bool push_types(compiler *c, const bst_valtype *types, uint32_t n) {
    for (uint32_t k = 0; k < n; k++)
        if (!push(c, (uint8_t)types[k])) return false;
    return true;
}

/* ---- control frames and labels ------------------------------------------------------------ */

static uint32_t label_arity(const ctl_frame *f) {
    return f->kind == CTL_LOOP ? f->nparams : f->nresults;
}
static const bst_valtype *label_types(const ctl_frame *f) {
    return f->kind == CTL_LOOP ? f->params : f->results;
}

static bool push_ctl(compiler *c, uint8_t kind, uint32_t nparams, const bst_valtype *params,
                     uint32_t nresults, const bst_valtype *results) {
    if (c->nctl == c->capctl) {
        size_t cap = c->capctl;
        if (!grow(c, (void **)&c->ctl, &cap, (size_t)c->nctl + 1, sizeof(ctl_frame))) return false;
        c->capctl = (uint32_t)cap;
    }
    if (c->nctl > c->m->config.max_nesting) /* ctl[0] is the function body, not a block */
        return cfail(c, BST_ERR_LIMIT, "blocks nested too deeply");
    bool dead = c->nctl > 0 && !live(c);
    ctl_frame *f = &c->ctl[c->nctl++];
    memset(f, 0, sizeof *f);
    f->kind = kind;
    f->dead = dead;
    f->nparams = nparams;
    f->params = params;
    f->nresults = nresults;
    f->results = results;
    f->height = c->nvs - nparams;
    f->if_field = NO_DEF;
    refresh_live(c);
    return true;
}

static bool add_fixup(compiler *c, uint32_t ctl_index, size_t instr, size_t field) {
    if (!live(c)) return true;
    if (!grow(c, (void **)&c->fix, &c->capfix, c->nfix + 1, sizeof(fixup))) return false;
    ctl_frame *f = &c->ctl[ctl_index];
    c->fix[c->nfix].instr = instr;
    c->fix[c->nfix].field = field;
    c->fix[c->nfix].next = f->fixups;
    f->fixups = ++c->nfix;
    return true;
}

/* A branch whose target starts a metered block does the block's charge itself (ops.h: BR_FUEL,
 * BR_IF_NZ_LOOP, ...), saving a dispatch on every loop iteration and block entry; a conditional
 * branch whose next instruction is a FUEL as well (an `if`) charges on both paths (IF_Z_FUEL).
 * The charge is the same instruction's, so fuel use does not change. */
/* The record of the superinstruction whose last op is the branch at instr, or NULL when that
 * branch is an instruction of its own. */
static const fused_branch *fused_branch_at(const compiler *c, size_t instr) {
    size_t lo = 0, hi = c->nfused_br;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->fused_br[mid].instr < instr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < c->nfused_br && c->fused_br[lo].instr == instr ? &c->fused_br[lo] : NULL;
}

/* For each branch op, its variants into a FUEL block, into a FUEL_LOOP block and, for the
 * conditional ones, into FUEL both ways (ops.h: BR_FUEL, ...); 0: none (op 0 is no branch). */
enum { INTO_FUEL, INTO_LOOP, INTO_BOTH };
#define CMPBR_INTO(iop)                                                                            \
    [ENG_OP_BR_##iop] = {ENG_OP_BR_##iop##_FUEL, ENG_OP_BR_##iop##_LOOP, ENG_OP_IF_##iop##_FUEL},  \
    [ENG_OP_BR_##iop##_IMM] = {ENG_OP_BR_##iop##_IMM_FUEL, ENG_OP_BR_##iop##_IMM_LOOP,             \
                               ENG_OP_IF_##iop##_IMM_FUEL},
#define CMPBR_INTO_ROW(code, name, imm, how, iop, in, out, C, I, B, N, inv)                        \
    ENG_PICK_##B(CMPBR_INTO(iop), )
static const uint16_t k_into[ENG_OP__COUNT][3] = {
    [ENG_OP_BR] = {ENG_OP_BR_FUEL, ENG_OP_BR_LOOP, 0},
    [ENG_OP_BR_IF_NZ] = {ENG_OP_BR_IF_NZ_FUEL, ENG_OP_BR_IF_NZ_LOOP, ENG_OP_IF_NZ_FUEL},
    [ENG_OP_BR_IF_Z] = {ENG_OP_BR_IF_Z_FUEL, ENG_OP_BR_IF_Z_LOOP, ENG_OP_IF_Z_FUEL},
    [ENG_OP_COPY_BR] = {ENG_OP_COPY_BR_FUEL, ENG_OP_COPY_BR_LOOP, 0},
    [ENG_OP_COPY2_BR] = {ENG_OP_COPY2_BR_FUEL, ENG_OP_COPY2_BR_LOOP, 0},
    ENG_WASM_NUMERIC_OPS(CMPBR_INTO_ROW)};
#undef CMPBR_INTO_ROW
#undef CMPBR_INTO
#define COUNT_CMPBR_ROW(code, name, imm, how, iop, in, out, C, I, B, N, inv) ENG_PICK_##B(+2, )
enum { BRANCH_OPS = 5 ENG_WASM_NUMERIC_OPS(COUNT_CMPBR_ROW) }; /* the rows of k_into */
#undef COUNT_CMPBR_ROW
_Static_assert(2 * BRANCH_OPS <= BRANCH_BUCKETS, "the branch index stays at most half full");

/* The branches' handlers by address (open addressing, BRANCH_BUCKETS entries of op + 1): a
 * resolved branch finds its op without scanning the table above. */
static size_t branch_bucket(uint64_t handler) {
    return (size_t)((handler * 0x9E3779B97F4A7C15ull) >> 56) & (BRANCH_BUCKETS - 1);
}
static void index_branches(compiler *c) {
    for (size_t op = 0; op < ENG_OP__COUNT; op++) {
        if (!k_into[op][INTO_FUEL]) continue;
        size_t b = branch_bucket((uint64_t)(uintptr_t)c->handlers[op]);
        while (c->branch_ops[b]) b = (b + 1) & (BRANCH_BUCKETS - 1);
        c->branch_ops[b] = (uint16_t)(op + 1);
    }
}
/* The branch op whose handler is `handler`, or ENG_OP__COUNT. */
static eng_op branch_op(const compiler *c, uint64_t handler) {
    for (size_t b = branch_bucket(handler); c->branch_ops[b]; b = (b + 1) & (BRANCH_BUCKETS - 1))
        if ((uint64_t)(uintptr_t)c->handlers[c->branch_ops[b] - 1] == handler)
            return (eng_op)(c->branch_ops[b] - 1);
    return ENG_OP__COUNT;
}

static void enter_block_variant(compiler *c, size_t instr, size_t target) {
    const void *const *h = c->handlers;
    if (!c->meter || target >= c->ncode) return;
    uint64_t into = c->code[target];
    bool loop = into == (uint64_t)(uintptr_t)h[ENG_OP_FUEL_LOOP];
    if (!loop && into != (uint64_t)(uintptr_t)h[ENG_OP_FUEL]) return;
    const fused_branch *pair = fused_branch_at(c, instr);
    eng_op plain = !pair ? branch_op(c, c->code[instr]) : (eng_op)k_fused[pair->row].second;
    if (plain == ENG_OP__COUNT || !k_into[plain][INTO_FUEL]) return;
    eng_op op = (eng_op)k_into[plain][loop ? INTO_LOOP : INTO_FUEL];
    /* a conditional branch's fall-through is the instruction after its 3 cells */
    if (!loop && k_into[plain][INTO_BOTH] && instr + 3 < c->ncode &&
        c->code[instr + 3] == (uint64_t)(uintptr_t)h[ENG_OP_FUEL])
        op = (eng_op)k_into[plain][INTO_BOTH];
    if (!pair) {
        c->code[instr] = (uint64_t)(uintptr_t)h[op];
    } else {
        /* the same first op with the variant, if that pair exists (else the plain pair stays,
         * and the branch dispatches the block's charge) */
        eng_op fused = fused_op(c, (eng_op)k_fused[pair->row].first, op);
        if (fused != ENG_OP__COUNT) c->code[pair->handler_at] = (uint64_t)(uintptr_t)h[fused];
    }
}

static void patch_rel(compiler *c, size_t instr, size_t field, size_t target) {
    c->code[field] = (uint64_t)((int64_t)target - (int64_t)instr);
    enter_block_variant(c, instr, target);
}

/* A new branch target at the current position: earlier definitions may not be folded into. */
static void bind_here(compiler *c) {
    c->fuse.at = NO_DEF;
    c->last_def = NO_DEF;
    c->last_copy = NO_DEF;
    c->last_move = NO_DEF;
}

/* Starts a basic block for metering: a FUEL instruction whose cost cell accumulates the cost of
 * every wasm instruction until the next block start, charged before the block runs.  Loop heads
 * also poll for interruption (they are every back-edge's target). */
static bool start_block(compiler *c, bool loop_head) {
    if (!live(c)) return true;
    if (!c->meter) {
        c->fuel_cell = NO_DEF;
        if (loop_head) emit_op(c, ENG_OP_INTERRUPT_CHECK);
        return true;
    }
    /* count_instructions: COUNT [op][func] first, which adds the cost cell of the FUEL that
     * follows to the function's count (branches to the block land on COUNT) */
    if (c->count) {
        emit_op(c, ENG_OP_COUNT);
        if (!emit_cell(c, c->func_index)) return false;
    }
    emit_op(c, loop_head ? ENG_OP_FUEL_LOOP : ENG_OP_FUEL);
    if (!emit_cell(c, 0)) return false;
    c->fuel_cell = c->ncode - 1;
    return true;
}

/* Per-instruction fuel cost: 1 for every wasm instruction, so a budget reads as "instructions";
 * bulk operations additionally pay per 64 bytes/elements at run time. */
static void charge(compiler *c, uint32_t cost) {
    if (c->fuel_cell != NO_DEF && live(c)) c->code[c->fuel_cell] += cost;
}

/* Moves a branch's single value from slot src to slot dst.  When the instruction just emitted
 * produced it into a stack slot, that instruction writes dst instead ("destination folding" at
 * a branch): control leaves right after it, so nothing reads src again, and no other path
 * reaches the branch without passing a label (which clears last_def). */
static bool emit_branch_move(compiler *c, uint32_t dst, uint32_t src, bool single) {
    if (single && src >= c->S0 && c->last_def != NO_DEF && c->last_def_slot == src) {
        c->code[c->last_def] = (c->code[c->last_def] & ~(uint64_t)0xffff) | (dst & 0xffff);
        c->last_def = NO_DEF;
        return true;
    }
    return emit_copy(c, dst, src);
}

/* Copies the top `n` values to fp[0..n) and returns. */
static bool emit_return(compiler *c) {
    uint32_t n = c->ftype->nresults;
    if (!live(c)) return true;
    uint32_t base = c->nvs - n;
    /* a value in a result slot other than its own could be overwritten by the moves: copied
     * out first.  One already in its own slot (`local.get 0; return` for a first parameter)
     * stays: the moves write other slots only. */
    for (uint32_t k = 0; k < n; k++) {
        uint32_t slot = c->vs[base + k].slot;
        if (slot < n && slot != k && !materialize(c, base + k)) return false;
    }
    for (uint32_t k = 0; k < n; k++)
        if (c->vs[base + k].slot != k && !emit_branch_move(c, k, c->vs[base + k].slot, n == 1))
            return false;
    emit_op(c, ENG_OP_RETURN);
    return true;
}

static bool needs_moves(compiler *c, const ctl_frame *L) {
    uint32_t n = label_arity(L);
    for (uint32_t k = 0; k < n; k++)
        if (c->vs[c->nvs - n + k].slot != c->S0 + L->height + k) return true;
    return false;
}

static bool emit_moves(compiler *c, const ctl_frame *L) {
    uint32_t n = label_arity(L);
    for (uint32_t k = 0; k < n; k++) {
        uint32_t src = c->vs[c->nvs - n + k].slot, dst = c->S0 + L->height + k;
        if (src != dst && !emit_branch_move(c, dst, src, n == 1)) return false;
    }
    return true;
}

/* Emits an unconditional jump to label `li` (ctl index); values are already in place.  A jump
 * right after a COPY/COPY2 absorbs it (COPY_BR/COPY2_BR): loop back-edges end with phi moves. */
static bool emit_jump(compiler *c, uint32_t li) {
    size_t at;
    if (live(c) && c->last_move != NO_DEF && c->last_move + 2 == c->ncode) {
        at = c->last_move;
        bool two = c->code[at] == (uint64_t)(uintptr_t)c->handlers[ENG_OP_COPY2];
        c->code[at] = (uint64_t)(uintptr_t)c->handlers[two ? ENG_OP_COPY2_BR : ENG_OP_COPY_BR];
        c->last_move = c->last_copy = NO_DEF;
        c->fuse.at = NO_DEF;
    } else {
        at = emit_op(c, ENG_OP_BR);
    }
    if (!emit_cell(c, 0)) return false;
    if (!live(c)) return true;
    if (c->ctl[li].kind == CTL_LOOP) {
        patch_rel(c, at, c->ncode - 1, c->ctl[li].loop_start);
        return true;
    }
    return add_fixup(c, li, at, c->ncode - 1);
}

/* Full branch to label `li`: moves + jump, or the return sequence for the function label. */
static bool emit_branch(compiler *c, uint32_t li) {
    if (li == 0) return emit_return(c);
    return emit_moves(c, &c->ctl[li]) && emit_jump(c, li);
}

static bool read_label(compiler *c, uint32_t *li) {
    uint32_t depth;
    if (!eng_read_u32(&c->r, &depth)) return false;
    if (depth >= c->nctl) return cfail(c, BST_ERR_INVALID, "unknown label");
    *li = c->nctl - 1 - depth;
    return true;
}

static void set_unreachable(compiler *c) {
    ctl_frame *f = top_ctl(c);
    truncate_stack(c, f->height);
    f->unreachable = true;
    c->emitting = false;
}

/* ---- immediates --------------------------------------------------------------------------- */

static bool read_blocktype(compiler *c, uint32_t *np, const bst_valtype **p, uint32_t *nr,
                           const bst_valtype **res) {
    if (c->r.p >= c->r.end) return cfail(c, BST_ERR_MALFORMED, "unexpected end");
    uint8_t b = *c->r.p;
    *np = 0;
    *p = NULL;
    if (b == 0x40) {
        c->r.p++;
        *nr = 0;
        *res = NULL;
        return true;
    }
    if (b == BST_V128) return cfail(c, BST_ERR_UNSUPPORTED, "SIMD not supported");
    for (size_t i = 0; i < sizeof k_single_types / sizeof k_single_types[0]; i++) {
        if (k_single_types[i] == b) {
            c->r.p++;
            *nr = 1;
            *res = &k_single_types[i];
            return true;
        }
    }
    int64_t idx;
    if (!eng_read_sleb(&c->r, 33, &idx)) return false;
    if (idx < 0) return cfail(c, BST_ERR_MALFORMED, "malformed value type");
    if ((uint64_t)idx >= c->m->ntypes) return cfail(c, BST_ERR_INVALID, "unknown type");
    const eng_ftype *t = &c->m->types[idx];
    *np = t->nparams;
    *p = t->types;
    *nr = t->nresults;
    *res = t->types + t->nparams;
    return true;
}

static bool read_memarg(compiler *c, uint32_t max_align, uint32_t *offset) {
    uint32_t align;
    if (!eng_read_u32(&c->r, &align) || !eng_read_u32(&c->r, offset)) return false;
    if (c->m->nmemories == 0) return cfail(c, BST_ERR_INVALID, "unknown memory 0");
    if (align > max_align)
        return cfail(c, BST_ERR_INVALID, "alignment must not be larger than natural");
    return true;
}

static bool read_zero_byte(compiler *c) {
    uint8_t b;
    if (!eng_read_u8(&c->r, &b)) return false;
    if (b != 0) return cfail(c, BST_ERR_MALFORMED, "zero byte expected");
    return true;
}

static bool need_memory(compiler *c) {
    if (c->m->nmemories == 0) return cfail(c, BST_ERR_INVALID, "unknown memory 0");
    return true;
}

static bool read_table(compiler *c, uint32_t *t) {
    if (!eng_read_u32(&c->r, t)) return false;
    if (*t >= c->m->ntables) return cfail(c, BST_ERR_INVALID, "unknown table");
    return true;
}

static bool read_elem(compiler *c, uint32_t *e) {
    if (!eng_read_u32(&c->r, e)) return false;
    if (*e >= c->m->nelems) return cfail(c, BST_ERR_INVALID, "unknown elem segment");
    return true;
}

static bool read_data(compiler *c, uint32_t *d) {
    if (!eng_read_u32(&c->r, d)) return false;
    if (!c->m->has_datacount) return cfail(c, BST_ERR_MALFORMED, "data count section required");
    if (*d >= c->m->datacount) return cfail(c, BST_ERR_INVALID, "unknown data segment");
    return true;
}

/* ---- the instruction table ---------------------------------------------------------------- */

/* What the compiler uses of a row of the instruction table (ops.h).  Each wasm instruction is
 * compiled by the compile_<how>() function its row names, which reads the immediates, does the
 * validation and emits code. */
typedef struct op_info op_info;
typedef bool compile_fn(compiler *c, const op_info *op);
struct op_info {
    compile_fn *compile;         /* NULL: not an instruction */
    uint16_t iop;                /* eng_op emitted, ENG_OP__COUNT for none */
    uint16_t iop_imm;            /* flag I: its immediate form */
    uint16_t br, br_imm;         /* flag B: the fused branch taken when the comparison holds */
    uint16_t br_not, br_not_imm; /* flag B: the one taken when it does not (the inverse's) */
    uint8_t imm;                 /* eng_imm */
    uint8_t in, out;             /* fixed operand / result type, 0 where not fixed */
    uint8_t flags;               /* ENG_FLAG_* */
};

/* ---- numeric instructions ----------------------------------------------------------------- */

/* Deterministic mode: rewrite a NaN result of an operation whose NaN bits the spec leaves open
 * (flag N) to the canonical NaN.  CANON is itself a definition, so a following local.set still
 * folds into it. */
static bool canonicalize(compiler *c, const op_info *op, uint16_t dst) {
    if (!c->m->config.canonicalize_nans || !(op->flags & ENG_FLAG_N)) return true;
    return emit_def(c, op->out == BST_F32 ? ENG_OP_CANON32 : ENG_OP_CANON64, pack3(dst, dst, 0),
                    dst);
}

static bool compile_unary(compiler *c, const op_info *op) {
    vs_entry a;
    if (!pop(c, op->in, &a) || !push(c, op->out)) return false;
    uint16_t dst = c->vs[c->nvs - 1].slot;
    size_t at = c->ncode;
    fuse_point before = c->fuse;
    if (!emit_def(c, op->iop, pack3(dst, a.slot, 0), dst)) return false;
    if (live(c) && (op->flags & ENG_FLAG_Z)) {
        c->cmp_instr = at;
        c->cmp_fuse = before;
        c->cmp_is_eqz = true;
    }
    return canonicalize(c, op, dst);
}

/* Emits a conditional branch on `cond` (taken when it is non-zero, or zero if !when_true) with an
 * empty rel cell at position+2; fuses with the comparison that produced cond when that was the
 * last instruction emitted.  Returns the instruction position. */
static size_t emit_cond_branch(compiler *c, vs_entry cond, bool when_true, bool *ok) {
    uint64_t operand = cond.slot;
    eng_op op = when_true ? ENG_OP_BR_IF_NZ : ENG_OP_BR_IF_Z;
    if (live(c) && c->cmp_instr != NO_DEF && !cond.is_const && cond.slot >= c->S0 &&
        c->last_def == c->cmp_instr + 1 && c->last_def_slot == cond.slot &&
        c->ncode == c->cmp_instr + 2) {
        uint64_t cell = c->code[c->cmp_instr + 1];
        c->ncode = c->cmp_instr; /* the comparison's result is only consumed by this branch */
        c->fuse = c->cmp_fuse;
        if (c->cmp_is_eqz) {
            operand = (cell >> 16) & 0xffff;
            op = when_true ? ENG_OP_BR_IF_Z : ENG_OP_BR_IF_NZ;
        } else {
            operand = cell;
            op = when_true ? c->cmp_true : c->cmp_false;
        }
    }
    c->cmp_instr = NO_DEF;
    size_t at = emit_op(c, op);
    *ok = emit_cell(c, operand) && emit_cell(c, 0);
    if (*ok && c->last_fused) {
        *ok =
            grow(c, (void **)&c->fused_br, &c->capfused_br, c->nfused_br + 1, sizeof *c->fused_br);
        if (*ok) c->fused_br[c->nfused_br++] = c->last_fused_as;
    }
    return at;
}

static bool compile_binary(compiler *c, const op_info *op) {
    vs_entry a, b;
    const vs_entry *top = c->nvs > top_ctl(c)->height ? &c->vs[c->nvs - 1] : NULL;
    bool imm = (op->flags & ENG_FLAG_I) && top && top->is_const &&
               (op->in == BST_I32 || (int64_t)top->cval == (int64_t)(int32_t)(uint32_t)top->cval);
    if (!pop_ex(c, op->in, &b, imm) || !pop(c, op->in, &a) || !push(c, op->out)) return false;
    uint16_t dst = c->vs[c->nvs - 1].slot;
    size_t at = c->ncode;
    fuse_point before = c->fuse;
    if (!emit_def(c, imm ? op->iop_imm : op->iop,
                  pack3(dst, a.slot, imm ? (uint32_t)b.cval : b.slot), dst))
        return false;
    if (live(c) && (op->flags & ENG_FLAG_B)) {
        c->cmp_instr = at;
        c->cmp_fuse = before;
        c->cmp_is_eqz = false;
        c->cmp_true = imm ? op->br_imm : op->br;
        c->cmp_false = imm ? op->br_not_imm : op->br_not;
    }
    return canonicalize(c, op, dst);
}

/* Constants are not emitted when pushed: they stay pending on the virtual stack so that the
 * consumer can take them as an immediate (or local.set can write them straight to the local). */
static bool op_const(compiler *c, uint8_t type, uint64_t bits) {
    if (!push(c, type)) return false;
    vs_entry *e = &c->vs[c->nvs - 1];
    e->is_const = true;
    e->cval = bits;
    c->total_consts++;
    return true;
}

/* i32/i64/f32/f64.const: the immediate's shape says how to read it. */
static bool compile_const(compiler *c, const op_info *op) {
    uint8_t b[8];
    int64_t v = 0;
    uint64_t bits = 0;
    switch (op->imm) {
    case ENG_IMM_I32:
        if (!eng_read_sleb(&c->r, 32, &v)) return false;
        bits = (uint32_t)v;
        break;
    case ENG_IMM_I64:
        if (!eng_read_sleb(&c->r, 64, &v)) return false;
        bits = (uint64_t)v;
        break;
    case ENG_IMM_F32:
        if (!eng_read_fixed(&c->r, b, 4)) return false;
        bits = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
        break;
    default: /* ENG_IMM_F64 */
        if (!eng_read_fixed(&c->r, b, 8)) return false;
        for (int k = 7; k >= 0; k--) bits = bits << 8 | b[k];
        break;
    }
    return op_const(c, op->out, bits);
}

/* ---- memory ------------------------------------------------------------------------------- */

/* The largest alignment (log2 bytes) a memarg of this shape may declare: the access size. */
static uint32_t natural_align(uint8_t imm) {
    switch (imm) {
    case ENG_IMM_MEMARG1: return 0;
    case ENG_IMM_MEMARG2: return 1;
    case ENG_IMM_MEMARG4: return 2;
    default: return 3; /* ENG_IMM_MEMARG8 */
    }
}

static bool compile_load(compiler *c, const op_info *op) {
    uint32_t offset;
    vs_entry addr;
    if (!read_memarg(c, natural_align(op->imm), &offset) || !pop(c, op->in, &addr) ||
        !push(c, op->out))
        return false;
    uint16_t dst = c->vs[c->nvs - 1].slot;
    return emit_def(c, op->iop, pack3(dst, addr.slot, offset), dst);
}

static bool compile_store(compiler *c, const op_info *op) {
    uint32_t offset;
    vs_entry addr, val;
    if (!read_memarg(c, natural_align(op->imm), &offset) || !pop(c, op->in, &val) ||
        !pop(c, BST_I32, &addr))
        return false;
    emit_op(c, op->iop);
    return emit_cell(c, pack3(val.slot, addr.slot, offset));
}

static bool compile_memory_size(compiler *c, const op_info *op) {
    if (!read_zero_byte(c) || !need_memory(c) || !push(c, op->out)) return false;
    uint16_t dst = c->vs[c->nvs - 1].slot;
    return emit_def(c, op->iop, pack3(dst, 0, 0), dst);
}

static bool compile_memory_grow(compiler *c, const op_info *op) {
    vs_entry d;
    if (!read_zero_byte(c) || !need_memory(c) || !pop(c, op->in, &d) || !push(c, op->out))
        return false;
    uint16_t dst = c->vs[c->nvs - 1].slot;
    return emit_def(c, op->iop, pack3(dst, d.slot, 0), dst);
}

/* Three operands (dst/src/len style bulk ops) plus one immediate cell. */
static bool op_bulk3(compiler *c, eng_op op, uint8_t t0, uint8_t t1, uint8_t t2, uint64_t imm,
                     bool has_imm) {
    vs_entry a, b, n;
    if (!pop(c, t2, &n) || !pop(c, t1, &b) || !pop(c, t0, &a)) return false;
    emit_op(c, op);
    if (!emit_cell(c, pack3(a.slot, b.slot, n.slot))) return false;
    return !has_imm || emit_cell(c, imm);
}

static bool compile_memory_init(compiler *c, const op_info *op) {
    uint32_t d;
    if (!read_data(c, &d) || !read_zero_byte(c) || !need_memory(c)) return false;
    return op_bulk3(c, op->iop, op->in, op->in, op->in, d, true);
}

static bool compile_data_drop(compiler *c, const op_info *op) {
    uint32_t d;
    if (!read_data(c, &d)) return false;
    emit_op(c, op->iop);
    return emit_cell(c, d);
}

static bool compile_memory_copy(compiler *c, const op_info *op) {
    if (!read_zero_byte(c) || !read_zero_byte(c) || !need_memory(c)) return false;
    return op_bulk3(c, op->iop, op->in, op->in, op->in, 0, false);
}

static bool compile_memory_fill(compiler *c, const op_info *op) {
    if (!read_zero_byte(c) || !need_memory(c)) return false;
    return op_bulk3(c, op->iop, op->in, op->in, op->in, 0, false);
}

/* ---- tables and references ---------------------------------------------------------------- */

static bool compile_table_get(compiler *c, const op_info *op) {
    uint32_t t;
    vs_entry i;
    if (!read_table(c, &t) || !pop(c, BST_I32, &i) || !push(c, (uint8_t)c->m->tables[t].elem))
        return false;
    uint16_t dst = c->vs[c->nvs - 1].slot;
    return emit_def(c, op->iop, pack3(dst, i.slot, t), dst);
}

static bool compile_table_set(compiler *c, const op_info *op) {
    uint32_t t;
    vs_entry i, v;
    if (!read_table(c, &t) || !pop(c, (uint8_t)c->m->tables[t].elem, &v) || !pop(c, BST_I32, &i))
        return false;
    emit_op(c, op->iop);
    return emit_cell(c, pack3(v.slot, i.slot, t));
}

static bool compile_table_init(compiler *c, const op_info *op) {
    uint32_t e, t;
    if (!read_elem(c, &e) || !read_table(c, &t)) return false;
    if (c->m->elems[e].type != c->m->tables[t].elem)
        return cfail(c, BST_ERR_INVALID, "type mismatch: table.init element type");
    return op_bulk3(c, op->iop, op->in, op->in, op->in, e | (uint64_t)t << 32, true);
}

static bool compile_elem_drop(compiler *c, const op_info *op) {
    uint32_t e;
    if (!read_elem(c, &e)) return false;
    emit_op(c, op->iop);
    return emit_cell(c, e);
}

static bool compile_table_copy(compiler *c, const op_info *op) {
    uint32_t dt, st;
    if (!read_table(c, &dt) || !read_table(c, &st)) return false;
    if (c->m->tables[dt].elem != c->m->tables[st].elem)
        return cfail(c, BST_ERR_INVALID, "type mismatch: table.copy element types");
    return op_bulk3(c, op->iop, op->in, op->in, op->in, dt | (uint64_t)st << 32, true);
}

static bool compile_table_grow(compiler *c, const op_info *op) {
    uint32_t t;
    vs_entry n, init;
    if (!read_table(c, &t) || !pop(c, BST_I32, &n) ||
        !pop(c, (uint8_t)c->m->tables[t].elem, &init) || !push(c, op->out))
        return false;
    uint16_t dst = c->vs[c->nvs - 1].slot;
    if (!emit_def(c, op->iop, pack3(dst, init.slot, n.slot), dst)) return false;
    size_t def = c->last_def;
    if (!emit_cell(c, t)) return false;
    c->last_def = def;
    return true;
}

static bool compile_table_size(compiler *c, const op_info *op) {
    uint32_t t;
    if (!read_table(c, &t) || !push(c, op->out)) return false;
    uint16_t dst = c->vs[c->nvs - 1].slot;
    return emit_def(c, op->iop, pack3(dst, 0, t), dst);
}

static bool compile_table_fill(compiler *c, const op_info *op) {
    uint32_t t;
    if (!read_table(c, &t)) return false;
    return op_bulk3(c, op->iop, BST_I32, (uint8_t)c->m->tables[t].elem, BST_I32, t, true);
}

static bool compile_ref_null(compiler *c, const op_info *op) {
    (void)op;
    uint8_t t;
    if (!eng_read_u8(&c->r, &t)) return false;
    if (!eng_is_reftype((bst_valtype)t))
        return cfail(c, BST_ERR_MALFORMED, "malformed reference type");
    return op_const(c, t, 0);
}

static bool compile_ref_is_null(compiler *c, const op_info *op) {
    vs_entry v;
    if (!pop(c, UNKNOWN_TYPE, &v)) return false;
    if (v.type != UNKNOWN_TYPE && !eng_is_reftype((bst_valtype)v.type))
        return cfail(c, BST_ERR_INVALID, "type mismatch: ref.is_null on a non-reference");
    if (!push(c, op->out)) return false;
    uint16_t dst = c->vs[c->nvs - 1].slot;
    return emit_def(c, op->iop, pack3(dst, v.slot, 0), dst);
}

static bool compile_ref_func(compiler *c, const op_info *op) {
    uint32_t fi;
    if (!eng_read_u32(&c->r, &fi)) return false;
    if (fi >= c->m->nfuncs) return cfail(c, BST_ERR_INVALID, "unknown function");
    if (!c->m->func_declared || !c->m->func_declared[fi])
        return cfail(c, BST_ERR_INVALID, "undeclared function reference");
    if (!push(c, op->out)) return false;
    uint16_t dst = c->vs[c->nvs - 1].slot;
    return emit_def(c, op->iop, pack3(dst, 0, fi), dst);
}

/* ---- variables and parametric instructions ------------------------------------------------ */

static bool read_local(compiler *c, uint32_t *x) {
    if (!eng_read_u32(&c->r, x)) return false;
    if (*x >= c->nlocals_total) return cfail(c, BST_ERR_INVALID, "unknown local");
    return true;
}

static bool compile_local_get(compiler *c, const op_info *op) {
    (void)op;
    uint32_t x;
    if (!read_local(c, &x)) return false;
    vs_entry ref = {.type = (uint8_t)c->local_types[x], .slot = (uint16_t)x};
    if (!live(c)) return push(c, ref.type);
    return repush(c, ref, ref.type);
}

/* local.set / local.tee of local x. */
static bool op_local_set(compiler *c, uint32_t x, bool tee) {
    uint8_t t = (uint8_t)c->local_types[x];
    vs_entry v;
    if (!pop_ex(c, t, &v, true)) return false;
    if (!live(c)) return tee ? push(c, t) : true;
    if (v.is_const) { /* write the constant straight into the local */
        if (!materialize_local(c, x) || !emit_const(c, x, v.cval)) return false;
        c->last_def = NO_DEF;
        return tee ? repush(c, v, t) : true;
    }
    if (v.slot == x) /* local.get x; local.set x */
        return tee ? repush(c, v, t) : true;
    bool canonical = v.slot >= c->S0;
    if (canonical && c->last_def != NO_DEF && c->last_def_slot == v.slot && c->local_refs[x] == 0) {
        /* fold: make the producer write the local directly */
        c->code[c->last_def] = (c->code[c->last_def] & ~(uint64_t)0xffff) | x;
        c->last_def = NO_DEF;
        if (!tee) return true;
        vs_entry ref = {.type = t, .slot = (uint16_t)x};
        return repush(c, ref, t);
    }
    if (!materialize_local(c, x)) return false;
    if (!emit_copy(c, x, v.slot)) return false;
    return tee ? repush(c, v, t) : true;
}

static bool compile_local_set(compiler *c, const op_info *op) {
    (void)op;
    uint32_t x;
    return read_local(c, &x) && op_local_set(c, x, false);
}

static bool compile_local_tee(compiler *c, const op_info *op) {
    (void)op;
    uint32_t x;
    return read_local(c, &x) && op_local_set(c, x, true);
}

static bool read_global(compiler *c, uint32_t *g) {
    if (!eng_read_u32(&c->r, g)) return false;
    if (*g >= c->m->nglobals) return cfail(c, BST_ERR_INVALID, "unknown global");
    return true;
}

static bool compile_global_get(compiler *c, const op_info *op) {
    uint32_t g;
    if (!read_global(c, &g) || !push(c, (uint8_t)c->m->globals[g].type)) return false;
    uint16_t dst = c->vs[c->nvs - 1].slot;
    return emit_def(c, op->iop, pack3(dst, 0, g), dst);
}

static bool compile_global_set(compiler *c, const op_info *op) {
    uint32_t g;
    vs_entry v;
    if (!read_global(c, &g)) return false;
    if (!c->m->globals[g].mut) return cfail(c, BST_ERR_INVALID, "global is immutable");
    if (!pop(c, (uint8_t)c->m->globals[g].type, &v)) return false;
    emit_op(c, op->iop);
    return emit_cell(c, pack3(v.slot, 0, g));
}

static bool compile_drop(compiler *c, const op_info *op) {
    (void)op;
    vs_entry v;
    return pop(c, UNKNOWN_TYPE, &v);
}

/* select with operand type `want` (UNKNOWN_TYPE: untyped select, which takes the operands'
 * type and is restricted to numeric types). */
static bool op_select(compiler *c, const op_info *op, uint8_t want) {
    vs_entry cond, a, b;
    if (!pop(c, BST_I32, &cond) || !pop(c, want, &b) || !pop(c, want, &a)) return false;
    uint8_t t = want;
    if (want == UNKNOWN_TYPE) {
        if (a.type != UNKNOWN_TYPE && b.type != UNKNOWN_TYPE && a.type != b.type)
            return cfail(c, BST_ERR_INVALID, "type mismatch: select operands differ");
        t = a.type != UNKNOWN_TYPE ? a.type : b.type;
        if (eng_is_reftype((bst_valtype)t))
            return cfail(c, BST_ERR_INVALID, "type mismatch: select without type on references");
    }
    if (!push(c, t)) return false;
    uint16_t dst = c->vs[c->nvs - 1].slot;
    return emit_def(c, op->iop, pack3(dst, a.slot, b.slot) | (uint64_t)cond.slot << 48, dst);
}

static bool compile_select(compiler *c, const op_info *op) {
    return op_select(c, op, UNKNOWN_TYPE);
}

static bool compile_select_t(compiler *c, const op_info *op) {
    uint32_t n;
    uint8_t t;
    if (!eng_read_u32(&c->r, &n)) return false;
    if (n != 1) return cfail(c, BST_ERR_INVALID, "invalid result arity");
    if (!eng_read_u8(&c->r, &t)) return false;
    if (t == BST_V128) return cfail(c, BST_ERR_UNSUPPORTED, "SIMD not supported");
    if (!eng_is_valtype(t)) return cfail(c, BST_ERR_MALFORMED, "malformed value type");
    return op_select(c, op, t);
}

/* ---- control ------------------------------------------------------------------------------ */

static bool compile_unreachable(compiler *c, const op_info *op) {
    emit_op(c, op->iop);
    set_unreachable(c);
    return true;
}

static bool compile_nop(compiler *c, const op_info *op) {
    (void)c;
    (void)op;
    return true;
}

/* block, loop and if: reads the block type, checks the params (and pops if's condition into
 * *cond), and pushes the control frame. */
static bool enter_block(compiler *c, uint8_t kind, vs_entry *cond) {
    uint32_t np, nr;
    const bst_valtype *pt, *rt;
    if (!read_blocktype(c, &np, &pt, &nr, &rt)) return false;
    if (kind == CTL_IF && !pop(c, BST_I32, cond)) return false;
    if (!check_top(c, pt, np, false)) return false;
    if (live(c) && !materialize_all(c)) return false;
    if (!push_ctl(c, kind, np, pt, nr, rt)) return false;
    bind_here(c);
    return true;
}

static bool compile_block(compiler *c, const op_info *op) {
    (void)op;
    return enter_block(c, CTL_BLOCK, NULL);
}

static bool compile_loop(compiler *c, const op_info *op) {
    (void)op;
    if (!enter_block(c, CTL_LOOP, NULL)) return false;
    top_ctl(c)->loop_start = c->ncode;
    return start_block(c, true);
}

static bool compile_if(compiler *c, const op_info *op) {
    (void)op;
    vs_entry cond = {.type = 0};
    bool ok;
    /* The if's own branch is no branch target (its block starts after it): when entering the
     * block emitted nothing, the comparison producing the condition may still fuse into it. */
    size_t def = c->last_def, before = c->ncode;
    uint16_t def_slot = c->last_def_slot;
    if (!enter_block(c, CTL_IF, &cond)) return false;
    if (c->ncode == before) {
        c->last_def = def;
        c->last_def_slot = def_slot;
    }
    size_t at = emit_cond_branch(c, cond, false, &ok);
    if (!ok) return false;
    ctl_frame *f = top_ctl(c);
    f->if_instr = at;
    f->if_field = live(c) ? at + 2 : NO_DEF;
    return start_block(c, false);
}

static bool compile_else(compiler *c, const op_info *op) {
    (void)op;
    ctl_frame *f = top_ctl(c);
    if (f->kind != CTL_IF) return cfail(c, BST_ERR_INVALID, "else without if");
    if (!check_top(c, f->results, f->nresults, false)) return false;
    if (c->nvs != f->height + f->nresults)
        return cfail(c, BST_ERR_INVALID, "type mismatch: values remaining at else");
    if (live(c) && !materialize_range(c, f->height)) return false;
    if (!emit_jump(c, c->nctl - 1)) return false;
    truncate_stack(c, f->height);
    f->unreachable = false;
    refresh_live(c);
    f->kind = CTL_ELSE;
    size_t here = c->ncode;
    bind_here(c);
    /* the else arm's FUEL first, so that the if's branch is patched knowing its target */
    if (!start_block(c, false)) return false;
    if (f->if_field != NO_DEF) patch_rel(c, f->if_instr, f->if_field, here);
    f->if_field = NO_DEF;
    /* the else arm starts from the block's params, still in canonical slots */
    for (uint32_t k = 0; k < f->nparams; k++)
        if (!push(c, (uint8_t)f->params[k])) return false;
    return true;
}

/* Ends the innermost block; at the function's own end, c->nctl drops to 0. */
static bool compile_end(compiler *c, const op_info *op) {
    (void)op;
    ctl_frame *f = top_ctl(c);
    if (!check_top(c, f->results, f->nresults, false)) return false;
    if (c->nvs != f->height + f->nresults)
        return cfail(c, BST_ERR_INVALID, "type mismatch: values remaining at end of block");
    if (f->kind == CTL_IF) {
        /* no else: the implicit else passes the params through unchanged */
        if (f->nparams != f->nresults ||
            (f->nparams && memcmp(f->params, f->results, f->nparams * sizeof *f->params)))
            return cfail(c, BST_ERR_INVALID, "type mismatch: if without else");
    }
    if (f->kind == CTL_FUNC) {
        if (!emit_return(c)) return false;
        c->nctl--;
        refresh_live(c);
        if (c->r.p != c->r.end)
            return cfail(c, BST_ERR_MALFORMED, "operators remaining after end of function");
        return true;
    }
    if (live(c) && !materialize_range(c, f->height)) return false;
    uint32_t height = f->height, nres = f->nresults;
    const bst_valtype *res = f->results;
    c->nctl--;
    refresh_live(c);
    size_t here = c->ncode;
    bind_here(c);
    truncate_stack(c, height);
    if (!push_types(c, res, nres)) return false;
    /* the block's FUEL first, so that the branches are patched knowing their target */
    if (!start_block(c, false)) return false;
    if (f->if_field != NO_DEF) patch_rel(c, f->if_instr, f->if_field, here);
    for (size_t k = f->fixups; k; k = c->fix[k - 1].next)
        patch_rel(c, c->fix[k - 1].instr, c->fix[k - 1].field, here);
    return true;
}

static bool compile_br(compiler *c, const op_info *op) {
    (void)op;
    uint32_t li;
    if (!read_label(c, &li)) return false;
    ctl_frame *L = &c->ctl[li];
    uint32_t n = label_arity(L);
    if (!check_top(c, label_types(L), n, false) || !emit_branch(c, li)) return false;
    set_unreachable(c);
    return true;
}

static bool compile_br_if(compiler *c, const op_info *op) {
    (void)op;
    uint32_t li;
    vs_entry cond;
    if (!read_label(c, &li) || !pop(c, BST_I32, &cond)) return false;
    ctl_frame *L = &c->ctl[li];
    uint32_t n = label_arity(L);
    if (!check_top(c, label_types(L), n, false)) return false;
    if (!live(c)) return true;
    bool ok;
    if (li != 0 && !needs_moves(c, L)) {
        size_t at = emit_cond_branch(c, cond, true, &ok);
        if (!ok) return false;
        if (c->ctl[li].kind == CTL_LOOP)
            patch_rel(c, at, at + 2, c->ctl[li].loop_start);
        else if (!add_fixup(c, li, at, at + 2))
            return false;
    } else {
        /* taken path needs copies: skip over them when the condition is false */
        size_t at = emit_cond_branch(c, cond, false, &ok);
        if (!ok || !emit_branch(c, li)) return false;
        patch_rel(c, at, at + 2, c->ncode);
        bind_here(c);
    }
    return true;
}

/* br_table's jump table: one rel cell per label (the default last); a label that needs value
 * moves gets a stub after the table (moves + jump). */
static bool emit_br_table(compiler *c, eng_op op, vs_entry idx, const uint32_t *labels,
                          uint32_t count) {
    size_t at = emit_op(c, op);
    bool ok = emit_cell(c, (uint64_t)idx.slot | (uint64_t)count << 32);
    size_t table = c->ncode;
    for (uint32_t k = 0; ok && k <= count; k++) ok = emit_cell(c, 0);
    for (uint32_t k = 0; ok && k <= count; k++) {
        uint32_t li = labels[k];
        const ctl_frame *L = &c->ctl[li];
        if (li != 0 && !needs_moves(c, L)) {
            if (L->kind == CTL_LOOP)
                patch_rel(c, at, table + k, L->loop_start);
            else
                ok = add_fixup(c, li, at, table + k);
        } else {
            patch_rel(c, at, table + k, c->ncode); /* a stub: moves + jump */
            bind_here(c);
            ok = emit_branch(c, li);
        }
    }
    return ok;
}

static bool compile_br_table(compiler *c, const op_info *op) {
    uint32_t count;
    if (!eng_read_u32(&c->r, &count)) return false;
    if (count > (size_t)(c->r.end - c->r.p)) return cfail(c, BST_ERR_MALFORMED, "unexpected end");
    uint32_t *labels = malloc(((size_t)count + 1) * sizeof *labels);
    if (!labels) return cfail(c, BST_ERR_NOMEM, "out of memory while compiling");
    bool ok = true;
    for (uint32_t k = 0; ok && k <= count; k++) ok = read_label(c, &labels[k]);
    vs_entry idx;
    ok = ok && pop(c, BST_I32, &idx);
    uint32_t n = ok ? label_arity(&c->ctl[labels[count]]) : 0;
    for (uint32_t k = 0; ok && k <= count; k++) {
        const ctl_frame *L = &c->ctl[labels[k]];
        if (label_arity(L) != n) {
            ok = cfail(c, BST_ERR_INVALID, "type mismatch: br_table arity");
            break;
        }
        ok = check_top(c, label_types(L), n, true);
    }
    if (ok && live(c)) ok = emit_br_table(c, op->iop, idx, labels, count);
    free(labels);
    if (!ok) return false;
    set_unreachable(c);
    return true;
}

static bool compile_return(compiler *c, const op_info *op) {
    (void)op;
    uint32_t n = c->ftype->nresults;
    if (!check_top(c, c->ftype->types + c->ftype->nparams, n, false) || !emit_return(c))
        return false;
    set_unreachable(c);
    return true;
}

static bool op_call(compiler *c, eng_op op, const eng_ftype *ft, uint64_t operand_hi,
                    uint64_t extra, bool has_extra, vs_entry *index) {
    /* arguments must sit in canonical slots: the callee's frame starts at the first one */
    uint32_t n = ft->nparams;
    uint32_t first = c->nvs >= n ? c->nvs - n : 0;
    if (first < top_ctl(c)->height) first = top_ctl(c)->height;
    if (live(c) && !materialize_range(c, first)) return false;
    vs_entry *args = NULL;
    vs_entry tmp[8];
    args = n <= 8 ? tmp : malloc(n * sizeof *args);
    if (!args) return cfail(c, BST_ERR_NOMEM, "out of memory while compiling");
    bool ok = pop_types(c, ft->types, n, args);
    if (args != tmp) free(args);
    if (!ok) return false;
    uint32_t base = c->S0 + c->nvs;
    if (base >= MAX_SLOTS) return cfail(c, BST_ERR_LIMIT, "function frame too large");
    emit_op(c, op);
    uint64_t cell = !index ? ((uint64_t)base | operand_hi << 32) /* CALL, CALL_IMPORT */
                           : pack3(index->slot, base, (uint32_t)operand_hi);
    if (!emit_cell(c, cell)) return false;
    if (has_extra && !emit_cell(c, extra)) return false;
    return push_types(c, ft->types + ft->nparams, ft->nresults);
}

static bool compile_call(compiler *c, const op_info *op) {
    const bst_module *m = c->m;
    uint32_t fi;
    if (!eng_read_u32(&c->r, &fi)) return false;
    if (fi >= m->nfuncs) return cfail(c, BST_ERR_INVALID, "unknown function");
    /* a function of the module itself runs in this instance and was compiled here: CALL skips
     * the checks for a host function or another instance's (interp.c) */
    eng_op iop = fi < m->nimported_funcs ? ENG_OP_CALL_IMPORT : op->iop;
    return op_call(c, iop, &m->types[m->funcs[fi].type], fi, 0, false, NULL);
}

static bool compile_call_indirect(compiler *c, const op_info *op) {
    const bst_module *m = c->m;
    uint32_t ti, tab;
    vs_entry index;
    if (!eng_read_u32(&c->r, &ti) || !eng_read_u32(&c->r, &tab)) return false;
    if (tab >= m->ntables) return cfail(c, BST_ERR_INVALID, "unknown table");
    if (ti >= m->ntypes) return cfail(c, BST_ERR_INVALID, "unknown type");
    if (m->tables[tab].elem != BST_FUNCREF)
        return cfail(c, BST_ERR_INVALID, "type mismatch: call_indirect on a non-funcref table");
    if (!pop(c, BST_I32, &index)) return false;
    /* the index sits above the arguments (or in a local): materialising the arguments cannot
     * overwrite it */
    return op_call(c, op->iop, &m->types[ti], ti, tab, true, &index);
}

static bool compile_simd(compiler *c, const op_info *op) {
    (void)op;
    return cfail(c, BST_ERR_UNSUPPORTED, "SIMD not supported");
}

/* ---- dispatch ----------------------------------------------------------------------------- */

/* One op_info per row of the instruction table, indexed by opcode (0xFC-prefixed: by
 * sub-opcode); opcodes without a row are zero, i.e. no compile function. */
#define ENG_X_ROW(code, name, imm, how, iop, in, out, C, I, B, N, inv)                             \
    [code] = {compile_##how,                                                                       \
              ENG_OP_##iop,                                                                        \
              ENG_PICK_##I(ENG_OP_##iop##_IMM, ENG_OP__COUNT),                                     \
              ENG_PICK_##B(ENG_OP_BR_##iop, ENG_OP__COUNT),                                        \
              ENG_PICK_##B(ENG_OP_BR_##iop##_IMM, ENG_OP__COUNT),                                  \
              ENG_PICK_##B(ENG_OP_BR_##inv, ENG_OP__COUNT),                                        \
              ENG_PICK_##B(ENG_OP_BR_##inv##_IMM, ENG_OP__COUNT),                                  \
              ENG_IMM_##imm,                                                                       \
              ENG_VT_##in,                                                                         \
              ENG_VT_##out,                                                                        \
              ENG_FLAGS(C, I, B, N)},
static const op_info k_fc_ops[] = {ENG_WASM_FC_OPS(ENG_X_ROW)};

static bool compile_prefix_fc(compiler *c, const op_info *op) {
    (void)op;
    uint32_t sub;
    if (!eng_read_u32(&c->r, &sub)) return false;
    if (sub >= sizeof k_fc_ops / sizeof k_fc_ops[0] || !k_fc_ops[sub].compile)
        return cfail(c, BST_ERR_MALFORMED, "illegal opcode");
    return k_fc_ops[sub].compile(c, &k_fc_ops[sub]);
}

static const op_info k_ops[256] = {ENG_WASM_OPS(ENG_X_ROW)};
#undef ENG_X_ROW

/* Compiles instructions until the function's own `end` closes its control frame. */
static bool compile_body(compiler *c) {
    while (c->nctl > 0) {
        uint8_t opc;
        if (c->r.p >= c->r.end)
            return cfail(c, BST_ERR_MALFORMED, "unexpected end of section or function");
        if (!eng_codemap_note(&c->map, c->ncode, eng_reader_offset(&c->r)))
            return cfail(c, BST_ERR_NOMEM, "out of memory while compiling");
        if (!eng_read_u8(&c->r, &opc)) return false;
        charge(c, 1);
        const op_info *op = &k_ops[opc];
        if (!op->compile) return cfail(c, BST_ERR_MALFORMED, "illegal opcode");
        if (!op->compile(c, op)) return false;
    }
    return true;
}

/* Which operand of the op whose cell is `reader` reads the slot the op whose cell is `writer`
 * writes: CHAIN_CA for a, CHAIN_CB for b, CHAIN_CN for neither (cells [dst | a<<16 | b<<32]).
 * Where an op has an immediate or an offset in place of b, a b "link" is a coincidence of bits:
 * such ops have no CB variant, so it selects nothing. */
static unsigned chain_link(uint64_t writer, uint64_t reader) {
    uint64_t dst = writer & 0xffff;
    if (((reader >> 16) & 0xffff) == dst) return CHAIN_CA;
    if (((reader >> 32) & 0xffff) == dst) return CHAIN_CB;
    return CHAIN_CN;
}

/* Turns each superinstruction recorded in chain_at whose ops read the slot the op before writes
 * into its chained variant (ops.h: ENG_CHAINED_OPS, ENG_CHAINED3_OPS).  A pair that went on to
 * start another three-op superinstruction keeps that. */
static void choose_chained(compiler *c) {
    static const size_t npairs = sizeof k_chained / sizeof k_chained[0];
    static const size_t ntriples = sizeof k_chained3 / sizeof k_chained3[0];
    for (size_t i = 0; i < c->nchain_at; i++) {
        size_t at = c->chain_at[i];
        uint64_t handler = c->code[at];
        eng_op chained = ENG_OP__COUNT;
        for (size_t r = 0; r < npairs && at + 2 < c->ncode; r++) {
            if (handler != (uint64_t)(uintptr_t)c->handlers[k_chained[r].pair]) continue;
            unsigned link = chain_link(c->code[at + 1], c->code[at + 2]);
            if (link != CHAIN_CN)
                chained = link == CHAIN_CA ? k_chained[r].chained_a : k_chained[r].chained_b;
        }
        for (size_t r = 0; r < ntriples && at + 3 < c->ncode; r++) {
            if (handler != (uint64_t)(uintptr_t)c->handlers[k_chained3[r].triple]) continue;
            unsigned link2 = chain_link(c->code[at + 1], c->code[at + 2]);
            unsigned link3 = chain_link(c->code[at + 2], c->code[at + 3]);
            if (k_chained3[r].link2 == link2 &&
                (k_chained3[r].link3 == CHAIN_GO || k_chained3[r].link3 == link3))
                chained = (eng_op)k_chained3[r].chained;
        }
        if (chained != ENG_OP__COUNT) c->code[at] = (uint64_t)(uintptr_t)c->handlers[chained];
    }
}

static bool compile_function(const bst_module *m, eng_mfunc *mf, const void *const *handlers,
                             bst_error *err, compiler *c) {
    const eng_ftype *ft = &m->types[mf->type];
    c->m = m;
    c->err = err;
    c->handlers = handlers;
    c->r.base = m->bytes;
    c->r.p = m->bytes + mf->body_start;
    c->r.end = m->bytes + mf->body_end;
    c->r.err = err;
    c->ncode = 0;
    c->nfused_br = 0;
    c->nchain_at = 0;
    c->nvs = 0;
    c->max_height = 0;
    c->nctl = 0;
    c->emitting = false;
    c->nfix = 0;
    c->map.n = 0;
    c->ftype = ft;
    c->nlocals_total = ft->nparams + mf->nlocals;
    c->S0 = c->nlocals_total;
    c->total_refs = 0;
    c->last_def = NO_DEF;
    c->last_copy = NO_DEF;
    c->last_move = NO_DEF;
    c->cmp_instr = NO_DEF;
    c->fuse.at = NO_DEF;
    c->total_consts = 0;
    if (c->S0 >= MAX_SLOTS) return cfail(c, BST_ERR_LIMIT, "too many locals");
    free(c->local_types);
    free(c->local_refs);
    c->local_types = malloc(((size_t)c->nlocals_total + 1) * sizeof *c->local_types);
    c->local_refs = calloc((size_t)c->nlocals_total + 1, sizeof *c->local_refs);
    if (!c->local_types || !c->local_refs)
        return cfail(c, BST_ERR_NOMEM, "out of memory while compiling");
    if (ft->nparams) memcpy(c->local_types, ft->types, ft->nparams * sizeof *ft->types);
    if (mf->nlocals)
        memcpy(c->local_types + ft->nparams, mf->local_types,
               mf->nlocals * sizeof *mf->local_types);
    c->count = m->config.count_instructions;
    c->func_index = (uint32_t)(mf - m->funcs);
    c->meter = m->config.fuel_metering || c->count;
    c->fuel_cell = NO_DEF;
    if (!push_ctl(c, CTL_FUNC, 0, NULL, ft->nresults, ft->types + ft->nparams)) return false;
    if (!start_block(c, false)) return false;
    if (!compile_body(c)) return false;
    choose_chained(c);

    eng_code *code = calloc(1, sizeof *code);
    if (!code) return cfail(c, BST_ERR_NOMEM, "out of memory while compiling");
    code->cells = malloc(c->ncode * sizeof *code->cells);
    if (!code->cells) {
        free(code);
        return cfail(c, BST_ERR_NOMEM, "out of memory while compiling");
    }
    memcpy(code->cells, c->code, c->ncode * sizeof *code->cells);
    code->ncells = c->ncode;
    code->map_base = (uint32_t)mf->body_start;
    if (!eng_codemap_finish(&c->map, c->ncode, code)) {
        eng_code_free(code);
        return cfail(c, BST_ERR_NOMEM, "out of memory while compiling");
    }
    bool metered_entry = c->ncode >= 2 && c->code[0] == (uint64_t)(uintptr_t)handlers[ENG_OP_FUEL];
    code->entry = code->cells + (metered_entry ? 2 : 0);
    code->entry_fuel = metered_entry ? (int64_t)c->code[1] : 0;
    code->nparams = ft->nparams;
    code->nlocals = mf->nlocals;
    code->nresults = ft->nresults;
    uint32_t slots = c->S0 + c->max_height;
    if (slots < ft->nresults) slots = ft->nresults;
    if (slots < ft->nparams + ENG_ZEROED_LOCALS) slots = ft->nparams + ENG_ZEROED_LOCALS;
    code->frame_slots = slots;
    mf->code = code;
    return true;
}

void eng_code_free(eng_code *code) {
    if (!code) return;
    free(code->cells);
    free(code->map);
    free(code);
}

bool eng_compile_module(bst_module *m, bst_error *err) {
    compiler c;
    memset(&c, 0, sizeof c);
    for (size_t i = sizeof k_fused / sizeof k_fused[0]; i-- > 0;) {
        c.fuse_first[k_fused[i].first] = (uint16_t)(i + 1);
        c.fuse_second[k_fused[i].second] = true;
    }
    /* each first op's rows are contiguous (ops.h), as fused_row() scans one group */
    for (size_t i = 1; i < FUSED_ROWS; i++)
        assert(k_fused[i].first == k_fused[i - 1].first || c.fuse_first[k_fused[i].first] == i + 1);
    for (size_t i = 0; i < sizeof k_chained / sizeof k_chained[0]; i++)
        c.has_chained[k_chained[i].pair] = true;
    for (size_t i = 0; i < sizeof k_chained3 / sizeof k_chained3[0]; i++)
        c.has_chained[k_chained3[i].triple] = true;
    const void *const *handlers = eng_interp_handlers();
    c.handlers = handlers;
    index_branches(&c);
    bool ok = true;
    for (uint32_t i = m->nimported_funcs; ok && i < m->nfuncs; i++)
        ok = compile_function(m, &m->funcs[i], handlers, err, &c);
    free(c.code);
    free(c.vs);
    free(c.ctl);
    free(c.fix);
    free(c.fused_br);
    free(c.chain_at);
    free(c.local_types);
    free(c.local_refs);
    eng_codemap_builder_free(&c.map);
    return ok;
}
