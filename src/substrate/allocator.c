/*
 * allocator.c — the Substrate host's heap allocator (include/bastion_alloc.h): a freeing-bump
 * allocator over a guest linear memory, observably the same as Substrate's sc-allocator
 * (FreeingBumpHeapAllocator, on-chain configuration): same block sizes, header encoding,
 * addresses, free-list order, memory growth and poisoning.
 *
 * Owns: the allocator state (struct bst_alloc; no globals), block headers in guest memory (read
 * and written only through the bounds-checked bst_memory_read / bst_memory_write), growth of the
 * memory through bst_memory_grow, the allocation statistics.
 *
 * src/substrate/ is the Substrate host layer; like every host it uses only include/.
 */
#include "bastion_alloc.h"

#include <string.h>

#define PAGE_SIZE 65536u
#define MAX_WASM_PAGES 65536u

/* ---- headers ------------------------------------------------------------------------------ */

static bool header_read(const bst_memory *mem, uint64_t addr, uint64_t *raw) {
    uint8_t b[8];
    if (addr > UINT32_MAX || !bst_memory_read(mem, (uint32_t)addr, b, sizeof b)) return false;
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | b[i];
    *raw = v;
    return true;
}

static bool header_write(bst_memory *mem, uint64_t addr, uint64_t raw) {
    uint8_t b[8];
    for (int i = 0; i < 8; i++) b[i] = (uint8_t)(raw >> (8 * i));
    return addr <= UINT32_MAX && bst_memory_write(mem, (uint32_t)addr, b, sizeof b);
}

/* ---- orders ------------------------------------------------------------------------------- */

static uint32_t order_size(uint32_t order) { return BST_ALLOC_MIN_SIZE << order; }

/* The order of a request: the smallest power of two >= max(size, 8), as an index from 8. */
static bool order_from_size(uint32_t size, uint32_t *order) {
    if (size > BST_ALLOC_MAX_SIZE) return false;
    uint32_t k = 0;
    while (order_size(k) < size) k++;
    *order = k;
    return true;
}

uint32_t bst_alloc_block_size(uint32_t size) {
    uint32_t order;
    return order_from_size(size, &order) ? order_size(order) : 0;
}

/* ---- state -------------------------------------------------------------------------------- */

void bst_alloc_init(bst_alloc *a, uint32_t heap_base) {
    if (!a) return;
    memset(a, 0, sizeof *a);
    /* 64-bit, so a hostile __heap_base close to 4 GiB cannot wrap to a low address */
    a->heap_base =
        ((uint64_t)heap_base + BST_ALLOC_ALIGNMENT - 1) & ~(uint64_t)(BST_ALLOC_ALIGNMENT - 1);
    a->bumper = a->heap_base;
    for (uint32_t i = 0; i < BST_ALLOC_N_ORDERS; i++) a->free_heads[i] = BST_ALLOC_NIL;
    a->error = BST_ALLOC_OK;
}

static bst_alloc_status poison(bst_alloc *a, bst_alloc_status s) {
    a->poisoned = true;
    a->error = s;
    return s;
}

/* Substrate refuses a memory smaller than the one of an earlier call (a memory never shrinks,
 * but the allocator could be handed another one). */
static bool observe_memory(bst_alloc *a, const bst_memory *mem) {
    uint64_t size = bst_memory_size(mem);
    if (size < a->last_memory_size) return false;
    a->last_memory_size = size;
    return true;
}

/* Makes the memory at least `required` bytes long.  Like Substrate: double the page count, but
 * not past the limit, and never less than required; fails if the required pages exceed the
 * limit.  The limit (declared maximum, store budget) is only known through bst_memory_grow, which
 * either grows by the whole delta or not at all. */
static bool grow_to(bst_memory *mem, uint64_t required) {
    uint64_t req64 = (required + PAGE_SIZE - 1) / PAGE_SIZE;
    uint32_t cur = bst_memory_pages(mem);
    if (req64 > MAX_WASM_PAGES) return false;
    uint32_t req = (uint32_t)req64;
    if (req <= cur) return true;
    uint32_t want = cur > MAX_WASM_PAGES / 2 ? MAX_WASM_PAGES : cur * 2;
    if (want < req) want = req;
    if (bst_memory_grow(mem, want - cur) >= 0) return true;
    if (want == req || bst_memory_grow(mem, req - cur) < 0) return false;
    /* The limit lies in [req, want): grow to exactly the limit, as Substrate grows to the
     * maximum, by trying descending powers of two (a refused grow changes nothing). */
    uint32_t span = want - req, step = 1;
    while (step <= span / 2) step <<= 1;
    for (; step; step >>= 1)
        if ((uint64_t)bst_memory_pages(mem) + step < want) (void)bst_memory_grow(mem, step);
    return true;
}

/* ---- allocate / free ---------------------------------------------------------------------- */

