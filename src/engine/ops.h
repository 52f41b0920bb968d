/*
 * ops.h — the WebAssembly instruction set and the internal one it compiles to (engine-internal),
 * as X-macro tables.
 *
 * One row per wasm instruction says everything the engine knows about it; the decoder
 * (decode.c: skipping instructions), the compiler (compile.c: its dispatch table) and the
 * interpreter (interp.c: the handler table) all expand the same rows, so none of them keeps a
 * list of its own that could drift.  A row is
 *
 *   X(code, name, immediate, compile, internal, in, out, C, I, B, N, inverse)
 *
 *   code       the opcode byte (for the 0xFC-prefixed tables: the sub-opcode after the prefix)
 *   name       the instruction (i32.add is I32_ADD)
 *   immediate  the shape of its immediates, a eng_imm below (what the decoder skips)
 *   compile    how it compiles: compile.c's compile_<compile>(), one per kind of instruction
 *   internal   the internal op it emits, `_` if none or several
 *   in, out    the type of the operands (a store: of its value) and of the result, where the
 *              instruction fixes them; `_` where they depend on an immediate or on the operands
 *   C          commutative: the operands can be swapped with a bit-identical result (so not
 *              float add/mul, whose NaN payload depends on the order); nothing reads it yet
 *   I          has an immediate form <internal>_IMM taking its second operand from the
 *              operand cell, used when that operand is a constant (i64 immediates are
 *              sign-extended 32-bit values)
 *   B          an i32 comparison that fuses with a following br_if/if into the
 *              compare-and-branch ops BR_<internal> / BR_<internal>_IMM; Z: i32.eqz, which
 *              fuses by inverting the plain conditional branch
 *   N          NaN non-deterministic: the spec leaves the NaN bits of the result open, so
 *              deterministic mode (canonicalize_nans) canonicalises them
 *   inverse    for B: the comparison that holds exactly when this one does not (the fused
 *              branch taken when the condition is false)
 * A flag column holds its letter or `_`.
 *
 * Internal code: every instruction is one 64-bit cell holding the handler address, followed by
 * operand cells; operands name frame slots (16-bit indices relative to the frame pointer).  The
 * layout of each internal op is written next to it (see also docs/architecture.md).
 */
#ifndef ENG_ENGINE_OPS_H
#define ENG_ENGINE_OPS_H

/* The rows below are aligned by hand: a table is read by columns. */
/* clang-format off */

/* ---- immediates ----------------------------------------------------------------------------- */

/* The immediate shapes of the binary format.  Index immediates are u32 LEB128. */
#define ENG_IMMEDIATES(X)                                                                          \
    X(NONE)       /* - */                                                                          \
    X(BLOCKTYPE)  /* 0x40, a value type, or a type index (s33) */                                  \
    X(LABEL)      /* label index */                                                                \
    X(BR_TABLE)   /* vector of label indices, then the default label */                            \
    X(FUNC)       /* function index */                                                             \
    X(TYPE_TABLE) /* type index, table index */                                                    \
    X(VALTYPES)   /* vector of value types (select t*) */                                          \
    X(LOCAL)      /* local index */                                                                \
    X(GLOBAL)     /* global index */                                                               \
    X(TABLE)      /* table index */                                                                \
    X(TABLE2)     /* destination table index, source table index */                                \
    X(MEMARG1)    /* memarg (alignment, offset) of a 1-byte access */                              \
    X(MEMARG2)    /* ... 2-byte access */                                                          \
    X(MEMARG4)    /* ... 4-byte access */                                                          \
    X(MEMARG8)    /* ... 8-byte access */                                                          \
    X(MEMORY)     /* memory index: a zero byte */                                                  \
    X(MEMORY2)    /* two zero bytes (memory.copy) */                                               \
    X(DATA)       /* data segment index */                                                         \
    X(DATA_MEM)   /* data segment index, a zero byte (memory.init) */                              \
    X(ELEM)       /* element segment index */                                                      \
    X(ELEM_TABLE) /* element segment index, table index (table.init) */                            \
    X(I32)        /* s32 LEB128 */                                                                 \
    X(I64)        /* s64 LEB128 */                                                                 \
    X(F32)        /* 4 bytes, little-endian */                                                     \
    X(F64)        /* 8 bytes, little-endian */                                                     \
    X(REFTYPE)    /* a reference type byte */                                                      \
    X(PREFIX_FC)  /* u32 sub-opcode, then that instruction's immediates */                         \
    X(SIMD)       /* the 0xFD prefix: not supported */

/* ENG_IMM_ILLEGAL (0) is what an opcode without a row gets in a designated-initialiser table. */
typedef enum eng_imm {
    ENG_IMM_ILLEGAL,
#define ENG_X_IMM_KIND(kind) ENG_IMM_##kind,
    ENG_IMMEDIATES(ENG_X_IMM_KIND)
#undef ENG_X_IMM_KIND
    ENG_IMM__COUNT
} eng_imm;

/* ---- the WebAssembly instructions ----------------------------------------------------------- */

