/*
 * ops.h — the internal instruction set (engine-internal), as an X-macro list.
 *
 * The compiler (compile.c) emits these; the interpreter (interp.c) implements them.  Both expand
 * the same list, so the handler table can never drift from the enum.  See docs/architecture.md
 * for the encoding: every instruction is one 64-bit cell holding the handler address, followed by
 * operand cells; operands name frame slots (16-bit indices relative to the frame pointer).
 *
 * Numeric operations that map 1:1 to a wasm opcode come first via BST_NUMERIC_OPS(X), where
 * X(name, wasm_opcode, kind, in_type, out_type) and kind is U (unary) or B (binary).
 */
#ifndef BST_ENGINE_OPS_H
#define BST_ENGINE_OPS_H

#define BST_NUMERIC_OPS(X)                                                                       \
    X(I32_EQZ, 0x45, U, I32, I32)                                                               \
    X(I32_EQ, 0x46, B, I32, I32)                                                                \
    X(I32_NE, 0x47, B, I32, I32)                                                                \
    X(I32_LT_S, 0x48, B, I32, I32)                                                              \
    X(I32_LT_U, 0x49, B, I32, I32)                                                              \
    X(I32_GT_S, 0x4a, B, I32, I32)                                                              \
    X(I32_GT_U, 0x4b, B, I32, I32)                                                              \
    X(I32_LE_S, 0x4c, B, I32, I32)                                                              \
    X(I32_LE_U, 0x4d, B, I32, I32)                                                              \
    X(I32_GE_S, 0x4e, B, I32, I32)                                                              \
    X(I32_GE_U, 0x4f, B, I32, I32)                                                              \
    X(I64_EQZ, 0x50, U, I64, I32)                                                               \
    X(I64_EQ, 0x51, B, I64, I32)                                                                \
    X(I64_NE, 0x52, B, I64, I32)                                                                \
    X(I64_LT_S, 0x53, B, I64, I32)                                                              \
    X(I64_LT_U, 0x54, B, I64, I32)                                                              \
    X(I64_GT_S, 0x55, B, I64, I32)                                                              \
    X(I64_GT_U, 0x56, B, I64, I32)                                                              \
    X(I64_LE_S, 0x57, B, I64, I32)                                                              \
    X(I64_LE_U, 0x58, B, I64, I32)                                                              \
    X(I64_GE_S, 0x59, B, I64, I32)                                                              \
    X(I64_GE_U, 0x5a, B, I64, I32)                                                              \
    X(F32_EQ, 0x5b, B, F32, I32)                                                                \
    X(F32_NE, 0x5c, B, F32, I32)                                                                \
    X(F32_LT, 0x5d, B, F32, I32)                                                                \
    X(F32_GT, 0x5e, B, F32, I32)                                                                \
    X(F32_LE, 0x5f, B, F32, I32)                                                                \
    X(F32_GE, 0x60, B, F32, I32)                                                                \
    X(F64_EQ, 0x61, B, F64, I32)                                                                \
    X(F64_NE, 0x62, B, F64, I32)                                                                \
    X(F64_LT, 0x63, B, F64, I32)                                                                \
    X(F64_GT, 0x64, B, F64, I32)                                                                \
    X(F64_LE, 0x65, B, F64, I32)                                                                \
    X(F64_GE, 0x66, B, F64, I32)                                                                \
    X(I32_CLZ, 0x67, U, I32, I32)                                                               \
    X(I32_CTZ, 0x68, U, I32, I32)                                                               \
    X(I32_POPCNT, 0x69, U, I32, I32)                                                            \
    X(I32_ADD, 0x6a, B, I32, I32)                                                               \
    X(I32_SUB, 0x6b, B, I32, I32)                                                               \
    X(I32_MUL, 0x6c, B, I32, I32)                                                               \
    X(I32_DIV_S, 0x6d, B, I32, I32)                                                             \
    X(I32_DIV_U, 0x6e, B, I32, I32)                                                             \
    X(I32_REM_S, 0x6f, B, I32, I32)                                                             \
    X(I32_REM_U, 0x70, B, I32, I32)                                                             \
    X(I32_AND, 0x71, B, I32, I32)                                                               \
    X(I32_OR, 0x72, B, I32, I32)                                                                \
    X(I32_XOR, 0x73, B, I32, I32)                                                               \
    X(I32_SHL, 0x74, B, I32, I32)                                                               \
    X(I32_SHR_S, 0x75, B, I32, I32)                                                             \
    X(I32_SHR_U, 0x76, B, I32, I32)                                                             \
    X(I32_ROTL, 0x77, B, I32, I32)                                                              \
    X(I32_ROTR, 0x78, B, I32, I32)                                                              \
    X(I64_CLZ, 0x79, U, I64, I64)                                                               \
    X(I64_CTZ, 0x7a, U, I64, I64)                                                               \
    X(I64_POPCNT, 0x7b, U, I64, I64)                                                            \
    X(I64_ADD, 0x7c, B, I64, I64)                                                               \
    X(I64_SUB, 0x7d, B, I64, I64)                                                               \
    X(I64_MUL, 0x7e, B, I64, I64)                                                               \
    X(I64_DIV_S, 0x7f, B, I64, I64)                                                             \
    X(I64_DIV_U, 0x80, B, I64, I64)                                                             \
    X(I64_REM_S, 0x81, B, I64, I64)                                                             \
    X(I64_REM_U, 0x82, B, I64, I64)                                                             \
    X(I64_AND, 0x83, B, I64, I64)                                                               \
    X(I64_OR, 0x84, B, I64, I64)                                                                \
    X(I64_XOR, 0x85, B, I64, I64)                                                               \
    X(I64_SHL, 0x86, B, I64, I64)                                                               \
    X(I64_SHR_S, 0x87, B, I64, I64)                                                             \
    X(I64_SHR_U, 0x88, B, I64, I64)                                                             \
    X(I64_ROTL, 0x89, B, I64, I64)                                                              \
    X(I64_ROTR, 0x8a, B, I64, I64)                                                              \
    X(F32_ABS, 0x8b, U, F32, F32)                                                               \
    X(F32_NEG, 0x8c, U, F32, F32)                                                               \
    X(F32_CEIL, 0x8d, U, F32, F32)                                                              \
    X(F32_FLOOR, 0x8e, U, F32, F32)                                                             \
    X(F32_TRUNC, 0x8f, U, F32, F32)                                                             \
    X(F32_NEAREST, 0x90, U, F32, F32)                                                           \
    X(F32_SQRT, 0x91, U, F32, F32)                                                              \
    X(F32_ADD, 0x92, B, F32, F32)                                                               \
    X(F32_SUB, 0x93, B, F32, F32)                                                               \
    X(F32_MUL, 0x94, B, F32, F32)                                                               \
    X(F32_DIV, 0x95, B, F32, F32)                                                               \
    X(F32_MIN, 0x96, B, F32, F32)                                                               \
    X(F32_MAX, 0x97, B, F32, F32)                                                               \
    X(F32_COPYSIGN, 0x98, B, F32, F32)                                                          \
    X(F64_ABS, 0x99, U, F64, F64)                                                               \
    X(F64_NEG, 0x9a, U, F64, F64)                                                               \
    X(F64_CEIL, 0x9b, U, F64, F64)                                                              \
    X(F64_FLOOR, 0x9c, U, F64, F64)                                                             \
    X(F64_TRUNC, 0x9d, U, F64, F64)                                                             \
    X(F64_NEAREST, 0x9e, U, F64, F64)                                                           \
    X(F64_SQRT, 0x9f, U, F64, F64)                                                              \
    X(F64_ADD, 0xa0, B, F64, F64)                                                               \
    X(F64_SUB, 0xa1, B, F64, F64)                                                               \
    X(F64_MUL, 0xa2, B, F64, F64)                                                               \
    X(F64_DIV, 0xa3, B, F64, F64)                                                               \
    X(F64_MIN, 0xa4, B, F64, F64)                                                               \
    X(F64_MAX, 0xa5, B, F64, F64)                                                               \
    X(F64_COPYSIGN, 0xa6, B, F64, F64)                                                          \
    X(I32_WRAP_I64, 0xa7, U, I64, I32)                                                          \
    X(I32_TRUNC_F32_S, 0xa8, U, F32, I32)                                                       \
    X(I32_TRUNC_F32_U, 0xa9, U, F32, I32)                                                       \
    X(I32_TRUNC_F64_S, 0xaa, U, F64, I32)                                                       \
    X(I32_TRUNC_F64_U, 0xab, U, F64, I32)                                                       \
    X(I64_EXTEND_I32_S, 0xac, U, I32, I64)                                                      \
    X(I64_EXTEND_I32_U, 0xad, U, I32, I64)                                                      \
    X(I64_TRUNC_F32_S, 0xae, U, F32, I64)                                                       \
    X(I64_TRUNC_F32_U, 0xaf, U, F32, I64)                                                       \
    X(I64_TRUNC_F64_S, 0xb0, U, F64, I64)                                                       \
    X(I64_TRUNC_F64_U, 0xb1, U, F64, I64)                                                       \
    X(F32_CONVERT_I32_S, 0xb2, U, I32, F32)                                                     \
    X(F32_CONVERT_I32_U, 0xb3, U, I32, F32)                                                     \
    X(F32_CONVERT_I64_S, 0xb4, U, I64, F32)                                                     \
    X(F32_CONVERT_I64_U, 0xb5, U, I64, F32)                                                     \
    X(F32_DEMOTE_F64, 0xb6, U, F64, F32)                                                        \
    X(F64_CONVERT_I32_S, 0xb7, U, I32, F64)                                                     \
    X(F64_CONVERT_I32_U, 0xb8, U, I32, F64)                                                     \
    X(F64_CONVERT_I64_S, 0xb9, U, I64, F64)                                                     \
    X(F64_CONVERT_I64_U, 0xba, U, I64, F64)                                                     \
    X(F64_PROMOTE_F32, 0xbb, U, F32, F64)                                                       \
    X(I32_REINTERPRET_F32, 0xbc, U, F32, I32)                                                   \
    X(I64_REINTERPRET_F64, 0xbd, U, F64, I64)                                                   \
    X(F32_REINTERPRET_I32, 0xbe, U, I32, F32)                                                   \
    X(F64_REINTERPRET_I64, 0xbf, U, I64, F64)                                                   \
    X(I32_EXTEND8_S, 0xc0, U, I32, I32)                                                         \
    X(I32_EXTEND16_S, 0xc1, U, I32, I32)                                                        \
    X(I64_EXTEND8_S, 0xc2, U, I64, I64)                                                         \
    X(I64_EXTEND16_S, 0xc3, U, I64, I64)                                                        \
    X(I64_EXTEND32_S, 0xc4, U, I64, I64)