bst_alloc_status bst_alloc_malloc(bst_alloc *a, bst_memory *mem, uint32_t size, uint32_t *out_ptr) {
    if (out_ptr) *out_ptr = 0;
    if (!a || !mem || !out_ptr) return BST_ALLOC_ARG;
    if (a->poisoned) return BST_ALLOC_POISONED;
    if (!observe_memory(a, mem)) return poison(a, BST_ALLOC_MEMORY_SHRUNK);

    uint32_t order;
    if (!order_from_size(size, &order)) return poison(a, BST_ALLOC_TOO_LARGE);
    uint64_t block = (uint64_t)order_size(order) + BST_ALLOC_HEADER_SIZE;

    uint64_t header;
    uint32_t head = a->free_heads[order];
    if (head != BST_ALLOC_NIL) {
        /* the guest may have rewritten the link that led here */
        if ((uint64_t)head + block > bst_memory_size(mem))
            return poison(a, BST_ALLOC_INVALID_FREE_LINK);
        uint64_t raw;
        if (!header_read(mem, head, &raw)) return poison(a, BST_ALLOC_HEADER_OUT_OF_BOUNDS);
        if (raw & BST_ALLOC_OCCUPIED_BIT)
            return poison(a, (uint32_t)raw >= BST_ALLOC_N_ORDERS ? BST_ALLOC_INVALID_ORDER
                                                                 : BST_ALLOC_FREE_LIST_CORRUPT);
        a->free_heads[order] = (uint32_t)raw;
        header = head;
    } else {
        uint64_t end = a->bumper + block;
        if (end > bst_memory_size(mem) && !grow_to(mem, end))
            return poison(a, BST_ALLOC_OUT_OF_SPACE);
        header = a->bumper;
        a->bumper = end;
    }
    if (!header_write(mem, header, BST_ALLOC_OCCUPIED_BIT | order))
        return poison(a, BST_ALLOC_HEADER_OUT_OF_BOUNDS);

    bst_alloc_stats *st = &a->stats;
    st->bytes_allocated += block;
    st->bytes_allocated_sum =
        st->bytes_allocated_sum > UINT64_MAX - block ? UINT64_MAX : st->bytes_allocated_sum + block;
    if (st->bytes_allocated > st->bytes_allocated_peak)
        st->bytes_allocated_peak = st->bytes_allocated;
    st->address_space_used = a->bumper - a->heap_base;
    /* header + block <= memory size <= 4 GiB, so the payload address fits in 32 bits */
    *out_ptr = (uint32_t)(header + BST_ALLOC_HEADER_SIZE);
    return BST_ALLOC_OK;
}

bst_alloc_status bst_alloc_free(bst_alloc *a, bst_memory *mem, uint32_t ptr) {
    if (!a || !mem) return BST_ALLOC_ARG;
    if (a->poisoned) return BST_ALLOC_POISONED;
    if (!observe_memory(a, mem)) return poison(a, BST_ALLOC_MEMORY_SHRUNK);
    if (ptr < BST_ALLOC_HEADER_SIZE) return poison(a, BST_ALLOC_INVALID_POINTER);

    uint32_t header = ptr - BST_ALLOC_HEADER_SIZE;
    uint64_t raw;
    if (!header_read(mem, header, &raw)) return poison(a, BST_ALLOC_HEADER_OUT_OF_BOUNDS);
    /* as Substrate: bit 32 tells occupied from free, bits 33..63 are ignored */
    if (!(raw & BST_ALLOC_OCCUPIED_BIT)) return poison(a, BST_ALLOC_NOT_OCCUPIED);
    uint32_t order = (uint32_t)raw;
    if (order >= BST_ALLOC_N_ORDERS) return poison(a, BST_ALLOC_INVALID_ORDER);

    uint32_t prev = a->free_heads[order];
    a->free_heads[order] = header;
    if (!header_write(mem, header, prev)) return poison(a, BST_ALLOC_HEADER_OUT_OF_BOUNDS);

    uint64_t block = (uint64_t)order_size(order) + BST_ALLOC_HEADER_SIZE;
    if (a->stats.bytes_allocated < block) return poison(a, BST_ALLOC_ACCOUNTING);
    a->stats.bytes_allocated -= block;
    return BST_ALLOC_OK;
}

/* ---- queries ------------------------------------------------------------------------------ */

bool bst_alloc_is_poisoned(const bst_alloc *a) { return a && a->poisoned; }

bst_alloc_status bst_alloc_error(const bst_alloc *a) { return a ? a->error : BST_ALLOC_ARG; }

void bst_alloc_get_stats(const bst_alloc *a, bst_alloc_stats *out) {
    if (!out) return;
    if (a)
        *out = a->stats;
    else
        memset(out, 0, sizeof *out);
}

const char *bst_alloc_status_message(bst_alloc_status s) {
    switch (s) {
    case BST_ALLOC_OK: return "ok";
    case BST_ALLOC_TOO_LARGE: return "requested allocation size is too large";
    case BST_ALLOC_OUT_OF_SPACE: return "Allocator ran out of space"; /* Substrate's words */
    case BST_ALLOC_MEMORY_SHRUNK: return "shrinking of the underlying memory is observed";
    case BST_ALLOC_INVALID_POINTER: return "invalid pointer for deallocation";
    case BST_ALLOC_NOT_OCCUPIED: return "the allocation points to an empty header";
    case BST_ALLOC_INVALID_ORDER: return "invalid order in an allocation header";
    case BST_ALLOC_HEADER_OUT_OF_BOUNDS: return "allocation header out of heap bounds";
    case BST_ALLOC_INVALID_FREE_LINK: return "invalid header pointer detected";
    case BST_ALLOC_FREE_LIST_CORRUPT: return "free list points to an occupied header";
    case BST_ALLOC_ACCOUNTING: return "underflow of the currently allocated bytes count";
    case BST_ALLOC_POISONED: return "the allocator has been poisoned";
    case BST_ALLOC_ARG: return "bad arguments to an allocator call";
    }
    return "unknown allocator status";
}