/* Control, parametric, variable, table and memory instructions and constants (0x00-0x44). */
#define ENG_WASM_CONTROL_OPS(X)                                                                    \
    /*code  name           imm         compile        internal       in   out      C  I  B  N  inverse */ \
    X(0x00, UNREACHABLE,   NONE,       unreachable,   UNREACHABLE,   _,   _,       _, _, _, _, _)  \
    X(0x01, NOP,           NONE,       nop,           _,             _,   _,       _, _, _, _, _)  \
    X(0x02, BLOCK,         BLOCKTYPE,  block,         _,             _,   _,       _, _, _, _, _)  \
    X(0x03, LOOP,          BLOCKTYPE,  loop,          _,             _,   _,       _, _, _, _, _)  \
    X(0x04, IF,            BLOCKTYPE,  if,            _,             _,   _,       _, _, _, _, _)  \
    X(0x05, ELSE,          NONE,       else,          _,             _,   _,       _, _, _, _, _)  \
    X(0x0b, END,           NONE,       end,           _,             _,   _,       _, _, _, _, _)  \
    X(0x0c, BR,            LABEL,      br,            _,             _,   _,       _, _, _, _, _)  \
    X(0x0d, BR_IF,         LABEL,      br_if,         _,             _,   _,       _, _, _, _, _)  \
    X(0x0e, BR_TABLE,      BR_TABLE,   br_table,      BR_TABLE,      _,   _,       _, _, _, _, _)  \
    X(0x0f, RETURN,        NONE,       return,        RETURN,        _,   _,       _, _, _, _, _)  \
    X(0x10, CALL,          FUNC,       call,          CALL,          _,   _,       _, _, _, _, _)  \
    X(0x11, CALL_INDIRECT, TYPE_TABLE, call_indirect, CALL_INDIRECT, _,   _,       _, _, _, _, _)  \
    X(0x1a, DROP,          NONE,       drop,          _,             _,   _,       _, _, _, _, _)  \
    X(0x1b, SELECT,        NONE,       select,        SELECT,        _,   _,       _, _, _, _, _)  \
    X(0x1c, SELECT_T,      VALTYPES,   select_t,      SELECT,        _,   _,       _, _, _, _, _)  \
    X(0x20, LOCAL_GET,     LOCAL,      local_get,     _,             _,   _,       _, _, _, _, _)  \
    X(0x21, LOCAL_SET,     LOCAL,      local_set,     _,             _,   _,       _, _, _, _, _)  \
    X(0x22, LOCAL_TEE,     LOCAL,      local_tee,     _,             _,   _,       _, _, _, _, _)  \
    X(0x23, GLOBAL_GET,    GLOBAL,     global_get,    GLOBAL_GET,    _,   _,       _, _, _, _, _)  \
    X(0x24, GLOBAL_SET,    GLOBAL,     global_set,    GLOBAL_SET,    _,   _,       _, _, _, _, _)  \
    X(0x25, TABLE_GET,     TABLE,      table_get,     TABLE_GET,     _,   _,       _, _, _, _, _)  \
    X(0x26, TABLE_SET,     TABLE,      table_set,     TABLE_SET,     _,   _,       _, _, _, _, _)  \
    X(0x28, I32_LOAD,      MEMARG4,    load,          I32_LOAD,      I32, I32,     _, _, _, _, _)  \
    X(0x29, I64_LOAD,      MEMARG8,    load,          I64_LOAD,      I32, I64,     _, _, _, _, _)  \
    X(0x2a, F32_LOAD,      MEMARG4,    load,          I32_LOAD,      I32, F32,     _, _, _, _, _)  \
    X(0x2b, F64_LOAD,      MEMARG8,    load,          I64_LOAD,      I32, F64,     _, _, _, _, _)  \
    X(0x2c, I32_LOAD8_S,   MEMARG1,    load,          I32_LOAD8_S,   I32, I32,     _, _, _, _, _)  \
    X(0x2d, I32_LOAD8_U,   MEMARG1,    load,          I32_LOAD8_U,   I32, I32,     _, _, _, _, _)  \
    X(0x2e, I32_LOAD16_S,  MEMARG2,    load,          I32_LOAD16_S,  I32, I32,     _, _, _, _, _)  \
    X(0x2f, I32_LOAD16_U,  MEMARG2,    load,          I32_LOAD16_U,  I32, I32,     _, _, _, _, _)  \
    X(0x30, I64_LOAD8_S,   MEMARG1,    load,          I64_LOAD8_S,   I32, I64,     _, _, _, _, _)  \
    X(0x31, I64_LOAD8_U,   MEMARG1,    load,          I64_LOAD8_U,   I32, I64,     _, _, _, _, _)  \
    X(0x32, I64_LOAD16_S,  MEMARG2,    load,          I64_LOAD16_S,  I32, I64,     _, _, _, _, _)  \
    X(0x33, I64_LOAD16_U,  MEMARG2,    load,          I64_LOAD16_U,  I32, I64,     _, _, _, _, _)  \
    X(0x34, I64_LOAD32_S,  MEMARG4,    load,          I64_LOAD32_S,  I32, I64,     _, _, _, _, _)  \
    X(0x35, I64_LOAD32_U,  MEMARG4,    load,          I64_LOAD32_U,  I32, I64,     _, _, _, _, _)  \
    X(0x36, I32_STORE,     MEMARG4,    store,         STORE32,       I32, _,       _, _, _, _, _)  \
    X(0x37, I64_STORE,     MEMARG8,    store,         STORE64,       I64, _,       _, _, _, _, _)  \
    X(0x38, F32_STORE,     MEMARG4,    store,         STORE32,       F32, _,       _, _, _, _, _)  \
    X(0x39, F64_STORE,     MEMARG8,    store,         STORE64,       F64, _,       _, _, _, _, _)  \
    X(0x3a, I32_STORE8,    MEMARG1,    store,         STORE8,        I32, _,       _, _, _, _, _)  \
    X(0x3b, I32_STORE16,   MEMARG2,    store,         STORE16,       I32, _,       _, _, _, _, _)  \
    X(0x3c, I64_STORE8,    MEMARG1,    store,         STORE8,        I64, _,       _, _, _, _, _)  \
    X(0x3d, I64_STORE16,   MEMARG2,    store,         STORE16,       I64, _,       _, _, _, _, _)  \
    X(0x3e, I64_STORE32,   MEMARG4,    store,         STORE32,       I64, _,       _, _, _, _, _)  \
    X(0x3f, MEMORY_SIZE,   MEMORY,     memory_size,   MEMORY_SIZE,   _,   I32,     _, _, _, _, _)  \
    X(0x40, MEMORY_GROW,   MEMORY,     memory_grow,   MEMORY_GROW,   I32, I32,     _, _, _, _, _)  \
    X(0x41, I32_CONST,     I32,        const,         _,             _,   I32,     _, _, _, _, _)  \
    X(0x42, I64_CONST,     I64,        const,         _,             _,   I64,     _, _, _, _, _)  \
    X(0x43, F32_CONST,     F32,        const,         _,             _,   F32,     _, _, _, _, _)  \
    X(0x44, F64_CONST,     F64,        const,         _,             _,   F64,     _, _, _, _, _)

/* Numeric instructions (0x45-0xC4): each compiles to the internal op of the same name,
 * [op][dst | a<<16 | b<<32] (unary: no b). */