/* 0xFC-prefixed saturating truncations: X(name, subopcode, kind, in, out). */
#define BST_SAT_OPS(X)                                                                           \
    X(I32_TRUNC_SAT_F32_S, 0, U, F32, I32)                                                      \
    X(I32_TRUNC_SAT_F32_U, 1, U, F32, I32)                                                      \
    X(I32_TRUNC_SAT_F64_S, 2, U, F64, I32)                                                      \
    X(I32_TRUNC_SAT_F64_U, 3, U, F64, I32)                                                      \
    X(I64_TRUNC_SAT_F32_S, 4, U, F32, I64)                                                      \
    X(I64_TRUNC_SAT_F32_U, 5, U, F32, I64)                                                      \
    X(I64_TRUNC_SAT_F64_S, 6, U, F64, I64)                                                      \
    X(I64_TRUNC_SAT_F64_U, 7, U, F64, I64)

/* Binary operations with an immediate second operand: X(base) defines BST_OP_<base>_IMM with
 * layout [op][dst | a<<16 | imm32<<32] (i64 immediates are sign-extended).  They replace a
 * constant push + operation pair. */
#define BST_IMM_OPS(X)                                                                           \
    X(I32_ADD) X(I32_SUB) X(I32_MUL) X(I32_AND) X(I32_OR) X(I32_XOR) X(I32_SHL) X(I32_SHR_S)     \
    X(I32_SHR_U) X(I32_EQ) X(I32_NE) X(I32_LT_S) X(I32_LT_U) X(I32_GT_S) X(I32_GT_U)             \
    X(I32_LE_S) X(I32_LE_U) X(I32_GE_S) X(I32_GE_U)                                              \
    X(I64_ADD) X(I64_SUB) X(I64_MUL) X(I64_AND) X(I64_OR) X(I64_XOR) X(I64_SHL) X(I64_SHR_S)     \
    X(I64_SHR_U) X(I64_EQ) X(I64_NE) X(I64_LT_S) X(I64_LT_U) X(I64_GT_S) X(I64_GT_U)             \
    X(I64_LE_S) X(I64_LE_U) X(I64_GE_S) X(I64_GE_U)

