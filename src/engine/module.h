/*
 * module.h — the decoded form of a WebAssembly module (engine-internal).
 *
 * Owned by the engine layer.  decode.c fills a bst_module from bytes (structure only: anything it
 * rejects is "malformed"); validate_module() in validate.c checks the module-level rules
 * ("invalid"); compile.c validates each function body and translates it to internal code.
 * After bst_module_new() returns, a module is immutable.
 */
#ifndef ENG_ENGINE_MODULE_H
#define ENG_ENGINE_MODULE_H

#include "bastion.h"

/* Structural caps applied while decoding, so no count in the input drives an unbounded
 * allocation.  (Configurable limits on top of these belong to the sandbox layer.) */
#define ENG_MAX_TYPES 1000000u
#define ENG_MAX_FUNCS 1000000u
#define ENG_MAX_IMPORTS 100000u
#define ENG_MAX_EXPORTS 100000u
#define ENG_MAX_LOCALS 50000u /* per function, params included */
#define ENG_MAX_PARAMS 1000u
#define ENG_MAX_RESULTS 1000u
#define ENG_MAX_TABLES 100000u
#define ENG_MAX_GLOBALS 1000000u
#define ENG_MAX_SEGMENTS 100000u
#define ENG_MAX_ELEM_ITEMS 10000000u
#define ENG_MAX_PAGES 65536u /* 4 GiB of 64 KiB pages */

/* A function type.  types[0..nparams) are params, types[nparams..nparams+nresults) results.
 * `pub` points into `types` so it can be handed out through the public API. */
typedef struct eng_ftype {
    bst_functype pub;
    uint32_t nparams, nresults;
    bst_valtype *types;
} eng_ftype;

/* A constant expression: exactly one constant instruction (the decoder rejects the rest). */
typedef struct eng_constexpr {
    uint8_t op;          /* 0x41 i32.const, 0x42 i64.const, 0x43 f32.const, 0x44 f64.const,
                          0xd0 ref.null, 0xd2 ref.func, 0x23 global.get */
    bst_valtype reftype; /* for ref.null */
    uint64_t value;      /* constant bits (i32 sign-extended to 64), or the func/global index */
    size_t offset;       /* byte offset of the expression, for error messages */
} eng_constexpr;

typedef struct eng_import {
    char *module, *name; /* NUL-terminated copies (names may contain NUL too) */
    uint32_t module_len, name_len;
    bst_extern_kind kind;
    uint32_t type;     /* FUNC: type index */
    bst_valtype elem;  /* TABLE: reference type */
    bst_limits limits; /* TABLE / MEMORY */
    bst_valtype gtype; /* GLOBAL */
    bool gmut;
} eng_import;

struct eng_code; /* compiled body, defined by compile.h */

/* Every function in the index space (imports first). */
typedef struct eng_mfunc {
    uint32_t type; /* type index */
    bool imported;
    /* defined functions only: */
    uint32_t nlocals;            /* declared locals, excluding params */
    bst_valtype *local_types;    /* nlocals entries */
    size_t body_start, body_end; /* expression bytes [start,end) in module->bytes (after locals,
                                     including the final `end`) */
    struct eng_code *code;       /* filled by the compiler */
} eng_mfunc;

typedef struct eng_mtable {
    bst_valtype elem;
    bst_limits limits;
    bool imported;
} eng_mtable;

typedef struct eng_mmemory {
    bst_limits limits;
    bool imported;
} eng_mmemory;

typedef struct eng_mglobal {
    bst_valtype type;
    bool mut;
    bool imported;
    eng_constexpr init; /* defined globals only */
} eng_mglobal;

typedef struct eng_mexport {
    char *name;
    uint32_t name_len;
    bst_extern_kind kind;
    uint32_t index;
} eng_mexport;

typedef enum { ENG_SEG_ACTIVE, ENG_SEG_PASSIVE, ENG_SEG_DECLARATIVE } eng_seg_mode;

typedef struct eng_melem {
    eng_seg_mode mode;
    uint32_t table;       /* ACTIVE */
    eng_constexpr offset; /* ACTIVE */
    bst_valtype type;     /* funcref / externref */
    uint32_t count;
    eng_constexpr *items; /* count items: ref.func / ref.null / global.get */
} eng_melem;

typedef struct eng_mdata {
    eng_seg_mode mode; /* ACTIVE or PASSIVE */
    uint32_t memory;
    eng_constexpr offset;
    const uint8_t *bytes; /* points into module->bytes */
    uint32_t len;
} eng_mdata;

typedef struct eng_custom {
    char *name;
    uint32_t name_len;
    size_t offset, len; /* payload in module->bytes */
} eng_custom;

struct bst_module {
    bst_module_config config; /* options it was compiled with */
    uint8_t *bytes;           /* private copy of the binary */
    size_t nbytes;

    uint32_t ntypes;
    eng_ftype *types;

    uint32_t nimports;
    eng_import *imports;

    uint32_t nfuncs, nimported_funcs;
    eng_mfunc *funcs;
    uint32_t ntables, nimported_tables;
    eng_mtable *tables;
    uint32_t nmemories, nimported_memories;
    eng_mmemory *memories;
    uint32_t nglobals, nimported_globals;
    eng_mglobal *globals;

    uint32_t nexports;
    eng_mexport *exports;

    bool has_start;
    uint32_t start;

    uint32_t nelems;
    eng_melem *elems;

    bool has_datacount;
    uint32_t datacount;
    uint32_t ndatas;
    eng_mdata *datas;

    uint32_t ncustoms;
    eng_custom *customs;
    size_t code_start; /* module offset of the code section's contents (DWARF addresses count
                          from there); 0 without a code section */

    char **func_names; /* nfuncs entries (NULL where unnamed), or NULL: name section */

    /* Filled by validate_module(): functions that may be referenced by ref.func in bodies
     * (those named in exports, element segments and global initialisers). */
    uint8_t *func_declared; /* nfuncs booleans */
};

/* decode.c: parse bytes into m (zeroed by the caller).  Copies the bytes.  Returns false with
 * err filled (status MALFORMED, or UNSUPPORTED for SIMD, LIMIT for the caps above). */
bool eng_decode_module(bst_module *m, const uint8_t *bytes, size_t len, bst_error *err);

/* validate.c: module-level validation (indices, limits, constant-expression types, export
 * uniqueness, start type, ...).  Function bodies are validated by the compiler. */
bool eng_validate_module(bst_module *m, bst_error *err);

/* compile.c: validate and compile every defined function body. */
bool eng_compile_module(bst_module *m, bst_error *err);

/* compile.c: frees a compiled body (called by eng_module_release for each funcs[i].code). */
void eng_code_free(struct eng_code *code);

/* Frees everything the module owns (safe on a partially decoded module). */
void eng_module_release(bst_module *m);

/* error.c: fills err (status, offset, printf-style message).  Always returns false. */
bool eng_fail(bst_error *err, bst_status status, size_t offset, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Reference types and numeric type helpers. */
static inline bool eng_is_reftype(bst_valtype t) { return t == BST_FUNCREF || t == BST_EXTERNREF; }
static inline bool eng_is_valtype(uint8_t b) {
    return b == BST_I32 || b == BST_I64 || b == BST_F32 || b == BST_F64 || b == BST_V128 ||
           b == BST_FUNCREF || b == BST_EXTERNREF;
}

#endif /* ENG_ENGINE_MODULE_H */