#define ENG_WASM_NUMERIC_OPS(X)                                                                    \
    /*code  name                 imm   compile internal             in   out  C  I  B  N  inverse */ \
    X(0x45, I32_EQZ,             NONE, unary,  I32_EQZ,             I32, I32, _, _, Z, _, _)       \
    X(0x46, I32_EQ,              NONE, binary, I32_EQ,              I32, I32, C, I, B, _, I32_NE)  \
    X(0x47, I32_NE,              NONE, binary, I32_NE,              I32, I32, C, I, B, _, I32_EQ)  \
    X(0x48, I32_LT_S,            NONE, binary, I32_LT_S,            I32, I32, _, I, B, _, I32_GE_S) \
    X(0x49, I32_LT_U,            NONE, binary, I32_LT_U,            I32, I32, _, I, B, _, I32_GE_U) \
    X(0x4a, I32_GT_S,            NONE, binary, I32_GT_S,            I32, I32, _, I, B, _, I32_LE_S) \
    X(0x4b, I32_GT_U,            NONE, binary, I32_GT_U,            I32, I32, _, I, B, _, I32_LE_U) \
    X(0x4c, I32_LE_S,            NONE, binary, I32_LE_S,            I32, I32, _, I, B, _, I32_GT_S) \
    X(0x4d, I32_LE_U,            NONE, binary, I32_LE_U,            I32, I32, _, I, B, _, I32_GT_U) \
    X(0x4e, I32_GE_S,            NONE, binary, I32_GE_S,            I32, I32, _, I, B, _, I32_LT_S) \
    X(0x4f, I32_GE_U,            NONE, binary, I32_GE_U,            I32, I32, _, I, B, _, I32_LT_U) \
    X(0x50, I64_EQZ,             NONE, unary,  I64_EQZ,             I64, I32, _, _, _, _, _)       \
    X(0x51, I64_EQ,              NONE, binary, I64_EQ,              I64, I32, C, I, B, _, I64_NE)  \
    X(0x52, I64_NE,              NONE, binary, I64_NE,              I64, I32, C, I, B, _, I64_EQ)  \
    X(0x53, I64_LT_S,            NONE, binary, I64_LT_S,            I64, I32, _, I, B, _, I64_GE_S) \
    X(0x54, I64_LT_U,            NONE, binary, I64_LT_U,            I64, I32, _, I, B, _, I64_GE_U) \
    X(0x55, I64_GT_S,            NONE, binary, I64_GT_S,            I64, I32, _, I, B, _, I64_LE_S) \
    X(0x56, I64_GT_U,            NONE, binary, I64_GT_U,            I64, I32, _, I, B, _, I64_LE_U) \
    X(0x57, I64_LE_S,            NONE, binary, I64_LE_S,            I64, I32, _, I, B, _, I64_GT_S) \
    X(0x58, I64_LE_U,            NONE, binary, I64_LE_U,            I64, I32, _, I, B, _, I64_GT_U) \
    X(0x59, I64_GE_S,            NONE, binary, I64_GE_S,            I64, I32, _, I, B, _, I64_LT_S) \
    X(0x5a, I64_GE_U,            NONE, binary, I64_GE_U,            I64, I32, _, I, B, _, I64_LT_U) \
    X(0x5b, F32_EQ,              NONE, binary, F32_EQ,              F32, I32, C, _, _, _, _)       \
    X(0x5c, F32_NE,              NONE, binary, F32_NE,              F32, I32, C, _, _, _, _)       \
    X(0x5d, F32_LT,              NONE, binary, F32_LT,              F32, I32, _, _, _, _, _)       \
    X(0x5e, F32_GT,              NONE, binary, F32_GT,              F32, I32, _, _, _, _, _)       \
    X(0x5f, F32_LE,              NONE, binary, F32_LE,              F32, I32, _, _, _, _, _)       \
    X(0x60, F32_GE,              NONE, binary, F32_GE,              F32, I32, _, _, _, _, _)       \
    X(0x61, F64_EQ,              NONE, binary, F64_EQ,              F64, I32, C, _, _, _, _)       \
    X(0x62, F64_NE,              NONE, binary, F64_NE,              F64, I32, C, _, _, _, _)       \
    X(0x63, F64_LT,              NONE, binary, F64_LT,              F64, I32, _, _, _, _, _)       \
    X(0x64, F64_GT,              NONE, binary, F64_GT,              F64, I32, _, _, _, _, _)       \
    X(0x65, F64_LE,              NONE, binary, F64_LE,              F64, I32, _, _, _, _, _)       \
    X(0x66, F64_GE,              NONE, binary, F64_GE,              F64, I32, _, _, _, _, _)       \
    X(0x67, I32_CLZ,             NONE, unary,  I32_CLZ,             I32, I32, _, _, _, _, _)       \
    X(0x68, I32_CTZ,             NONE, unary,  I32_CTZ,             I32, I32, _, _, _, _, _)       \
    X(0x69, I32_POPCNT,          NONE, unary,  I32_POPCNT,          I32, I32, _, _, _, _, _)       \
    X(0x6a, I32_ADD,             NONE, binary, I32_ADD,             I32, I32, C, I, _, _, _)       \
    X(0x6b, I32_SUB,             NONE, binary, I32_SUB,             I32, I32, _, I, _, _, _)       \
    X(0x6c, I32_MUL,             NONE, binary, I32_MUL,             I32, I32, C, I, _, _, _)       \
    X(0x6d, I32_DIV_S,           NONE, binary, I32_DIV_S,           I32, I32, _, _, _, _, _)       \
    X(0x6e, I32_DIV_U,           NONE, binary, I32_DIV_U,           I32, I32, _, _, _, _, _)       \
    X(0x6f, I32_REM_S,           NONE, binary, I32_REM_S,           I32, I32, _, _, _, _, _)       \
    X(0x70, I32_REM_U,           NONE, binary, I32_REM_U,           I32, I32, _, _, _, _, _)       \
    X(0x71, I32_AND,             NONE, binary, I32_AND,             I32, I32, C, I, _, _, _)       \
    X(0x72, I32_OR,              NONE, binary, I32_OR,              I32, I32, C, I, _, _, _)       \
    X(0x73, I32_XOR,             NONE, binary, I32_XOR,             I32, I32, C, I, _, _, _)       \
    X(0x74, I32_SHL,             NONE, binary, I32_SHL,             I32, I32, _, I, _, _, _)       \
    X(0x75, I32_SHR_S,           NONE, binary, I32_SHR_S,           I32, I32, _, I, _, _, _)       \
    X(0x76, I32_SHR_U,           NONE, binary, I32_SHR_U,           I32, I32, _, I, _, _, _)       \
    X(0x77, I32_ROTL,            NONE, binary, I32_ROTL,            I32, I32, _, _, _, _, _)       \
    X(0x78, I32_ROTR,            NONE, binary, I32_ROTR,            I32, I32, _, _, _, _, _)       \
    X(0x79, I64_CLZ,             NONE, unary,  I64_CLZ,             I64, I64, _, _, _, _, _)       \
    X(0x7a, I64_CTZ,             NONE, unary,  I64_CTZ,             I64, I64, _, _, _, _, _)       \
    X(0x7b, I64_POPCNT,          NONE, unary,  I64_POPCNT,          I64, I64, _, _, _, _, _)       \
    X(0x7c, I64_ADD,             NONE, binary, I64_ADD,             I64, I64, C, I, _, _, _)       \
    X(0x7d, I64_SUB,             NONE, binary, I64_SUB,             I64, I64, _, I, _, _, _)       \
    X(0x7e, I64_MUL,             NONE, binary, I64_MUL,             I64, I64, C, I, _, _, _)       \
    X(0x7f, I64_DIV_S,           NONE, binary, I64_DIV_S,           I64, I64, _, _, _, _, _)       \
    X(0x80, I64_DIV_U,           NONE, binary, I64_DIV_U,           I64, I64, _, _, _, _, _)       \
    X(0x81, I64_REM_S,           NONE, binary, I64_REM_S,           I64, I64, _, _, _, _, _)       \
    X(0x82, I64_REM_U,           NONE, binary, I64_REM_U,           I64, I64, _, _, _, _, _)       \
    X(0x83, I64_AND,             NONE, binary, I64_AND,             I64, I64, C, I, _, _, _)       \
    X(0x84, I64_OR,              NONE, binary, I64_OR,              I64, I64, C, I, _, _, _)       \
    X(0x85, I64_XOR,             NONE, binary, I64_XOR,             I64, I64, C, I, _, _, _)       \
    X(0x86, I64_SHL,             NONE, binary, I64_SHL,             I64, I64, _, I, _, _, _)       \
    X(0x87, I64_SHR_S,           NONE, binary, I64_SHR_S,           I64, I64, _, I, _, _, _)       \
    X(0x88, I64_SHR_U,           NONE, binary, I64_SHR_U,           I64, I64, _, I, _, _, _)       \
    X(0x89, I64_ROTL,            NONE, binary, I64_ROTL,            I64, I64, _, _, _, _, _)       \
    X(0x8a, I64_ROTR,            NONE, binary, I64_ROTR,            I64, I64, _, _, _, _, _)       \
    X(0x8b, F32_ABS,             NONE, unary,  F32_ABS,             F32, F32, _, _, _, _, _)       \
    X(0x8c, F32_NEG,             NONE, unary,  F32_NEG,             F32, F32, _, _, _, _, _)       \
    X(0x8d, F32_CEIL,            NONE, unary,  F32_CEIL,            F32, F32, _, _, _, N, _)       \
    X(0x8e, F32_FLOOR,           NONE, unary,  F32_FLOOR,           F32, F32, _, _, _, N, _)       \
    X(0x8f, F32_TRUNC,           NONE, unary,  F32_TRUNC,           F32, F32, _, _, _, N, _)       \
    X(0x90, F32_NEAREST,         NONE, unary,  F32_NEAREST,         F32, F32, _, _, _, N, _)       \
    X(0x91, F32_SQRT,            NONE, unary,  F32_SQRT,            F32, F32, _, _, _, N, _)       \
    X(0x92, F32_ADD,             NONE, binary, F32_ADD,             F32, F32, _, _, _, N, _)       \
    X(0x93, F32_SUB,             NONE, binary, F32_SUB,             F32, F32, _, _, _, N, _)       \
    X(0x94, F32_MUL,             NONE, binary, F32_MUL,             F32, F32, _, _, _, N, _)       \
    X(0x95, F32_DIV,             NONE, binary, F32_DIV,             F32, F32, _, _, _, N, _)       \
    X(0x96, F32_MIN,             NONE, binary, F32_MIN,             F32, F32, _, _, _, N, _)       \
    X(0x97, F32_MAX,             NONE, binary, F32_MAX,             F32, F32, _, _, _, N, _)       \
    X(0x98, F32_COPYSIGN,        NONE, binary, F32_COPYSIGN,        F32, F32, _, _, _, _, _)       \
    X(0x99, F64_ABS,             NONE, unary,  F64_ABS,             F64, F64, _, _, _, _, _)       \
    X(0x9a, F64_NEG,             NONE, unary,  F64_NEG,             F64, F64, _, _, _, _, _)       \
    X(0x9b, F64_CEIL,            NONE, unary,  F64_CEIL,            F64, F64, _, _, _, N, _)       \
    X(0x9c, F64_FLOOR,           NONE, unary,  F64_FLOOR,           F64, F64, _, _, _, N, _)       \
    X(0x9d, F64_TRUNC,           NONE, unary,  F64_TRUNC,           F64, F64, _, _, _, N, _)       \
    X(0x9e, F64_NEAREST,         NONE, unary,  F64_NEAREST,         F64, F64, _, _, _, N, _)       \
    X(0x9f, F64_SQRT,            NONE, unary,  F64_SQRT,            F64, F64, _, _, _, N, _)       \
    X(0xa0, F64_ADD,             NONE, binary, F64_ADD,             F64, F64, _, _, _, N, _)       \
    X(0xa1, F64_SUB,             NONE, binary, F64_SUB,             F64, F64, _, _, _, N, _)       \
    X(0xa2, F64_MUL,             NONE, binary, F64_MUL,             F64, F64, _, _, _, N, _)       \
    X(0xa3, F64_DIV,             NONE, binary, F64_DIV,             F64, F64, _, _, _, N, _)       \
    X(0xa4, F64_MIN,             NONE, binary, F64_MIN,             F64, F64, _, _, _, N, _)       \
    X(0xa5, F64_MAX,             NONE, binary, F64_MAX,             F64, F64, _, _, _, N, _)       \
    X(0xa6, F64_COPYSIGN,        NONE, binary, F64_COPYSIGN,        F64, F64, _, _, _, _, _)       \
    X(0xa7, I32_WRAP_I64,        NONE, unary,  I32_WRAP_I64,        I64, I32, _, _, _, _, _)       \
    X(0xa8, I32_TRUNC_F32_S,     NONE, unary,  I32_TRUNC_F32_S,     F32, I32, _, _, _, _, _)       \
    X(0xa9, I32_TRUNC_F32_U,     NONE, unary,  I32_TRUNC_F32_U,     F32, I32, _, _, _, _, _)       \
    X(0xaa, I32_TRUNC_F64_S,     NONE, unary,  I32_TRUNC_F64_S,     F64, I32, _, _, _, _, _)       \
    X(0xab, I32_TRUNC_F64_U,     NONE, unary,  I32_TRUNC_F64_U,     F64, I32, _, _, _, _, _)       \
    X(0xac, I64_EXTEND_I32_S,    NONE, unary,  I64_EXTEND_I32_S,    I32, I64, _, _, _, _, _)       \
    X(0xad, I64_EXTEND_I32_U,    NONE, unary,  I64_EXTEND_I32_U,    I32, I64, _, _, _, _, _)       \
    X(0xae, I64_TRUNC_F32_S,     NONE, unary,  I64_TRUNC_F32_S,     F32, I64, _, _, _, _, _)       \
    X(0xaf, I64_TRUNC_F32_U,     NONE, unary,  I64_TRUNC_F32_U,     F32, I64, _, _, _, _, _)       \
    X(0xb0, I64_TRUNC_F64_S,     NONE, unary,  I64_TRUNC_F64_S,     F64, I64, _, _, _, _, _)       \
    X(0xb1, I64_TRUNC_F64_U,     NONE, unary,  I64_TRUNC_F64_U,     F64, I64, _, _, _, _, _)       \
    X(0xb2, F32_CONVERT_I32_S,   NONE, unary,  F32_CONVERT_I32_S,   I32, F32, _, _, _, _, _)       \
    X(0xb3, F32_CONVERT_I32_U,   NONE, unary,  F32_CONVERT_I32_U,   I32, F32, _, _, _, _, _)       \
    X(0xb4, F32_CONVERT_I64_S,   NONE, unary,  F32_CONVERT_I64_S,   I64, F32, _, _, _, _, _)       \
    X(0xb5, F32_CONVERT_I64_U,   NONE, unary,  F32_CONVERT_I64_U,   I64, F32, _, _, _, _, _)       \
    X(0xb6, F32_DEMOTE_F64,      NONE, unary,  F32_DEMOTE_F64,      F64, F32, _, _, _, N, _)       \
    X(0xb7, F64_CONVERT_I32_S,   NONE, unary,  F64_CONVERT_I32_S,   I32, F64, _, _, _, _, _)       \
    X(0xb8, F64_CONVERT_I32_U,   NONE, unary,  F64_CONVERT_I32_U,   I32, F64, _, _, _, _, _)       \
    X(0xb9, F64_CONVERT_I64_S,   NONE, unary,  F64_CONVERT_I64_S,   I64, F64, _, _, _, _, _)       \
    X(0xba, F64_CONVERT_I64_U,   NONE, unary,  F64_CONVERT_I64_U,   I64, F64, _, _, _, _, _)       \
    X(0xbb, F64_PROMOTE_F32,     NONE, unary,  F64_PROMOTE_F32,     F32, F64, _, _, _, N, _)       \
    X(0xbc, I32_REINTERPRET_F32, NONE, unary,  I32_REINTERPRET_F32, F32, I32, _, _, _, _, _)       \
    X(0xbd, I64_REINTERPRET_F64, NONE, unary,  I64_REINTERPRET_F64, F64, I64, _, _, _, _, _)       \
    X(0xbe, F32_REINTERPRET_I32, NONE, unary,  F32_REINTERPRET_I32, I32, F32, _, _, _, _, _)       \
    X(0xbf, F64_REINTERPRET_I64, NONE, unary,  F64_REINTERPRET_I64, I64, F64, _, _, _, _, _)       \
    X(0xc0, I32_EXTEND8_S,       NONE, unary,  I32_EXTEND8_S,       I32, I32, _, _, _, _, _)       \
    X(0xc1, I32_EXTEND16_S,      NONE, unary,  I32_EXTEND16_S,      I32, I32, _, _, _, _, _)       \
    X(0xc2, I64_EXTEND8_S,       NONE, unary,  I64_EXTEND8_S,       I64, I64, _, _, _, _, _)       \
    X(0xc3, I64_EXTEND16_S,      NONE, unary,  I64_EXTEND16_S,      I64, I64, _, _, _, _, _)       \
    X(0xc4, I64_EXTEND32_S,      NONE, unary,  I64_EXTEND32_S,      I64, I64, _, _, _, _, _)

