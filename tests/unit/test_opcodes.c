/*
 * test_opcodes.c — every opcode byte through the decoder and the compiler.
 *
 * A non-constant instruction inside a constant expression is skipped by its immediates so that
 * decoding can go on (the error, "constant expression required", is reported at the end).  Each
 * instruction is placed in a global initialiser with immediates whose first byte (0xff) is not
 * an opcode, so skipping too little reads 0xff ("illegal opcode") and skipping too much reads
 * past the expression's `end`: only an exact skip gives the expected error.  The immediate
 * shapes below are written from the specification, independently of the engine's table.
 * Opcodes that are no instruction must be "illegal opcode" in initialisers and in function
 * bodies alike.
 */
#include <stdio.h>
#include <string.h>

#include "bastion.h"
#include "../support/check.h"

/* The immediate shapes of the binary format, as the test encodes them. */
enum { NONE, IDX, IDX2, BLOCK, BR_TABLE, VALTYPES, MEMARG, ZERO, IDX_ZERO, ZERO2, CONSTANT, BAD };

static int shape_of(unsigned op) {
    if (op <= 0x01) return NONE;                   /* unreachable, nop */
    if (op <= 0x04) return BLOCK;                  /* block, loop, if */
    if (op == 0x05 || op == 0x0b) return CONSTANT; /* else, end: structure, not tested */
    if (op == 0x0c || op == 0x0d) return IDX;      /* br, br_if */
    if (op == 0x0e) return BR_TABLE;
    if (op == 0x0f) return NONE;                   /* return */
    if (op == 0x10) return IDX;                    /* call */
    if (op == 0x11) return IDX2;                   /* call_indirect */
    if (op == 0x1a || op == 0x1b) return NONE;     /* drop, select */
    if (op == 0x1c) return VALTYPES;               /* select t* */
    if (op == 0x23) return CONSTANT;               /* global.get */
    if (op >= 0x20 && op <= 0x26) return IDX;      /* local.*, global.set, table.get/set */
    if (op >= 0x28 && op <= 0x3e) return MEMARG;   /* loads and stores */
    if (op == 0x3f || op == 0x40) return ZERO;     /* memory.size, memory.grow */
    if (op >= 0x41 && op <= 0x44) return CONSTANT; /* t.const */
    if (op >= 0x45 && op <= 0xc4) return NONE;     /* numeric */
    if (op == 0xd0 || op == 0xd2) return CONSTANT; /* ref.null, ref.func */
    if (op == 0xd1) return NONE;                   /* ref.is_null */
    return BAD;
}

static int fc_shape_of(unsigned sub) {
    if (sub <= 7) return NONE;               /* trunc_sat */
    if (sub == 8) return IDX_ZERO;           /* memory.init */
    if (sub == 9 || sub == 13) return IDX;   /* data.drop, elem.drop */
    if (sub == 10) return ZERO2;             /* memory.copy */
    if (sub == 11) return ZERO;              /* memory.fill */
    if (sub == 12 || sub == 14) return IDX2; /* table.init, table.copy */
    if (sub >= 15 && sub <= 17) return IDX;  /* table.grow, table.size, table.fill */
    return BAD;
}

/* Appends the immediates of `shape` (an index is 0xff 0x00, 127 in two LEB128 bytes). */
static size_t put_imm(unsigned char *p, int shape, unsigned char zero) {
    static const unsigned char idx[] = {0xff, 0x00};
    size_t n = 0;
    switch (shape) {
    case IDX: memcpy(p, idx, 2); return 2;
    case IDX2:
        memcpy(p, idx, 2);
        memcpy(p + 2, idx, 2);
        return 4;
    case MEMARG:
        memcpy(p, idx, 2);
        memcpy(p + 2, idx, 2);
        return 4;
    case BLOCK:
        p[n++] = 0x40;
        p[n++] = 0x0b;
        return n; /* empty block type, the block's end */
    case BR_TABLE:
        p[n++] = 0x01;
        memcpy(p + n, idx, 2), n += 2;
        memcpy(p + n, idx, 2), n += 2;
        return n;
    case VALTYPES:
        p[n++] = 0x02;
        p[n++] = 0x7f;
        p[n++] = 0x7e;
        return n;
    case ZERO: p[n++] = zero; return n;
    case IDX_ZERO:
        memcpy(p, idx, 2);
        p[2] = zero;
        return 3;
    case ZERO2:
        p[n++] = 0;
        p[n++] = zero;
        return n;
    default: return 0;
    }
}

