/*
 * stack.c — a store's execution stacks (engine-internal): the value stack (64-bit slots) and the
 * frame stack (one eng_frame per active wasm call), grown on demand up to
 * bst_config.max_stack_slots and max_call_depth, and the traps that name the limit reached.
 *
 * A limit costs nothing until code uses it: a store allowed 2^32 frames and 2^32 slots takes the
 * memory its deepest call actually needed, not 24 B x depth + 8 B x slots up front.
 *
 * The two stacks grow differently because of who points into them:
 *  - The value stack never moves.  Frames save pointers into it (eng_frame.fp), the interpreter
 *    keeps fp in a register, and a host function's argument slots stay live while it re-enters
 *    wasm through bst_call, possibly in an outer run() that is suspended.  On Linux the whole
 *    limit is reserved as address space once (PROT_NONE, MAP_NORESERVE: no RAM and no commit
 *    charge), and the used prefix is made readable and writable in doubling steps.  Elsewhere it
 *    is allocated whole on first use.  s->stack_end marks the usable prefix.
 *  - The frame stack is only ever reached through s->frames[...] (no pointer to a frame is kept
 *    across anything that can call), so it is a plain array that realloc may move, doubling.
 * The interpreter compares against the current capacity (one compare, as before) and calls the
 * functions below only when that fails.
 */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE /* MAP_ANONYMOUS, MAP_NORESERVE */
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/runtime.h"

#if defined(__linux__)
#include <sys/mman.h>
#define ENG_STACK_MMAP 1
#endif

/* Growth granularity of the value stack: a multiple of every common page size. */
#define STACK_CHUNK ((size_t)64 << 10)
/* Frames allocated by the first call. */
#define FRAMES_INITIAL 256u

static size_t round_up(size_t n, size_t to) { return (n + to - 1) / to * to; }

/* Every message names the limit (or the allocation) that stopped the call, after the trap's own
 * text, which is what the spec tests compare. */
#define EXHAUSTED(err, fmt, n)                                                                     \
    (eng_fail((err), BST_ERR_TRAP, 0, "%s: " fmt, bst_trap_message(BST_TRAP_STACK_EXHAUSTED),      \
              (unsigned long long)(n)),                                                            \
     (err)->trap = BST_TRAP_STACK_EXHAUSTED, false)

bool eng_trap_call_depth(const bst_store *s, bst_error *err) {
    return EXHAUSTED(err, "call depth limit %llu reached", s->config.max_call_depth);
}

bool eng_trap_stack_slots(const bst_store *s, bst_error *err) {
    return EXHAUSTED(err, "value stack limit %llu slots reached", s->config.max_stack_slots);
}

bool eng_trap_reentry(const bst_store *s, bst_error *err) {
    return EXHAUSTED(err, "host re-entry limit %llu reached", s->config.max_reentry);
}

/* Makes [0, bytes) of the value stack usable (bytes a multiple of STACK_CHUNK or the whole
 * reservation). */
static bool stack_commit(bst_store *s, size_t bytes) {
#if ENG_STACK_MMAP
    size_t have = (size_t)((uint8_t *)s->stack_end - (uint8_t *)s->stack);
    have = round_up(have, STACK_CHUNK); /* stack_end may stop short of the last chunk */
    if (bytes > have &&
        mprotect((uint8_t *)s->stack + have, bytes - have, PROT_READ | PROT_WRITE) != 0)
        return false;
#endif
    size_t slots = bytes / sizeof *s->stack;
    if (slots > s->config.max_stack_slots) slots = s->config.max_stack_slots;
    s->stack_end = s->stack + slots;
    return true;
}