/* Reference instructions and the two prefixes. */
#define ENG_WASM_REF_OPS(X)                                                                        \
    X(0xd0, REF_NULL,      REFTYPE,    ref_null,      _,             _,   _,       _, _, _, _, _)  \
    X(0xd1, REF_IS_NULL,   NONE,       ref_is_null,   REF_IS_NULL,   _,   I32,     _, _, _, _, _)  \
    X(0xd2, REF_FUNC,      FUNC,       ref_func,      REF_FUNC,      _,   FUNCREF, _, _, _, _, _)  \
    X(0xfc, PREFIX_FC,     PREFIX_FC,  prefix_fc,     _,             _,   _,       _, _, _, _, _)  \
    X(0xfd, PREFIX_SIMD,   SIMD,       simd,          _,             _,   _,       _, _, _, _, _)

/* Every one-byte opcode, in opcode order. */
#define ENG_WASM_OPS(X) ENG_WASM_CONTROL_OPS(X) ENG_WASM_NUMERIC_OPS(X) ENG_WASM_REF_OPS(X)

/* 0xFC 0-7: the saturating truncations, numeric like the ones above. */
#define ENG_WASM_SAT_OPS(X)                                                                        \
    X(0,    I32_TRUNC_SAT_F32_S, NONE, unary,  I32_TRUNC_SAT_F32_S, F32, I32, _, _, _, _, _)       \
    X(1,    I32_TRUNC_SAT_F32_U, NONE, unary,  I32_TRUNC_SAT_F32_U, F32, I32, _, _, _, _, _)       \
    X(2,    I32_TRUNC_SAT_F64_S, NONE, unary,  I32_TRUNC_SAT_F64_S, F64, I32, _, _, _, _, _)       \
    X(3,    I32_TRUNC_SAT_F64_U, NONE, unary,  I32_TRUNC_SAT_F64_U, F64, I32, _, _, _, _, _)       \
    X(4,    I64_TRUNC_SAT_F32_S, NONE, unary,  I64_TRUNC_SAT_F32_S, F32, I64, _, _, _, _, _)       \
    X(5,    I64_TRUNC_SAT_F32_U, NONE, unary,  I64_TRUNC_SAT_F32_U, F32, I64, _, _, _, _, _)       \
    X(6,    I64_TRUNC_SAT_F64_S, NONE, unary,  I64_TRUNC_SAT_F64_S, F64, I64, _, _, _, _, _)       \
    X(7,    I64_TRUNC_SAT_F64_U, NONE, unary,  I64_TRUNC_SAT_F64_U, F64, I64, _, _, _, _, _)

