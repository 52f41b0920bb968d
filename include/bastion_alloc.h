/*
 * bastion_alloc.h — the host-side heap allocator of the Substrate host: a "freeing-bump"
 * allocator with the same observable behaviour as Substrate's (sc-allocator), managing the wasm
 * runtime's heap inside its own linear memory, from the runtime's `__heap_base` upwards.
 *
 * Layout in guest memory:
 *   - The heap starts at heap_base rounded up to a multiple of 8.
 *   - Every block is an 8-byte header followed by a power-of-two payload of 8 bytes to 32 MiB
 *     (23 "orders": order k holds 8 << k bytes).  Requests round up to the next order; a
 *     request of 0..8 bytes takes an 8-byte block.  The pointer handed out is header + 8, so it is
 *     always 8-aligned.
 *   - The header is a little-endian u64.  Occupied block: bit 32 set, low 32 bits = the order.
 *     Free block: bit 32 clear, low 32 bits = the header address of the next free block of the
 *     same order, or 0xFFFFFFFF at the end of the list.
 *   - New blocks are bumped from the end of the used space; freed blocks go on the free list of
 *     their order and are handed out again last-in first-out.  Blocks are never split or merged.
 *   - When the bump pointer would pass the end of memory, the memory grows: to twice its page
 *     count when that is allowed, otherwise to as many pages as its limits (the memory's maximum,
 *     the store's page budget) allow, and at least to the pages required; if even that is
 *     refused the allocation fails with BST_ALLOC_OUT_OF_SPACE.
 *
 * The guest can write anything into its own memory, headers included.  Every header access goes
 * through the bounds-checked bst_memory_read/bst_memory_write; a corrupted header, free-list link
 * or pointer gives an error, never an access outside the memory.  As in Substrate, ANY error
 * poisons the allocator: every later call fails with BST_ALLOC_POISONED.
 *
 * The allocator is a plain struct owned by the embedder (one per runtime instance); it holds no
 * pointer to the memory, which is passed to every call.  Not thread-safe (like a store).
 */
#ifndef BASTION_ALLOC_H
#define BASTION_ALLOC_H

#include "bastion.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The libraries are compiled with hidden visibility; what this header declares is the API. */
#pragma GCC visibility push(default)

#define BST_ALLOC_ALIGNMENT 8u
#define BST_ALLOC_HEADER_SIZE 8u
#define BST_ALLOC_MIN_SIZE 8u                    /* order 0 */
#define BST_ALLOC_MAX_SIZE (32u * 1024u * 1024u) /* order 22: MAX_POSSIBLE_ALLOCATION */
#define BST_ALLOC_N_ORDERS 23u
#define BST_ALLOC_NIL 0xFFFFFFFFu                  /* end of a free list */
#define BST_ALLOC_OCCUPIED_BIT (UINT64_C(1) << 32) /* header bit of an occupied block */

typedef enum bst_alloc_status {
    BST_ALLOC_OK = 0,
    BST_ALLOC_TOO_LARGE,       /* request above BST_ALLOC_MAX_SIZE */
    BST_ALLOC_OUT_OF_SPACE,    /* bump pointer past the memory and the memory cannot grow */
    BST_ALLOC_MEMORY_SHRUNK,   /* the memory passed is smaller than one seen before */
    BST_ALLOC_INVALID_POINTER, /* free of a pointer below the header size (no header) */
    BST_ALLOC_NOT_OCCUPIED,    /* free of a block whose header is a free header (double free) */
    BST_ALLOC_INVALID_ORDER,   /* an occupied header with an order >= BST_ALLOC_N_ORDERS */
    BST_ALLOC_HEADER_OUT_OF_BOUNDS, /* a header would lie (partly) outside the memory */
    BST_ALLOC_INVALID_FREE_LINK,    /* a free-list head whose block lies outside the memory */
    BST_ALLOC_FREE_LIST_CORRUPT,    /* a free list leads to an occupied header */
    BST_ALLOC_ACCOUNTING,           /* freeing more bytes than are allocated (forged header) */
    BST_ALLOC_POISONED,             /* an earlier call failed; the allocator refuses all calls */
    BST_ALLOC_ARG,                  /* NULL allocator or memory (does not poison) */
} bst_alloc_status;

typedef struct bst_alloc_stats {
    uint64_t bytes_allocated;      /* live blocks, headers included */
    uint64_t bytes_allocated_peak; /* maximum bytes_allocated ever reached */
    uint64_t bytes_allocated_sum;  /* every allocation ever made, headers included (saturates) */
    uint64_t address_space_used;   /* bump pointer - aligned heap base */
} bst_alloc_stats;

/* The allocator state.  Treat the fields as private; use the functions below. */
typedef struct bst_alloc {
    uint64_t heap_base;                      /* heap_base rounded up to 8 */
    uint64_t bumper;                         /* next header address of a bump allocation */
    uint64_t last_memory_size;               /* memory size seen by the previous call, in bytes */
    uint32_t free_heads[BST_ALLOC_N_ORDERS]; /* header address, or BST_ALLOC_NIL */
    bool poisoned;
    bst_alloc_status error; /* the error that poisoned the allocator */
    bst_alloc_stats stats;
} bst_alloc;

/* Sets up an empty heap starting at heap_base (the runtime's `__heap_base`), rounded up to 8. */
void bst_alloc_init(bst_alloc *a, uint32_t heap_base);

/* Allocates `size` bytes in `mem`; on success *out_ptr is the guest address of the payload.
 * On failure *out_ptr is 0 and the allocator is poisoned (except for BST_ALLOC_ARG). */
bst_alloc_status bst_alloc_malloc(bst_alloc *a, bst_memory *mem, uint32_t size, uint32_t *out_ptr);

/* Frees the block whose payload starts at `ptr`.  On failure the allocator is poisoned (except
 * for BST_ALLOC_ARG). */
bst_alloc_status bst_alloc_free(bst_alloc *a, bst_memory *mem, uint32_t ptr);

/* True once a call has failed; bst_alloc_error() then tells which error poisoned it. */
bool bst_alloc_is_poisoned(const bst_alloc *a);
bst_alloc_status bst_alloc_error(const bst_alloc *a);

void bst_alloc_get_stats(const bst_alloc *a, bst_alloc_stats *out);

/* The payload size of the order a request of `size` bytes gets (8, 16, ... 32 MiB), or 0 when
 * the request is above BST_ALLOC_MAX_SIZE. */
uint32_t bst_alloc_block_size(uint32_t size);

/* "requested allocation size is too large", "Allocator ran out of space" (Substrate's
 * wording), ... */
const char *bst_alloc_status_message(bst_alloc_status s);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif
#endif /* BASTION_ALLOC_H */