/* i32 comparisons fused with a conditional branch: X(cmp, negated cmp).  BR_I32_<cmp> is
 * [op][- | a<<16 | b<<32][rel] and BR_I32_<cmp>_IMM is [op][- | a<<16 | imm32<<32][rel]; the
 * branch is taken when the comparison holds. */
#define BST_CMP_BRANCH_OPS(X)                                                                    \
    X(EQ, NE) X(NE, EQ) X(LT_S, GE_S) X(LT_U, GE_U) X(GT_S, LE_S) X(GT_U, LE_U) X(LE_S, GT_S)     \
    X(LE_U, GT_U) X(GE_S, LT_S) X(GE_U, LT_U)

/* Everything else: X(name).  Operand layouts are documented at each handler in interp.c. */
#define BST_OTHER_OPS(X)                                                                         \
    X(UNREACHABLE)                                                                               \
    X(BR)                                                                                        \
    X(BR_IF_NZ)                                                                                  \
    X(BR_IF_Z)                                                                                   \
    X(BR_TABLE)                                                                                  \
    X(RETURN)                                                                                    \
    X(CALL)                                                                                      \
    X(CALL_INDIRECT)                                                                             \
    X(COPY)                                                                                      \
    X(COPY2)                                                                                     \
    X(COPY_BR)                                                                                   \
    X(COPY2_BR)                                                                                  \
    X(CONST32)                                                                                   \
    X(CONST64)                                                                                   \
    X(SELECT)                                                                                    \
    X(GLOBAL_GET)                                                                                \
    X(GLOBAL_SET)                                                                                \
    X(I32_LOAD)                                                                                  \
    X(I64_LOAD)                                                                                  \
    X(I32_LOAD8_S)                                                                               \
    X(I32_LOAD8_U)                                                                               \
    X(I32_LOAD16_S)                                                                              \
    X(I32_LOAD16_U)                                                                              \
    X(I64_LOAD8_S)                                                                               \
    X(I64_LOAD8_U)                                                                               \
    X(I64_LOAD16_S)                                                                              \
    X(I64_LOAD16_U)                                                                              \
    X(I64_LOAD32_S)                                                                              \
    X(I64_LOAD32_U)                                                                              \
    X(STORE8)                                                                                    \
    X(STORE16)                                                                                   \
    X(STORE32)                                                                                   \
    X(STORE64)                                                                                   \
    X(MEMORY_SIZE)                                                                               \
    X(MEMORY_GROW)                                                                               \
    X(MEMORY_INIT)                                                                               \
    X(DATA_DROP)                                                                                 \
    X(MEMORY_COPY)                                                                               \
    X(MEMORY_FILL)                                                                               \
    X(TABLE_GET)                                                                                 \
    X(TABLE_SET)                                                                                 \
    X(TABLE_SIZE)                                                                                \
    X(TABLE_GROW)                                                                                \
    X(TABLE_FILL)                                                                                \
    X(TABLE_COPY)                                                                                \
    X(TABLE_INIT)                                                                                \
    X(ELEM_DROP)                                                                                 \
    X(REF_IS_NULL)                                                                               \
    X(REF_FUNC)                                                                                  \
    X(FUEL)                                                                                      \
    X(FUEL_LOOP)                                                                                 \
    X(INTERRUPT_CHECK)                                                                           \
    X(CANON32)                                                                                   \
    X(CANON64)

typedef enum bst_op {
#define BST_X_NUM(name, code, kind, in, out) BST_OP_##name,
#define BST_X_OTHER(name) BST_OP_##name,
#define BST_X_IMM(name) BST_OP_##name##_IMM,
#define BST_X_CMPBR(cmp, neg) BST_OP_BR_I32_##cmp, BST_OP_BR_I32_##cmp##_IMM,
    BST_NUMERIC_OPS(BST_X_NUM) BST_SAT_OPS(BST_X_NUM) BST_OTHER_OPS(BST_X_OTHER)
    BST_IMM_OPS(BST_X_IMM) BST_CMP_BRANCH_OPS(BST_X_CMPBR)
#undef BST_X_NUM
#undef BST_X_OTHER
#undef BST_X_IMM
#undef BST_X_CMPBR
    BST_OP__COUNT
} bst_op;

#endif /* BST_ENGINE_OPS_H */