/* 0xFC 8-17: bulk memory and table instructions. */
#define ENG_WASM_BULK_OPS(X)                                                                       \
    X(8,    MEMORY_INIT,   DATA_MEM,   memory_init,   MEMORY_INIT,   I32, _,       _, _, _, _, _)  \
    X(9,    DATA_DROP,     DATA,       data_drop,     DATA_DROP,     _,   _,       _, _, _, _, _)  \
    X(10,   MEMORY_COPY,   MEMORY2,    memory_copy,   MEMORY_COPY,   I32, _,       _, _, _, _, _)  \
    X(11,   MEMORY_FILL,   MEMORY,     memory_fill,   MEMORY_FILL,   I32, _,       _, _, _, _, _)  \
    X(12,   TABLE_INIT,    ELEM_TABLE, table_init,    TABLE_INIT,    I32, _,       _, _, _, _, _)  \
    X(13,   ELEM_DROP,     ELEM,       elem_drop,     ELEM_DROP,     _,   _,       _, _, _, _, _)  \
    X(14,   TABLE_COPY,    TABLE2,     table_copy,    TABLE_COPY,    I32, _,       _, _, _, _, _)  \
    X(15,   TABLE_GROW,    TABLE,      table_grow,    TABLE_GROW,    _,   I32,     _, _, _, _, _)  \
    X(16,   TABLE_SIZE,    TABLE,      table_size,    TABLE_SIZE,    _,   I32,     _, _, _, _, _)  \
    X(17,   TABLE_FILL,    TABLE,      table_fill,    TABLE_FILL,    _,   _,       _, _, _, _, _)

/* Every 0xFC-prefixed instruction, in sub-opcode order. */
#define ENG_WASM_FC_OPS(X) ENG_WASM_SAT_OPS(X) ENG_WASM_BULK_OPS(X)

/* ---- the internal instructions -------------------------------------------------------------- */

/* The internal ops that are not a numeric wasm instruction's own, with their operand layouts.
 * "rel" is a branch target relative to the instruction's first cell. */
#define ENG_INTERNAL_OPS(X)                                                                        \
    X(UNREACHABLE)     /* [op] */                                                                  \
    X(BR)              /* [op][rel] */                                                             \
    X(BR_IF_NZ)        /* [op][cond][rel]: taken when cond is non-zero */                          \
    X(BR_IF_Z)         /* [op][cond][rel]: taken when cond is zero */                              \
    X(BR_TABLE)        /* [op][index | count<<32][rel x count+1] */                                \
    X(RETURN)          /* [op]: results already in fp[0..n) */                                     \
    X(CALL)            /* [op][arg_base | funcidx<<32]: a function defined by the module */        \
    X(CALL_IMPORT)     /* [op][arg_base | funcidx<<32]: an imported one (host or wasm) */          \
    X(CALL_INDIRECT)   /* [op][index | arg_base<<16 | typeidx<<32][table] */                       \
    X(COPY)            /* [op][dst | src<<16] */                                                   \
    X(COPY2)           /* [op][dst1 | src1<<16 | dst2<<32 | src2<<48]: two copies, in order */     \
    X(COPY_BR)         /* [op][dst | src<<16][rel]: a copy, then a jump */                         \
    X(COPY2_BR)        /* [op][dst1 | src1<<16 | dst2<<32 | src2<<48][rel] */                      \
    /* Branches whose target starts a metered block (FUEL, or FUEL_LOOP at a loop head) do the   \
     * target's charge themselves, saving its dispatch; the compiler picks them when it resolves \
     * the target.  IF_*_FUEL: both the target and the next instruction are FUEL.  Same layouts. */ \
    X(BR_FUEL)         /* [op][rel] */                                                             \
    X(BR_LOOP)                                                                                     \
    X(BR_IF_NZ_FUEL)   /* [op][cond][rel] */                                                       \
    X(BR_IF_NZ_LOOP)                                                                               \
    X(IF_NZ_FUEL)                                                                                  \
    X(BR_IF_Z_FUEL)                                                                                \
    X(BR_IF_Z_LOOP)                                                                                \
    X(IF_Z_FUEL)                                                                                   \
    X(COPY_BR_FUEL)    /* [op][dst | src<<16][rel] */                                              \
    X(COPY_BR_LOOP)                                                                                \
    X(COPY2_BR_FUEL)   /* [op][dst1 | src1<<16 | dst2<<32 | src2<<48][rel] */                      \
    X(COPY2_BR_LOOP)                                                                               \
    X(CONST32)         /* [op][dst | imm32<<32] */                                                 \
    X(CONST64)         /* [op][dst][imm64] */                                                      \
    X(SELECT)          /* [op][dst | a<<16 | b<<32 | cond<<48] */                                  \
    X(GLOBAL_GET)      /* [op][dst | global<<32] */                                                \
    X(GLOBAL_SET)      /* [op][src | global<<32] */                                                \
    X(I32_LOAD)        /* loads: [op][dst | addr<<16 | offset<<32] */                              \
    X(I64_LOAD)                                                                                    \
    X(I32_LOAD8_S)                                                                                 \
    X(I32_LOAD8_U)                                                                                 \
    X(I32_LOAD16_S)                                                                                \
    X(I32_LOAD16_U)                                                                                \
    X(I64_LOAD8_S)                                                                                 \
    X(I64_LOAD8_U)                                                                                 \
    X(I64_LOAD16_S)                                                                                \
    X(I64_LOAD16_U)                                                                                \
    X(I64_LOAD32_S)                                                                                \
    X(I64_LOAD32_U)                                                                                \
    X(STORE8)          /* stores (the low bytes of value): [op][value | addr<<16 | offset<<32] */  \
    X(STORE16)                                                                                     \
    X(STORE32)                                                                                     \
    X(STORE64)                                                                                     \
    X(MEMORY_SIZE)     /* [op][dst] */                                                             \
    X(MEMORY_GROW)     /* [op][dst | delta<<16] */                                                 \
    X(MEMORY_INIT)     /* [op][d | s<<16 | n<<32][data] */                                         \
    X(DATA_DROP)       /* [op][data] */                                                            \
    X(MEMORY_COPY)     /* [op][d | s<<16 | n<<32] */                                               \
    X(MEMORY_FILL)     /* [op][d | val<<16 | n<<32] */                                             \
    X(TABLE_GET)       /* [op][dst | index<<16 | table<<32] */                                     \
    X(TABLE_SET)       /* [op][value | index<<16 | table<<32] */                                   \
    X(TABLE_SIZE)      /* [op][dst | table<<32] */                                                 \
    X(TABLE_GROW)      /* [op][dst | init<<16 | n<<32][table] */                                   \
    X(TABLE_FILL)      /* [op][i | val<<16 | n<<32][table] */                                      \
    X(TABLE_COPY)      /* [op][d | s<<16 | n<<32][dst_table | src_table<<32] */                    \
    X(TABLE_INIT)      /* [op][d | s<<16 | n<<32][elem | table<<32] */                             \
    X(ELEM_DROP)       /* [op][elem] */                                                            \
    X(REF_IS_NULL)     /* [op][dst | ref<<16] */                                                   \
    X(REF_FUNC)        /* [op][dst | func<<32] */                                                  \
    X(FUEL)            /* [op][cost]: charge the basic block that follows */                       \
    X(FUEL_LOOP)       /* [op][cost]: the same at a loop head, and poll for interruption */        \
    X(COUNT)           /* [op][func]: count_instructions, before FUEL/FUEL_LOOP: adds its cost */  \
    X(INTERRUPT_CHECK) /* [op]: a loop head's poll when compiled without metering */               \
    X(CANON32)         /* [op][dst | src<<16]: canonical NaN if src is a NaN */                    \
    X(CANON64)         /* [op][dst | src<<16] */

