/*
 * module.h — the decoded form of a WebAssembly module (engine-internal).
 *
 * Owned by the engine layer.  decode.c fills a bst_module from bytes (structure only: anything it
 * rejects is "malformed"); validate_module() in validate.c checks the module-level rules
 * ("invalid"); compile.c validates each function body and translates it to internal code.
 * After bst_module_new() returns, a module is immutable.
 */
#ifndef BST_ENGINE_MODULE_H
#define BST_ENGINE_MODULE_H

#include "bastion.h"

/* Structural caps applied while decoding, so no count in the input drives an unbounded
 * allocation.  (Configurable limits on top of these belong to the sandbox layer.) */
#define BST_MAX_TYPES 1000000u
#define BST_MAX_FUNCS 1000000u
#define BST_MAX_IMPORTS 100000u
#define BST_MAX_EXPORTS 100000u
#define BST_MAX_LOCALS 50000u          /* per function, params included */
#define BST_MAX_PARAMS 1000u
#define BST_MAX_RESULTS 1000u
#define BST_MAX_TABLES 100000u
#define BST_MAX_GLOBALS 1000000u
#define BST_MAX_SEGMENTS 100000u
#define BST_MAX_ELEM_ITEMS 10000000u
#define BST_MAX_PAGES 65536u           /* 4 GiB of 64 KiB pages */

/* A function type.  types[0..nparams) are params, types[nparams..nparams+nresults) results.
 * `pub` points into `types` so it can be handed out through the public API. */
typedef struct bst_ftype {
    bst_functype pub;
    uint32_t nparams, nresults;
    bst_valtype *types;
} bst_ftype;

/* A constant expression: exactly one constant instruction (the decoder rejects the rest). */
typedef struct bst_constexpr {
    uint8_t op;        /* 0x41 i32.const, 0x42 i64.const, 0x43 f32.const, 0x44 f64.const,
                          0xd0 ref.null, 0xd2 ref.func, 0x23 global.get */
    bst_valtype reftype; /* for ref.null */
    uint64_t value;    /* constant bits (i32 sign-extended to 64), or the func/global index */
    size_t offset;     /* byte offset of the expression, for error messages */
} bst_constexpr;

typedef struct bst_import {
    char *module, *name;          /* NUL-terminated copies (names may contain NUL too) */
    uint32_t module_len, name_len;
    bst_extern_kind kind;
    uint32_t type;                /* FUNC: type index */
    bst_valtype elem;             /* TABLE: reference type */
    bst_limits limits;            /* TABLE / MEMORY */
    bst_valtype gtype;            /* GLOBAL */
    bool gmut;
} bst_import;

struct bst_code;                  /* compiled body, defined by compile.h */

/* Every function in the index space (imports first). */
typedef struct bst_mfunc {
    uint32_t type;                /* type index */
    bool imported;
    /* defined functions only: */
    uint32_t nlocals;             /* declared locals, excluding params */
    bst_valtype *local_types;     /* nlocals entries */
    size_t body_start, body_end;  /* expression bytes [start,end) in module->bytes (after locals,
                                     including the final `end`) */
    struct bst_code *code;        /* filled by the compiler */
} bst_mfunc;

typedef struct bst_mtable {
    bst_valtype elem;
    bst_limits limits;
    bool imported;
} bst_mtable;

typedef struct bst_mmemory {
    bst_limits limits;
    bool imported;
} bst_mmemory;

typedef struct bst_mglobal {
    bst_valtype type;
    bool mut;
    bool imported;
    bst_constexpr init;           /* defined globals only */
} bst_mglobal;

typedef struct bst_mexport {
    char *name;
    uint32_t name_len;
    bst_extern_kind kind;
    uint32_t index;
} bst_mexport;

typedef enum { BST_SEG_ACTIVE, BST_SEG_PASSIVE, BST_SEG_DECLARATIVE } bst_seg_mode;

typedef struct bst_melem {
    bst_seg_mode mode;
    uint32_t table;               /* ACTIVE */
    bst_constexpr offset;         /* ACTIVE */
    bst_valtype type;             /* funcref / externref */
    uint32_t count;
    bst_constexpr *items;         /* count items: ref.func / ref.null / global.get */
} bst_melem;

typedef struct bst_mdata {
    bst_seg_mode mode;            /* ACTIVE or PASSIVE */
    uint32_t memory;
    bst_constexpr offset;
    const uint8_t *bytes;         /* points into module->bytes */
    uint32_t len;
} bst_mdata;

typedef struct bst_custom {
    char *name;
    uint32_t name_len;
    size_t offset, len;           /* payload in module->bytes */
} bst_custom;

struct bst_module {
    bst_module_config config;     /* options it was compiled with */
    uint8_t *bytes;               /* private copy of the binary */
    size_t nbytes;

    uint32_t ntypes;
    bst_ftype *types;

    uint32_t nimports;
    bst_import *imports;

    uint32_t nfuncs, nimported_funcs;
    bst_mfunc *funcs;
    uint32_t ntables, nimported_tables;
    bst_mtable *tables;
    uint32_t nmemories, nimported_memories;
    bst_mmemory *memories;
    uint32_t nglobals, nimported_globals;
    bst_mglobal *globals;

    uint32_t nexports;
    bst_mexport *exports;

    bool has_start;
    uint32_t start;

    uint32_t nelems;
    bst_melem *elems;

    bool has_datacount;
    uint32_t datacount;
    uint32_t ndatas;
    bst_mdata *datas;

    uint32_t ncustoms;
    bst_custom *customs;

    char **func_names;            /* nfuncs entries (NULL where unnamed), or NULL: name section */

    /* Filled by validate_module(): functions that may be referenced by ref.func in bodies
     * (those named in exports, element segments and global initialisers). */
    uint8_t *func_declared;       /* nfuncs booleans */
};

/* decode.c: parse bytes into m (zeroed by the caller).  Copies the bytes.  Returns false with
 * err filled (status MALFORMED, or UNSUPPORTED for SIMD, LIMIT for the caps above). */
bool bst_decode_module(bst_module *m, const uint8_t *bytes, size_t len, bst_error *err);

/* validate.c: module-level validation (indices, limits, constant-expression types, export
 * uniqueness, start type, ...).  Function bodies are validated by the compiler. */
bool bst_validate_module(bst_module *m, bst_error *err);

/* compile.c: validate and compile every defined function body. */
bool bst_compile_module(bst_module *m, bst_error *err);

/* compile.c: frees a compiled body (called by bst_module_release for each funcs[i].code). */
void bst_code_free(struct bst_code *code);

/* Frees everything the module owns (safe on a partially decoded module). */
void bst_module_release(bst_module *m);

/* error.c: fills err (status, offset, printf-style message).  Always returns false. */
bool bst_fail(bst_error *err, bst_status status, size_t offset, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Reference types and numeric type helpers. */
static inline bool bst_is_reftype(bst_valtype t) {
    return t == BST_FUNCREF || t == BST_EXTERNREF;
}
static inline bool bst_is_valtype(uint8_t b) {
    return b == BST_I32 || b == BST_I64 || b == BST_F32 || b == BST_F64 || b == BST_V128 ||
           b == BST_FUNCREF || b == BST_EXTERNREF;
}

#endif /* BST_ENGINE_MODULE_H */