bool eng_stacks_init(bst_store *s, bst_error *err) {
    size_t max_slots = s->config.max_stack_slots, want;
    if (!eng_array_bytes(max_slots, sizeof *s->stack, &want) || want > SIZE_MAX - STACK_CHUNK)
        goto nomem;
#if ENG_STACK_MMAP
    size_t reserve = round_up(want, STACK_CHUNK);
    void *p = mmap(NULL, reserve, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) goto nomem;
    s->stack = p;
    s->stack_end = s->stack;
    s->stack_reserved = reserve;
    if (!stack_commit(s, reserve < STACK_CHUNK ? reserve : STACK_CHUNK)) goto nomem;
#else
    (void)want;
    s->stack = calloc(max_slots, sizeof *s->stack);
    if (!s->stack) goto nomem;
    s->stack_end = s->stack + max_slots;
#endif
    uint32_t nframes =
        s->config.max_call_depth < FRAMES_INITIAL ? s->config.max_call_depth : FRAMES_INITIAL;
    /* (max_stack_slots is at least 1,024, so it never lowers this) */
    s->frames = malloc((size_t)nframes * sizeof *s->frames); /* at most 256 */
    if (!s->frames) goto nomem;
    s->frames_cap = nframes;
    s->stack_top = s->stack;
    return true;
nomem:
    eng_stacks_free(s);
    eng_fail(err, BST_ERR_NOMEM, 0,
             "cannot reserve the execution stack (%u value slots of 8 bytes)",
             s->config.max_stack_slots);
    return false;
}

void eng_stacks_free(bst_store *s) {
#if ENG_STACK_MMAP
    if (s->stack) munmap(s->stack, s->stack_reserved);
#else
    free(s->stack);
#endif
    free(s->frames);
    s->stack = s->stack_end = s->stack_top = NULL;
    s->stack_reserved = 0;
    s->frames = NULL;
    s->frames_cap = 0;
}

/* A call whose arguments and frame fit in the caller's operand area takes no new value-stack
 * slot (frames overlap: arguments are passed in place), so slots alone do not bound the frame
 * stack.  Every frame therefore also counts as one slot: the depth never exceeds
 * max_stack_slots, and the execution stacks never take more than 32 bytes per slot allowed. */
bool eng_frames_grow(bst_store *s, bst_error *err) {
    if (s->depth >= s->config.max_call_depth) return eng_trap_call_depth(s, err);
    if (s->depth >= s->config.max_stack_slots) return eng_trap_stack_slots(s, err);
    if (s->depth < s->frames_cap) return true;
    uint32_t limit = s->config.max_call_depth < s->config.max_stack_slots
                         ? s->config.max_call_depth
                         : s->config.max_stack_slots;
    uint32_t cap = s->frames_cap > limit / 2 ? limit : s->frames_cap * 2;
    if (cap <= s->depth) cap = s->depth + 1; /* depth < limit, so this stays within it */
    eng_frame *p = NULL;
    size_t bytes;
    if (eng_array_bytes(cap, sizeof *p, &bytes)) p = realloc(s->frames, bytes);
    if (!p) return EXHAUSTED(err, "no memory for %llu frames", cap);
    s->frames = p;
    s->frames_cap = cap;
    return true;
}

bool eng_stack_grow(bst_store *s, const uint64_t *base, uint32_t nslots, bst_error *err) {
    size_t need = (size_t)(base - s->stack) + nslots;
    if (need > s->config.max_stack_slots) return eng_trap_stack_slots(s, err);
    if (need <= (size_t)(s->stack_end - s->stack)) return true;
#if ENG_STACK_MMAP
    size_t have = (size_t)((uint8_t *)s->stack_end - (uint8_t *)s->stack);
    size_t bytes =
        have > s->stack_reserved / 2 ? s->stack_reserved : 2 * round_up(have, STACK_CHUNK);
    size_t need_bytes = round_up(need * sizeof *s->stack, STACK_CHUNK);
    if (bytes < need_bytes) bytes = need_bytes;
    if (bytes > s->stack_reserved) bytes = s->stack_reserved;
    if (!stack_commit(s, bytes))
        return EXHAUSTED(err, "no memory for %llu value stack slots", bytes / sizeof *s->stack);
#endif
    return true; /* (allocated whole elsewhere: never short of the limit) */
}