/* Column helpers.  A flag column holds its letter or `_`; ENG_PICK_<flag>(yes, no) chooses by
 * it, ENG_FLAG_<flag> is its bit in a row's flags.  `_` in the internal or type columns is
 * ENG_OP__ / ENG_VT__. */
#define ENG_PICK_I(yes, no) yes
#define ENG_PICK_B(yes, no) yes
#define ENG_PICK_Z(yes, no) no /* eqz has no fused ops of its own */
#define ENG_PICK__(yes, no) no
#define ENG_FLAG_C 0x01u /* commutative */
#define ENG_FLAG_I 0x02u /* has an immediate form */
#define ENG_FLAG_B 0x04u /* fuses into BR_<op> */
#define ENG_FLAG_Z 0x08u /* fuses into BR_IF_Z / BR_IF_NZ */
#define ENG_FLAG_N 0x10u /* NaN non-deterministic */
#define ENG_FLAG__ 0u
#define ENG_FLAGS(c, i, b, n) (ENG_FLAG_##c | ENG_FLAG_##i | ENG_FLAG_##b | ENG_FLAG_##n)
#define ENG_VT_I32 BST_I32
#define ENG_VT_I64 BST_I64
#define ENG_VT_F32 BST_F32
#define ENG_VT_F64 BST_F64
#define ENG_VT_FUNCREF BST_FUNCREF
#define ENG_VT__ 0
#define ENG_OP__ ENG_OP__COUNT

/* Superinstructions: pairs of ops that run back to back in one basic block often enough to
 * save the second one's dispatch (picked from dynamic op-pair counts over the benchmark modules;
 * docs/performance.md).  FIRST__SECOND is [op][first's operand cell][second's operand cell]: the
 * handler does the first op's work, then continues in the second's handler one cell on.  Both
 * must be [op][operand] ops that read nothing but their operand cell, except that the first may
 * also be CONST64 ([op][dst][imm64]: a 64-bit constant for an op without an immediate form,
 * whose handler then continues two cells on), and the second may be a conditional branch
 * ([op][cond][rel], its offset taken from the pair's first operand cell, where its handler starts;
 * the compiler swaps in the pair with the branch's metered-block variant when it resolves the
 * target); the compiler fuses them
 * when it emits the second right after the first (compile.c: emit_op).  Rows are grouped by
 * first op (the compiler indexes each group by its first row). */