/* A module with one i32 global initialised by `expr` (without its end). */
static bst_module *global_module(const unsigned char *expr, size_t len, bst_error *err) {
    unsigned char b[64] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x06};
    size_t n = 9;
    b[n++] = (unsigned char)(len + 4); /* count, type, mutability, expr, end */
    b[n++] = 1;
    b[n++] = 0x7f;
    b[n++] = 0;
    memcpy(b + n, expr, len);
    n += len;
    b[n++] = 0x0b;
    memset(err, 0, sizeof *err);
    return bst_module_new(b, n, err);
}

/* A module with one function () -> () whose body is `code` (without its end). */
static bst_module *func_module(const unsigned char *code, size_t len, bst_error *err) {
    unsigned char b[64] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00,
                           0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, /* type () -> () */
                           0x03, 0x02, 0x01, 0x00,                   /* one function */
                           0x0a};                                    /* code section */
    size_t n = 19;
    b[n++] = (unsigned char)(len + 4); /* count, body size, no locals, code, end */
    b[n++] = 1;
    b[n++] = (unsigned char)(len + 2);
    b[n++] = 0;
    memcpy(b + n, code, len);
    n += len;
    b[n++] = 0x0b;
    memset(err, 0, sizeof *err);
    return bst_module_new(b, n, err);
}

static void expect(const char *what, unsigned op, bst_module *m, const bst_error *err,
                   bst_status st, const char *msg) {
    CHECK_MSG(!m && err->status == st && strcmp(err->message, msg) == 0,
              "%s 0x%02x: want %s \"%s\", got %s \"%s\"", what, op, bst_status_name(st), msg,
              m ? "ok" : bst_status_name(err->status), m ? "" : err->message);
    bst_module_free(m);
}

/* One instruction in a global initialiser: its immediates must be skipped exactly. */
static void in_initialiser(const unsigned char *prefix, size_t plen, unsigned op, int shape) {
    unsigned char e[32];
    bst_error err;
    memcpy(e, prefix, plen);
    size_t n = plen + put_imm(e + plen, shape, 0);
    if (shape == BAD) {
        expect("initialiser", op, global_module(e, n, &err), &err, BST_ERR_MALFORMED,
               "illegal opcode");
        return;
    }
    expect("initialiser", op, global_module(e, n, &err), &err, BST_ERR_INVALID,
           "constant expression required");
    if (shape == ZERO || shape == IDX_ZERO || shape == ZERO2) {
        n = plen + put_imm(e + plen, shape, 1);
        expect("initialiser", op, global_module(e, n, &err), &err, BST_ERR_MALFORMED,
               "zero byte expected");
    }
}

static void test_one_byte_opcodes(void) {
    for (unsigned op = 0; op <= 0xff; op++) {
        int shape = shape_of(op);
        unsigned char code[1] = {(unsigned char)op};
        bst_error err;
        if (op == 0xfc || shape == CONSTANT) continue;
        if (op == 0xfd) {
            expect("initialiser", op, global_module(code, 1, &err), &err, BST_ERR_UNSUPPORTED,
                   "SIMD not supported");
            expect("body", op, func_module(code, 1, &err), &err, BST_ERR_UNSUPPORTED,
                   "SIMD not supported");
            continue;
        }
        in_initialiser(code, 1, op, shape);
        if (shape == BAD)
            expect("body", op, func_module(code, 1, &err), &err, BST_ERR_MALFORMED,
                   "illegal opcode");
    }
}

static void test_fc_opcodes(void) {
    for (unsigned sub = 0; sub < 0x80; sub++) {
        unsigned char code[2] = {0xfc, (unsigned char)sub};
        bst_error err;
        in_initialiser(code, 2, sub, fc_shape_of(sub));
        if (fc_shape_of(sub) == BAD)
            expect("body 0xfc", sub, func_module(code, 2, &err), &err, BST_ERR_MALFORMED,
                   "illegal opcode");
    }
    /* a sub-opcode far beyond the table */
    static const unsigned char big[] = {0xfc, 0xff, 0xff, 0xff, 0xff, 0x0f};
    bst_error err;
    expect("initialiser 0xfc", 0xffffffffu, global_module(big, sizeof big, &err), &err,
           BST_ERR_MALFORMED, "illegal opcode");
    expect("body 0xfc", 0xffffffffu, func_module(big, sizeof big, &err), &err, BST_ERR_MALFORMED,
           "illegal opcode");
}

int main(void) {
    test_one_byte_opcodes();
    test_fc_opcodes();
    return check_finish("unit/test_opcodes");
}