/* first + a fused compare-and-branch, in all four of its forms */
#define ENG_FUSED_CMPBR(X, first, cmp)                                                             \
    X(first, BR_##cmp) X(first, BR_##cmp##_FUEL) X(first, BR_##cmp##_LOOP) X(first, IF_##cmp##_FUEL)
#define ENG_FUSED_OPS(X)                                                                           \
    X(I32_ADD, I32_ADD_IMM) X(I32_ADD, I32_LOAD8_U) X(I32_ADD, I32_LOAD) X(I32_ADD, COPY)          \
    ENG_FUSED_CMPBR(X, I32_ADD, I32_GT_U)                                                          \
    X(I32_ADD_IMM, I32_ADD_IMM) X(I32_ADD_IMM, I32_ADD) X(I32_ADD_IMM, I32_AND_IMM)                \
    X(I32_ADD_IMM, I64_LOAD) X(I32_ADD_IMM, I32_LOAD) X(I32_ADD_IMM, STORE32)                      \
    X(I32_ADD_IMM, COPY) X(I32_ADD_IMM, CALL) X(I32_ADD_IMM, BR_IF_NZ)                             \
    X(I32_ADD_IMM, BR_IF_NZ_LOOP) X(I32_ADD_IMM, BR_IF_NZ_FUEL)                                    \
    ENG_FUSED_CMPBR(X, I32_ADD_IMM, I32_LE_U) ENG_FUSED_CMPBR(X, I32_ADD_IMM, I32_EQ_IMM)          \
    ENG_FUSED_CMPBR(X, I32_ADD_IMM, I32_GT_U_IMM)                                                  \
    X(I32_SUB_IMM, CALL) X(I64_SUB_IMM, CALL) X(COPY, CALL) X(COPY, BR_IF_NZ)                      \
    X(COPY, BR_IF_NZ_LOOP) X(COPY, BR_IF_NZ_FUEL) X(COPY, I32_LOAD) X(I32_SHR_U_IMM, I32_AND_IMM)  \
    X(I32_SHL_IMM, I32_ADD) X(I32_SHL_IMM, I32_ADD_IMM) X(I32_AND, I32_ADD)                        \
    X(I32_AND, I32_SHL_IMM)                                                                        \
    X(I32_AND_IMM, I32_XOR_IMM) X(I32_AND_IMM, SELECT) X(I32_MUL, I32_ADD)                         \
    X(I32_XOR, I32_AND_IMM) X(I32_XOR_IMM, I32_SHR_U_IMM) X(I32_LOAD, STORE32)                     \
    X(I32_LOAD, I32_LOAD8_U) X(I32_LOAD, I32_SUB) X(I32_LOAD, I32_ADD_IMM) X(I32_LOAD, BR_IF_NZ)   \
    X(I32_LOAD, BR_IF_NZ_LOOP) X(I32_LOAD, BR_IF_NZ_FUEL) X(I32_LOAD, I32_LOAD16_U)                \
    X(I32_LOAD8_U, I32_ADD) X(I32_LOAD8_U, I32_AND) X(I32_LOAD8_U, COPY)                           \
    ENG_FUSED_CMPBR(X, I32_LOAD8_U, I32_NE) ENG_FUSED_CMPBR(X, I32_SUB, I32_GT_U)                  \
    ENG_FUSED_CMPBR(X, I32_SUB, I32_GE_U)                                                          \
    X(I32_LOAD16_S, I32_LOAD16_S) X(I64_LOAD, F64_SUB) X(I64_LOAD, STORE64) X(I64_LOAD, F64_MUL)   \
    X(I64_LOAD, CONST32) X(I64_MUL, I64_ADD) X(I64_SHL_IMM, I64_SHR_U_IMM) X(I64_SHL_IMM, I64_OR)  \
    X(I64_SHR_U_IMM, I64_OR) X(I64_SHR_U_IMM, I32_WRAP_I64) X(I64_SHR_U_IMM, I64_ADD)              \
    X(I64_EXTEND_I32_U, I64_ADD) X(I64_LT_U, I64_EXTEND_I32_U) X(I64_ADD, I64_LT_U)                \
    X(I64_OR, I64_ADD) X(I32_WRAP_I64, I32_AND_IMM) X(F64_MUL, F64_ADD) X(F64_MUL, F64_MUL)        \
    X(F64_MUL, F64_SUB) X(F64_ADD, F64_ADD) X(F64_ADD, F64_MUL) X(F64_ADD, I64_LOAD)               \
    X(F64_ADD, CONST32) X(F64_SUB, F64_MUL) X(STORE64, I32_ADD_IMM) X(STORE64, RETURN)             \
    X(STORE32, I32_ADD_IMM) X(STORE32, COPY) X(SELECT, I32_SHR_U_IMM) X(SELECT, SELECT)            \
    X(CONST32, I32_ADD_IMM) X(CONST32, I64_AND) X(CONST32, SELECT) X(CONST32, F64_LT)              \
    X(CONST32, F64_GT) X(GLOBAL_GET, I32_SUB_IMM) X(GLOBAL_SET, RETURN) X(CONST64, I64_AND)        \
    X(CONST64, I64_ADD) X(CONST64, I64_OR) X(CONST64, F64_MUL) X(CONST64, F64_ADD)                 \
    X(CONST64, F64_SUB) X(CONST64, F64_LT) X(CONST64, F64_GT) X(CONST64, STORE64)                  \
    X(I32_LOAD16_U, I32_AND_IMM) X(I32_LOAD16_U, I32_MUL) X(F64_LT, BR_IF_NZ)                      \
    X(F64_LT, BR_IF_NZ_FUEL) X(F64_LT, BR_IF_NZ_LOOP)
#define ENG_X_OP_FUSED(first, second) ENG_OP_ITEM(first##__##second)

/* Three ops in a row: A__B__C is the pair A__B followed by C, [op][A's cell][B's cell][C's
 * cell]; the handler does A's and B's work, then continues in C's handler two cells on.  A and B
 * follow the rules for a pair's first op (A__B must be a pair), C those for a second.  The
 * compiler forms them as it forms pairs, with the pair A__B as the first op.  Rows are grouped
 * by A__B.  (Picked from the same dynamic counts: a pair often followed by the same op.) */
#define ENG_FUSED3_BR(X, a, b, br) X(a, b, br) X(a, b, br##_FUEL) X(a, b, br##_LOOP)
#define ENG_FUSED3_OPS(X)                                                                          \
    ENG_FUSED3_BR(X, I32_LOAD8_U, COPY, BR_IF_NZ) X(I32_AND_IMM, I32_XOR_IMM, I32_SHR_U_IMM)       \
    X(I32_AND_IMM, I32_XOR_IMM, I32_AND_IMM) X(I32_LOAD, I32_ADD_IMM, STORE32)                     \
    X(I32_LOAD, I32_LOAD8_U, I32_AND_IMM) ENG_FUSED3_BR(X, I32_LOAD, I32_LOAD8_U, BR_IF_NZ)        \
    X(I32_LOAD, I32_LOAD8_U, IF_NZ_FUEL) X(CONST32, I32_ADD_IMM, I32_AND_IMM)                      \
    X(I32_ADD, I32_ADD_IMM, COPY) ENG_FUSED3_BR(X, I32_ADD, I32_ADD_IMM, BR_IF_NZ)                 \
    X(I32_ADD_IMM, I32_ADD_IMM, I32_ADD_IMM) ENG_FUSED3_BR(X, I32_ADD_IMM, I32_ADD_IMM, BR_IF_NZ)  \
    X(F64_SUB, F64_MUL, F64_SUB) X(F64_SUB, F64_MUL, F64_ADD) X(I64_LOAD, F64_SUB, F64_MUL)        \
    X(F64_MUL, F64_ADD, F64_MUL) X(F64_MUL, F64_ADD, STORE64) X(F64_MUL, F64_MUL, F64_ADD)         \
    X(F64_ADD, F64_ADD, STORE64) X(F64_ADD, F64_MUL, F64_ADD) X(I32_ADD_IMM, I64_LOAD, STORE64)    \
    ENG_FUSED_CMPBR3(X, I32_ADD, I32_LOAD, I32_NE)                                                 \
    ENG_FUSED_CMPBR3(X, I32_ADD_IMM, I32_ADD, I32_LE_U) X(I32_SHL_IMM, I32_ADD, I32_LOAD)          \
    X(I32_SHL_IMM, I32_ADD, STORE32) X(GLOBAL_GET, I32_SUB_IMM, GLOBAL_SET)                        \
    X(I64_SHL_IMM, I64_SHR_U_IMM, I64_OR) X(I32_LOAD8_U, I32_AND, I32_ADD)                         \
    X(COPY, I32_LOAD, STORE32) X(I32_MUL, I32_ADD, I32_ADD_IMM)                                    \
    ENG_FUSED3_BR(X, CONST32, F64_LT, BR_IF_NZ) X(CONST32, F64_GT, I32_XOR_IMM)                    \
    X(I32_SHL_IMM, I32_ADD_IMM, I32_LOAD) X(I32_ADD_IMM, I32_LOAD, I32_ADD)                        \
    ENG_FUSED_CMPBR3(X, I32_ADD, I32_LOAD8_U, I32_NE) ENG_FUSED_CMPBR3(X, I32_AND, I32_ADD, I32_GT_U)
#define ENG_FUSED_CMPBR3(X, a, b, cmp)                                                             \
    X(a, b, BR_##cmp) X(a, b, BR_##cmp##_FUEL) X(a, b, BR_##cmp##_LOOP) X(a, b, IF_##cmp##_FUEL)
#define ENG_X_OP_FUSED3(a, b, c) ENG_OP_ITEM(a##__##b##__##c)

/* Chained pairs: A__B__CA (CB) is the pair A__B when B's operand a (b) is the slot A has just
 * written.  The handler hands A's result to B in a register (it still writes the slot), so that
 * a dependent chain does not wait on a store-to-load forwarding per link (4-5 cycles on an
 * integer value here, more on a float, against 1-4 for the operation itself).  Same cells as the
 * pair; the compiler picks the variant once the function's slots are final.  A__B must be a row
 * of ENG_FUSED_OPS; rows are X(A, B, links): AB where B reads two slots (both variants), A where
 * it reads one (an immediate form, a load's address: CA only). */
#define ENG_CHAINED_OPS(X)                                                                         \
    X(F64_MUL, F64_ADD, AB) X(F64_MUL, F64_MUL, AB) X(F64_MUL, F64_SUB, AB)                        \
    X(F64_ADD, F64_ADD, AB) X(F64_ADD, F64_MUL, AB) X(F64_SUB, F64_MUL, AB)                        \
    X(I64_LOAD, F64_SUB, AB) X(I64_LOAD, F64_MUL, AB) X(I32_SHR_U_IMM, I32_AND_IMM, A)             \
    X(SELECT, I32_SHR_U_IMM, A) X(I32_XOR, I32_AND_IMM, A) X(I32_LOAD, I32_LOAD16_U, A)            \
    X(I32_LOAD16_U, I32_MUL, AB) X(I32_ADD_IMM, I32_AND_IMM, A) X(I32_ADD_IMM, I32_LOAD, A)        \
    X(I32_ADD, I32_LOAD8_U, A) X(I32_SHL_IMM, I32_ADD, AB) X(I32_AND, I32_ADD, AB)                 \
    X(I32_ADD, I32_LOAD, A) X(I32_LOAD, I32_LOAD8_U, A)
#define ENG_X_OP_CHAINED_AB(a, b) ENG_OP_ITEM(a##__##b##__CA) ENG_OP_ITEM(a##__##b##__CB)
#define ENG_X_OP_CHAINED_A(a, b) ENG_OP_ITEM(a##__##b##__CA)
#define ENG_X_OP_CHAINED(a, b, links) ENG_X_OP_CHAINED_##links(a, b)
/* ... and the three-op ones: A__B__C__<B's link><C's link>, B's link being CN (B reads its operands
 * from the slots), CA or CB as above, C's CA, CB or GO (C's own handler does its work from the
 * slots: a branch, whose operands are on no chain of values).  Rows are X(A, B, C, B's links,
 * C's links), links AB (B: CN, CA, CB; C: CA, CB), A (B: CN, CA; C: CA) or GO (C only); CN with
 * GO is the plain three-op superinstruction.  A__B__C must be a row of ENG_FUSED3_OPS. */
#define ENG_CHAINED3_BR(X, a, b, cmp, links)                                                       \
    X(a, b, BR_##cmp, links, GO) X(a, b, BR_##cmp##_FUEL, links, GO)                               \
    X(a, b, BR_##cmp##_LOOP, links, GO) X(a, b, IF_##cmp##_FUEL, links, GO)
#define ENG_CHAINED3_OPS(X)                                                                        \
    X(F64_SUB, F64_MUL, F64_SUB, AB, AB) X(F64_SUB, F64_MUL, F64_ADD, AB, AB)                      \
    X(I64_LOAD, F64_SUB, F64_MUL, AB, AB) X(F64_MUL, F64_ADD, F64_MUL, AB, AB)                     \
    X(F64_MUL, F64_MUL, F64_ADD, AB, AB) X(F64_ADD, F64_MUL, F64_ADD, AB, AB)                      \
    X(I32_MUL, I32_ADD, I32_ADD_IMM, AB, A) X(I32_AND_IMM, I32_XOR_IMM, I32_SHR_U_IMM, A, A)       \
    X(I32_LOAD, I32_LOAD8_U, I32_AND_IMM, A, A) X(I32_SHL_IMM, I32_ADD, I32_LOAD, AB, A)           \
    X(I32_SHL_IMM, I32_ADD_IMM, I32_LOAD, A, A) X(I32_ADD_IMM, I32_LOAD, I32_ADD, A, AB)           \
    ENG_CHAINED3_BR(X, I32_ADD, I32_LOAD8_U, I32_NE, A)                                            \
    ENG_CHAINED3_BR(X, I32_AND, I32_ADD, I32_GT_U, A)
/* F(A, B, C, B's link, C's link) for each variant of a row */
#define ENG_CHAINED3_VARIANTS(F, a, b, c, links2, links3) ENG_C3_B_##links2(F, a, b, c, links3)
#define ENG_C3_B_AB(F, a, b, c, l3)                                                                \
    ENG_C3_C_##l3(F, a, b, c, CN) ENG_C3_C_##l3(F, a, b, c, CA) ENG_C3_C_##l3(F, a, b, c, CB)
#define ENG_C3_B_A(F, a, b, c, l3) ENG_C3_C_##l3(F, a, b, c, CN) ENG_C3_C_##l3(F, a, b, c, CA)
#define ENG_C3_C_AB(F, a, b, c, l2) F(a, b, c, l2, CA) F(a, b, c, l2, CB)
#define ENG_C3_C_A(F, a, b, c, l2) F(a, b, c, l2, CA)
#define ENG_C3_C_GO(F, a, b, c, l2) ENG_C3_GO_##l2(F, a, b, c)
#define ENG_C3_GO_CN(F, a, b, c)
#define ENG_C3_GO_CA(F, a, b, c) F(a, b, c, CA, GO)
#define ENG_C3_GO_CB(F, a, b, c) F(a, b, c, CB, GO)
#define ENG_X_OP_CHAINED3_ITEM(a, b, c, l2, l3) ENG_OP_ITEM(a##__##b##__##c##__##l2##l3)
#define ENG_X_OP_CHAINED3(a, b, c, links2, links3)                                                 \
    ENG_CHAINED3_VARIANTS(ENG_X_OP_CHAINED3_ITEM, a, b, c, links2, links3)

/* The whole internal instruction set, in handler-table order, as ENG_OP_ITEM(name) for each op:
 * the numeric wasm instructions' own ops, the others above, then the immediate forms
 * (<op>_IMM: [op][dst | a<<16 | imm32<<32]) and the fused compare-and-branch ops
 * (BR_<cmp>: [op][- | a<<16 | b<<32][rel], BR_<cmp>_IMM: [op][- | a<<16 | imm32<<32][rel], taken
 * when the comparison holds), both generated from the flag columns, and the superinstructions.
 * Define ENG_OP_ITEM before expanding it. */
#define ENG_X_OP_OWN(code, name, imm, how, iop, in, out, C, I, B, N, inv) ENG_OP_ITEM(iop)
#define ENG_X_OP_IMM(code, name, imm, how, iop, in, out, C, I, B, N, inv)                          \
    ENG_PICK_##I(ENG_OP_ITEM(iop##_IMM), )
#define ENG_X_OP_CMPBR(code, name, imm, how, iop, in, out, C, I, B, N, inv)                        \
    ENG_PICK_##B(ENG_OP_ITEM(BR_##iop) ENG_OP_ITEM(BR_##iop##_IMM), )
/* ... and their variants into a metered block, as for BR_IF_NZ (ENG_INTERNAL_OPS): BR_<cmp>_FUEL,
 * BR_<cmp>_LOOP and IF_<cmp>_FUEL, each also in the _IMM form, with the same layouts. */
#define ENG_X_OP_CMPBR_INTO(code, name, imm, how, iop, in, out, C, I, B, N, inv)                   \
    ENG_PICK_##B(ENG_OP_ITEM(BR_##iop##_FUEL) ENG_OP_ITEM(BR_##iop##_LOOP)                         \
                 ENG_OP_ITEM(IF_##iop##_FUEL) ENG_OP_ITEM(BR_##iop##_IMM_FUEL)                     \
                 ENG_OP_ITEM(BR_##iop##_IMM_LOOP) ENG_OP_ITEM(IF_##iop##_IMM_FUEL), )
#define ENG_ALL_OPS                                                                                \
    ENG_WASM_NUMERIC_OPS(ENG_X_OP_OWN) ENG_WASM_SAT_OPS(ENG_X_OP_OWN)                              \
    ENG_INTERNAL_OPS(ENG_OP_ITEM)                                                                  \
    ENG_WASM_NUMERIC_OPS(ENG_X_OP_IMM) ENG_WASM_NUMERIC_OPS(ENG_X_OP_CMPBR)                        \
    ENG_WASM_NUMERIC_OPS(ENG_X_OP_CMPBR_INTO) ENG_FUSED_OPS(ENG_X_OP_FUSED)                        \
    ENG_FUSED3_OPS(ENG_X_OP_FUSED3) ENG_CHAINED_OPS(ENG_X_OP_CHAINED)                              \
    ENG_CHAINED3_OPS(ENG_X_OP_CHAINED3)

typedef enum eng_op {
#define ENG_OP_ITEM(name) ENG_OP_##name,
    ENG_ALL_OPS
#undef ENG_OP_ITEM
    ENG_OP__COUNT
} eng_op;

/* clang-format on */

#endif /* ENG_ENGINE_OPS_H */
