/*
 * test_allocator.c — tests of the Substrate freeing-bump allocator (include/bastion_alloc.h) over
 * real bst_memory objects made through the public API.
 *
 * Where a test mirrors an expectation of Substrate's own unit tests (sc-allocator,
 * freeing_bump.rs), the test name is cited next to it; the addresses checked are the ones those
 * tests expect.  The rest covers growth, limits, poisoning and hostile guests that rewrite
 * headers (run under ASan+UBSan in CI: every error must be clean).
 */
#include <stdio.h>
#include <string.h>

#include "bastion.h"
#include "bastion_alloc.h"
#include "../support/check.h"

#define PAGE 65536u

/* A store and one memory of `pages` pages (max_pages 0: no declared maximum). */
typedef struct env {
    bst_store *store;
    bst_memory *mem;
    bst_alloc a;
} env;

static void env_open_cfg(env *e, uint32_t pages, uint32_t max_pages, uint32_t heap_base,
                         const bst_config *cfg) {
    bst_error err;
    memset(&err, 0, sizeof err);
    e->store = bst_store_new(cfg);
    bst_limits lim = {pages, max_pages, max_pages != 0};
    e->mem = e->store ? bst_memory_new(e->store, lim, &err) : NULL;
    if (!e->mem) {
        printf("cannot create a memory of %u pages: %s\n", pages, err.message);
        check_failures++;
    }
    bst_alloc_init(&e->a, heap_base);
}

static void env_open(env *e, uint32_t pages, uint32_t max_pages, uint32_t heap_base) {
    env_open_cfg(e, pages, max_pages, heap_base, NULL);
}

static void env_close(env *e) { bst_store_free(e->store); }

/* Allocation that must succeed; returns the pointer (0 on failure, recorded). */
static uint32_t must_alloc(env *e, uint32_t size, int line) {
    uint32_t p = 0;
    bst_alloc_status s = bst_alloc_malloc(&e->a, e->mem, size, &p);
    check_count++;
    if (s != BST_ALLOC_OK) {
        check_failures++;
        printf("%s:%d: alloc(%u) failed: %s\n", __FILE__, line, size, bst_alloc_status_message(s));
    }
    return p;
}
#define ALLOC(e, size) must_alloc(e, size, __LINE__)

static uint64_t raw_header(env *e, uint32_t ptr) {
    uint8_t b[8] = {0};
    CHECK(bst_memory_read(e->mem, ptr - 8, b, 8));
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | b[i];
    return v;
}

static void put_header(env *e, uint32_t header_addr, uint64_t v) {
    uint8_t b[8];
    for (int i = 0; i < 8; i++) b[i] = (uint8_t)(v >> (8 * i));
    CHECK(bst_memory_write(e->mem, header_addr, b, 8));
}

/* After an error, every call fails with BST_ALLOC_POISONED and the first error is remembered. */
static void check_poisoned(env *e, bst_alloc_status why) {
    uint32_t p = 123;
    CHECK(bst_alloc_is_poisoned(&e->a));
    CHECK_EQ(bst_alloc_error(&e->a), why);
    CHECK_EQ(bst_alloc_malloc(&e->a, e->mem, 8, &p), BST_ALLOC_POISONED);
    CHECK_EQ(p, 0);
    CHECK_EQ(bst_alloc_free(&e->a, e->mem, 8), BST_ALLOC_POISONED);
}

/* ---- addresses ---------------------------------------------------------------------------- */

static void test_first_addresses(void) {
    env e;
    /* should_allocate_properly: heap base 0, 1 byte -> pointer 8 (right after the header) */
    env_open(&e, 1, 0, 0);
    CHECK_EQ(ALLOC(&e, 1), 8);
    CHECK_EQ(raw_header(&e, 8), BST_ALLOC_OCCUPIED_BIT | 0);
    env_close(&e);

    /* should_always_align_pointers_to_multiples_of_8: heap base 13 -> 16 + 8 = 24 */
    env_open(&e, 1, 0, 13);
    CHECK_EQ(ALLOC(&e, 1), 24);
    env_close(&e);

    /* heap base already aligned stays put */
    env_open(&e, 1, 0, 1024);
    CHECK_EQ(ALLOC(&e, 100), 1032);
    CHECK_EQ(raw_header(&e, 1032), BST_ALLOC_OCCUPIED_BIT | 4); /* 128 bytes: order 4 */
    env_close(&e);
}

static void test_increment_and_orders(void) {
    env e;
    /* should_increment_pointers_properly: 1, 9, 1 bytes -> 8, 24, 48 */
    env_open(&e, 1, 0, 0);
    uint32_t p1 = ALLOC(&e, 1), p2 = ALLOC(&e, 9), p3 = ALLOC(&e, 1);
    CHECK_EQ(p1, 8);
    CHECK_EQ(p2, 24);
    CHECK_EQ(p3, 24 + 16 + 8);
    CHECK_EQ(raw_header(&e, p2), BST_ALLOC_OCCUPIED_BIT | 1);
    /* every order from 8 bytes to 32 MiB: the block is the next power of two */
    CHECK_EQ(bst_alloc_block_size(0), 8);
    CHECK_EQ(bst_alloc_block_size(1), 8);
    CHECK_EQ(bst_alloc_block_size(8), 8);
    CHECK_EQ(bst_alloc_block_size(9), 16);
    CHECK_EQ(bst_alloc_block_size(16), 16);
    CHECK_EQ(bst_alloc_block_size(17), 32);
    CHECK_EQ(bst_alloc_block_size(1000), 1024);
    CHECK_EQ(bst_alloc_block_size(BST_ALLOC_MAX_SIZE / 2 + 1), BST_ALLOC_MAX_SIZE);
    CHECK_EQ(bst_alloc_block_size(BST_ALLOC_MAX_SIZE), BST_ALLOC_MAX_SIZE);
    CHECK_EQ(bst_alloc_block_size(BST_ALLOC_MAX_SIZE + 1), 0);
    CHECK_EQ(bst_alloc_block_size(UINT32_MAX), 0);
    /* consecutive bump allocations are block + header apart, headers carry the order */
    uint32_t prev = ALLOC(&e, 0);
    CHECK_EQ(prev, p3 + 8 + 8);
    CHECK_EQ(raw_header(&e, prev), BST_ALLOC_OCCUPIED_BIT | 0);
    for (uint32_t size = 2, order = 0; size <= 8192; size *= 2) {
        uint32_t p = ALLOC(&e, size + 1);
        uint32_t block = bst_alloc_block_size(size + 1);
        CHECK_EQ(block, size * 2 < 8 ? 8 : size * 2);
        while ((8u << order) < block) order++;
        CHECK_EQ(raw_header(&e, p), BST_ALLOC_OCCUPIED_BIT | order);
        CHECK_EQ(p % 8, 0);
        prev = p;
    }
    bst_alloc_stats st;
    bst_alloc_get_stats(&e.a, &st);
    CHECK_EQ(st.address_space_used, prev + bst_alloc_block_size(8193));
    env_close(&e);
}

/* ---- freeing and reuse -------------------------------------------------------------------- */

static void test_free_lifo(void) {
    env e;
    /* should_free_properly + should_build_linked_list_of_free_areas_properly */
    env_open(&e, 1, 0, 0);
    uint32_t p1 = ALLOC(&e, 8), p2 = ALLOC(&e, 8), p3 = ALLOC(&e, 8);
    CHECK_EQ(p1, 8);
    CHECK_EQ(p2, 24);
    CHECK_EQ(p3, 40);
    CHECK_EQ(bst_alloc_free(&e.a, e.mem, p1), BST_ALLOC_OK);
    CHECK_EQ(bst_alloc_free(&e.a, e.mem, p2), BST_ALLOC_OK);
    CHECK_EQ(bst_alloc_free(&e.a, e.mem, p3), BST_ALLOC_OK);
    /* free headers: bit 32 clear, low half = next header or the nil marker */
    CHECK_EQ(raw_header(&e, p3), p2 - 8);
    CHECK_EQ(raw_header(&e, p2), p1 - 8);
    CHECK_EQ(raw_header(&e, p1), BST_ALLOC_NIL);
    /* the head is the last freed: ptr4 == ptr3, then ptr2, ptr1, then a fresh block */
    CHECK_EQ(ALLOC(&e, 8), p3);
    CHECK_EQ(ALLOC(&e, 1), p2);
    CHECK_EQ(ALLOC(&e, 5), p1);
    CHECK_EQ(ALLOC(&e, 8), 56);
    env_close(&e);

    /* deallocate_needs_to_maintain_linked_list: free in reverse, get the same pointers back */
    env_open(&e, 1, 0, 0);
    uint32_t ptrs[4];
    for (int i = 0; i < 4; i++) ptrs[i] = ALLOC(&e, 8);
    for (int i = 3; i >= 0; i--) CHECK_EQ(bst_alloc_free(&e.a, e.mem, ptrs[i]), BST_ALLOC_OK);
    for (int i = 0; i < 4; i++) CHECK_EQ(ALLOC(&e, 8), ptrs[i]);
    env_close(&e);

    /* should_deallocate_and_reallocate_properly: heap base 13, 1 -> 24, 9 -> 40, reused */
    env_open(&e, 1, 0, 13);
    CHECK_EQ(ALLOC(&e, 1), 16 + 8);
    uint32_t q = ALLOC(&e, 9);
    CHECK_EQ(q, 16 + 16 + 8);
    CHECK_EQ(bst_alloc_free(&e.a, e.mem, q), BST_ALLOC_OK);
    CHECK_EQ(ALLOC(&e, 9), q);
    CHECK_EQ(ALLOC(&e, 9), q + 24); /* list empty again: bumped */
    env_close(&e);
}

static void test_orders_do_not_mix(void) {
    env e;
    env_open(&e, 1, 0, 0);
    uint32_t small = ALLOC(&e, 8), big = ALLOC(&e, 64);
    CHECK_EQ(bst_alloc_free(&e.a, e.mem, small), BST_ALLOC_OK);
    CHECK_EQ(bst_alloc_free(&e.a, e.mem, big), BST_ALLOC_OK);
    /* a 16-byte request takes neither freed block (no splitting, no merging) */
    uint32_t mid = ALLOC(&e, 16);
    CHECK(mid != small && mid != big);
    CHECK_EQ(mid, big + 64 + 8);
    /* a 32-byte request does not take the freed 64-byte block */
    CHECK_EQ(ALLOC(&e, 32), mid + 16 + 8);
    CHECK_EQ(ALLOC(&e, 64), big);
    CHECK_EQ(ALLOC(&e, 3), small);
    env_close(&e);
}

/* ---- sizes, space, growth ----------------------------------------------------------------- */

static void test_max_size(void) {
    env e;
    /* should_allocate_max_possible_allocation_size: 1 page, no maximum -> grows, pointer 8 */
    env_open(&e, 1, 0, 0);
    CHECK_EQ(ALLOC(&e, BST_ALLOC_MAX_SIZE), 8);
    CHECK_EQ(raw_header(&e, 8), BST_ALLOC_OCCUPIED_BIT | 22);
    /* 32 MiB + 8 bytes need 513 pages; doubling 1 page is not enough, so exactly 513 */
    CHECK_EQ(bst_memory_pages(e.mem), 513);
    env_close(&e);

    /* should_not_allocate_if_requested_size_too_large: max + 1 fails, and poisons */
    env_open(&e, 1, 0, 0);
    uint32_t p = 77;
    CHECK_EQ(bst_alloc_malloc(&e.a, e.mem, BST_ALLOC_MAX_SIZE + 1, &p), BST_ALLOC_TOO_LARGE);
    CHECK_EQ(p, 0);
    CHECK_EQ(bst_memory_pages(e.mem), 1);
    check_poisoned(&e, BST_ALLOC_TOO_LARGE);
    env_close(&e);

    env_open(&e, 1, 0, 0);
    CHECK_EQ(bst_alloc_malloc(&e.a, e.mem, UINT32_MAX, &p), BST_ALLOC_TOO_LARGE);
    env_close(&e);
}

static void test_out_of_space(void) {
    env e;
    uint32_t p;
    /* should_not_allocate_if_full: half a page fits, another half page (+ header) does not */
    env_open(&e, 1, 1, 0);
    uint32_t first = ALLOC(&e, PAGE / 2 - 8);
    CHECK_EQ(first, 8);
    CHECK_EQ(bst_alloc_malloc(&e.a, e.mem, PAGE / 2, &p), BST_ALLOC_OUT_OF_SPACE);
    CHECK_EQ(bst_memory_pages(e.mem), 1);
    /* poison_oom: after running out, even freeing a valid block fails */
    check_poisoned(&e, BST_ALLOC_OUT_OF_SPACE);
    CHECK_EQ(bst_alloc_free(&e.a, e.mem, first), BST_ALLOC_POISONED);
    env_close(&e);

    /* should_not_allocate_if_too_large: heap base 13, PAGE - 13 bytes in a 1-page memory */
    env_open(&e, 1, 1, 13);
    CHECK_EQ(bst_alloc_malloc(&e.a, e.mem, PAGE - 13, &p), BST_ALLOC_OUT_OF_SPACE);
    env_close(&e);

    /* should_return_error_when_bumper_greater_than_heap_size */
    env_open(&e, 1, 1, 0);
    uint32_t ptrs[PAGE / 40];
    uint32_t n = PAGE / 40;
    for (uint32_t i = 0; i < n; i++) ptrs[i] = ALLOC(&e, 32);
    bst_alloc_stats st;
    bst_alloc_get_stats(&e.a, &st);
    CHECK_EQ(st.bytes_allocated, PAGE - 16);
    CHECK_EQ(st.address_space_used, PAGE - 16);
    for (uint32_t i = 0; i < n; i++) CHECK_EQ(bst_alloc_free(&e.a, e.mem, ptrs[i]), BST_ALLOC_OK);
    bst_alloc_get_stats(&e.a, &st);
    CHECK_EQ(st.bytes_allocated, 0);
    CHECK_EQ(st.bytes_allocated_peak, PAGE - 16);
    CHECK_EQ(st.bytes_allocated_sum, (uint64_t)(PAGE - 16));
    CHECK_EQ(ALLOC(&e, 8), PAGE - 8); /* the last 16 bytes */
    bst_alloc_get_stats(&e.a, &st);
    CHECK_EQ(st.address_space_used, PAGE);
    /* the freed 32-byte blocks cannot serve an 8-byte request */
    CHECK_EQ(bst_alloc_malloc(&e.a, e.mem, 8, &p), BST_ALLOC_OUT_OF_SPACE);
    check_poisoned(&e, BST_ALLOC_OUT_OF_SPACE);
    env_close(&e);

    /* a hostile __heap_base near 4 GiB: no wrap-around, just out of space */
    env_open(&e, 1, 0, UINT32_MAX - 2);
    CHECK_EQ(bst_alloc_malloc(&e.a, e.mem, 1, &p), BST_ALLOC_OUT_OF_SPACE);
    CHECK_EQ(bst_memory_pages(e.mem), 1);
    env_close(&e);
}

static void test_growth(void) {
    env e;
    uint32_t p;
    /* should_grow_memory_when_running_out_of_memory: 1 page, 2 pages requested -> 3 pages */
    env_open(&e, 1, 0, 0);
    CHECK_EQ(ALLOC(&e, 2 * PAGE), 8);
    CHECK_EQ(bst_memory_pages(e.mem), 3);
    env_close(&e);

    /* doubling: bump pointer 8 bytes before the end of 2 pages -> 4 pages, not 3 */
    env_open(&e, 2, 0, 2 * PAGE - 8);
    CHECK_EQ(ALLOC(&e, 8), 2 * PAGE);
    CHECK_EQ(bst_memory_pages(e.mem), 4);
    CHECK_EQ(raw_header(&e, 2 * PAGE), BST_ALLOC_OCCUPIED_BIT | 0);
    env_close(&e);

    /* doubling capped by the declared maximum: 3 pages, max 5, 4 needed -> grows to 5 */
    env_open(&e, 3, 5, 3 * PAGE - 8);
    CHECK_EQ(ALLOC(&e, 8), 3 * PAGE);
    CHECK_EQ(bst_memory_pages(e.mem), 5);
    /* more than the maximum: out of space, memory untouched */
    CHECK_EQ(bst_alloc_malloc(&e.a, e.mem, 2 * PAGE, &p), BST_ALLOC_OUT_OF_SPACE);
    CHECK_EQ(bst_memory_pages(e.mem), 5);
    env_close(&e);

    /* capped by a larger maximum, far from doubling: 10 pages, max 13, 12 needed -> 13 */
    env_open(&e, 10, 13, 0);
    CHECK_EQ(ALLOC(&e, 8 * PAGE), 8); /* 8 pages + 8 bytes: fits in 10 */
    CHECK_EQ(bst_memory_pages(e.mem), 10);
    CHECK_EQ(ALLOC(&e, 2 * PAGE), 8 * PAGE + 8 + 8);
    CHECK_EQ(bst_memory_pages(e.mem), 13);
    env_close(&e);

    /* the store's page budget is a limit too */
    bst_config cfg;
    bst_config_default(&cfg);
    cfg.max_memory_pages = 4;
    env_open_cfg(&e, 2, 0, 2 * PAGE - 8, &cfg);
    CHECK_EQ(ALLOC(&e, 8), 2 * PAGE);
    CHECK_EQ(bst_memory_pages(e.mem), 4);
    CHECK_EQ(bst_alloc_malloc(&e.a, e.mem, 2 * PAGE, &p), BST_ALLOC_OUT_OF_SPACE);
    CHECK_EQ(bst_memory_pages(e.mem), 4);
    env_close(&e);

    /* accepts_growing_memory: the guest (or host) growing the memory itself is fine */
    env_open(&e, 1, 0, 0);
    ALLOC(&e, PAGE / 2);
    ALLOC(&e, PAGE / 2);
    CHECK_EQ(bst_memory_pages(e.mem), 2);
    CHECK(bst_memory_grow(e.mem, 1) == 2);
    ALLOC(&e, PAGE / 2);
    CHECK_EQ(bst_memory_pages(e.mem), 3);
    env_close(&e);
}

static void test_memory_shrunk(void) {
    /* doesnt_accept_shrinking_memory: the allocator is handed a smaller memory than before */
    env e;
    env_open(&e, 2, 0, 0);
    bst_error err;
    bst_limits one = {1, 0, false};
    bst_memory *small = bst_memory_new(e.store, one, &err);
    CHECK(small != NULL);
    ALLOC(&e, PAGE / 2);
    uint32_t p;
    CHECK_EQ(bst_alloc_malloc(&e.a, small, PAGE / 2, &p), BST_ALLOC_MEMORY_SHRUNK);
    check_poisoned(&e, BST_ALLOC_MEMORY_SHRUNK);
    env_close(&e);
}

static void test_stats(void) {
    env e;
    bst_alloc_stats st;
    /* should_include_prefixes_in_total_heap_size: heap base 1, 9 bytes -> 8 + 16 */
    env_open(&e, 1, 0, 1);
    ALLOC(&e, 9);
    bst_alloc_get_stats(&e.a, &st);
    CHECK_EQ(st.bytes_allocated, 8 + 16);
    CHECK_EQ(st.address_space_used, 24);
    env_close(&e);

    /* should_calculate_total_heap_size_to_zero: heap base 13, 42 bytes at 24, freed -> 0 */
    env_open(&e, 1, 0, 13);
    uint32_t p = ALLOC(&e, 42);
    CHECK_EQ(p, 16 + 8);
    bst_alloc_get_stats(&e.a, &st);
    CHECK_EQ(st.bytes_allocated, 64 + 8);
    CHECK_EQ(bst_alloc_free(&e.a, e.mem, p), BST_ALLOC_OK);
    bst_alloc_get_stats(&e.a, &st);
    CHECK_EQ(st.bytes_allocated, 0);
    CHECK_EQ(st.bytes_allocated_peak, 72);
    env_close(&e);

    /* should_calculate_total_size_of_zero: 9 alloc/free rounds reuse one block */
    env_open(&e, 1, 0, 19);
    for (int i = 1; i < 10; i++) {
        uint32_t q = ALLOC(&e, 42);
        CHECK_EQ(q, 24 + 8);
        CHECK_EQ(bst_alloc_free(&e.a, e.mem, q), BST_ALLOC_OK);
    }
    bst_alloc_get_stats(&e.a, &st);
    CHECK_EQ(st.bytes_allocated, 0);
    CHECK_EQ(st.bytes_allocated_peak, 72);
    CHECK_EQ(st.bytes_allocated_sum, 9 * 72);
    CHECK_EQ(st.address_space_used, 72);
    env_close(&e);
}

/* ---- bad frees and hostile guests --------------------------------------------------------- */

static void test_bad_frees(void) {
    env e;
    /* double free */
    env_open(&e, 1, 0, 0);
    uint32_t p = ALLOC(&e, 8);
    CHECK_EQ(bst_alloc_free(&e.a, e.mem, p), BST_ALLOC_OK);
    CHECK_EQ(bst_alloc_free(&e.a, e.mem, p), BST_ALLOC_NOT_OCCUPIED);
    check_poisoned(&e, BST_ALLOC_NOT_OCCUPIED);
    env_close(&e);

    /* pointers with no room for a header */
    static const uint32_t tiny[] = {0, 1, 7};
    for (size_t i = 0; i < sizeof tiny / sizeof tiny[0]; i++) {
        env_open(&e, 1, 0, 0);
        ALLOC(&e, 8);
        CHECK_EQ(bst_alloc_free(&e.a, e.mem, tiny[i]), BST_ALLOC_INVALID_POINTER);
        check_poisoned(&e, BST_ALLOC_INVALID_POINTER);
        env_close(&e);
    }

    /* pointers whose header is (partly) outside the memory */
    static const uint32_t outside[] = {PAGE + 1, PAGE + 8 + 1, PAGE + 9, 0x80000000u, UINT32_MAX};
    for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++) {
        env_open(&e, 1, 0, 0);
        CHECK_EQ(bst_alloc_free(&e.a, e.mem, outside[i]), BST_ALLOC_HEADER_OUT_OF_BOUNDS);
        check_poisoned(&e, BST_ALLOC_HEADER_OUT_OF_BOUNDS);
        env_close(&e);
    }

    /* garbage pointers into zeroed memory: a zero header is a free header */
    static const uint32_t zeroed[] = {8, 1000, 4099, PAGE};
    for (size_t i = 0; i < sizeof zeroed / sizeof zeroed[0]; i++) {
        env_open(&e, 1, 0, 2048);
        CHECK_EQ(bst_alloc_free(&e.a, e.mem, zeroed[i]), BST_ALLOC_NOT_OCCUPIED);
        check_poisoned(&e, BST_ALLOC_NOT_OCCUPIED);
        env_close(&e);
    }

    /* a pointer into the middle of a block */
    env_open(&e, 1, 0, 0);
    p = ALLOC(&e, 64);
    CHECK_EQ(bst_alloc_free(&e.a, e.mem, p + 16), BST_ALLOC_NOT_OCCUPIED);
    env_close(&e);

    /* bad arguments do not poison */
    env_open(&e, 1, 0, 0);
    uint32_t q = 5;
    CHECK_EQ(bst_alloc_malloc(&e.a, NULL, 8, &q), BST_ALLOC_ARG);
    CHECK_EQ(q, 0);
    CHECK_EQ(bst_alloc_malloc(&e.a, e.mem, 8, NULL), BST_ALLOC_ARG);
    CHECK_EQ(bst_alloc_free(&e.a, NULL, 8), BST_ALLOC_ARG);
    CHECK_EQ(bst_alloc_malloc(NULL, e.mem, 8, &q), BST_ALLOC_ARG);
    CHECK(!bst_alloc_is_poisoned(&e.a));
    CHECK_EQ(ALLOC(&e, 8), 8);
    env_close(&e);
}

static void test_hostile_headers(void) {
    env e;
    uint32_t p, q;

    /* modifying_the_header_leads_to_an_error: a freed block's link set to u32::MAX - 1; the
     * next allocation of that order takes the block, the one after fails */
    env_open(&e, 1, 0, 0);
    p = ALLOC(&e, 5);
    CHECK_EQ(bst_alloc_free(&e.a, e.mem, p), BST_ALLOC_OK);
    put_header(&e, p - 8, UINT32_MAX - 1);
    CHECK_EQ(ALLOC(&e, 5), p);
    CHECK_EQ(bst_alloc_malloc(&e.a, e.mem, 5, &q), BST_ALLOC_INVALID_FREE_LINK);
    CHECK_EQ(q, 0);
    CHECK(!strcmp(bst_alloc_status_message(BST_ALLOC_INVALID_FREE_LINK),
                  "invalid header pointer detected"));
    check_poisoned(&e, BST_ALLOC_INVALID_FREE_LINK);
    env_close(&e);

    /* a link whose block would end past the memory by a single byte */
    env_open(&e, 1, 0, 0);
    p = ALLOC(&e, 16);
    CHECK_EQ(bst_alloc_free(&e.a, e.mem, p), BST_ALLOC_OK);
    put_header(&e, p - 8, PAGE - 23);
    CHECK_EQ(ALLOC(&e, 16), p);
    CHECK_EQ(bst_alloc_malloc(&e.a, e.mem, 16, &q), BST_ALLOC_INVALID_FREE_LINK);
    env_close(&e);

    /* ... while one that just fits is followed (the guest only hurts itself) */
    env_open(&e, 1, 0, 0);
    p = ALLOC(&e, 16);
    CHECK_EQ(bst_alloc_free(&e.a, e.mem, p), BST_ALLOC_OK);
    put_header(&e, p - 8, PAGE - 24);
    CHECK_EQ(ALLOC(&e, 16), p);
    CHECK_EQ(ALLOC(&e, 16), PAGE - 16);
    CHECK_EQ(raw_header(&e, PAGE - 16), BST_ALLOC_OCCUPIED_BIT | 1);
    /* that block's old (zero) header made address 0 the list head: the first block's header,
     * which is occupied */
    CHECK_EQ(bst_alloc_malloc(&e.a, e.mem, 16, &q), BST_ALLOC_FREE_LIST_CORRUPT);
    env_close(&e);

    /* a free list that loops onto itself: the second pass finds an occupied header */
    env_open(&e, 1, 0, 0);
    p = ALLOC(&e, 8);
    CHECK_EQ(bst_alloc_free(&e.a, e.mem, p), BST_ALLOC_OK);
    put_header(&e, p - 8, p - 8);
    CHECK_EQ(ALLOC(&e, 8), p);
    CHECK_EQ(bst_alloc_malloc(&e.a, e.mem, 8, &q), BST_ALLOC_FREE_LIST_CORRUPT);
    check_poisoned(&e, BST_ALLOC_FREE_LIST_CORRUPT);
    env_close(&e);

    /* a free list leading to a header with the occupied bit and a bad order */
    env_open(&e, 1, 0, 0);
    p = ALLOC(&e, 8);
    q = ALLOC(&e, 8);
    CHECK_EQ(bst_alloc_free(&e.a, e.mem, p), BST_ALLOC_OK);
    put_header(&e, p - 8, q - 8);
    put_header(&e, q - 8, BST_ALLOC_OCCUPIED_BIT | 0xDEADBEEFu);
    CHECK_EQ(ALLOC(&e, 8), p);
    CHECK_EQ(bst_alloc_malloc(&e.a, e.mem, 8, &q), BST_ALLOC_INVALID_ORDER);
    env_close(&e);

    /* an occupied header whose order is out of range: freeing it fails */
    static const uint64_t bad_orders[] = {BST_ALLOC_OCCUPIED_BIT | 23,
                                          BST_ALLOC_OCCUPIED_BIT | 0xFF,
                                          BST_ALLOC_OCCUPIED_BIT | 0xFFFFFFFFu, UINT64_MAX};
    for (size_t i = 0; i < sizeof bad_orders / sizeof bad_orders[0]; i++) {
        env_open(&e, 1, 0, 0);
        p = ALLOC(&e, 100);
        put_header(&e, p - 8, bad_orders[i]);
        CHECK_EQ(bst_alloc_free(&e.a, e.mem, p), BST_ALLOC_INVALID_ORDER);
        check_poisoned(&e, BST_ALLOC_INVALID_ORDER);
        env_close(&e);
    }

    /* the high bits are ignored, as Substrate reads only bit 32 and the low word */
    env_open(&e, 1, 0, 0);
    p = ALLOC(&e, 8);
    put_header(&e, p - 8, UINT64_C(0xABCD000100000000));
    CHECK_EQ(bst_alloc_free(&e.a, e.mem, p), BST_ALLOC_OK);
    CHECK_EQ(ALLOC(&e, 8), p);
    env_close(&e);

    /* a forged occupied header of a 32 MiB block: freeing it would free more than is
     * allocated */
    env_open(&e, 1, 0, 0);
    ALLOC(&e, 8);
    put_header(&e, 4096, BST_ALLOC_OCCUPIED_BIT | 22);
    CHECK_EQ(bst_alloc_free(&e.a, e.mem, 4096 + 8), BST_ALLOC_ACCOUNTING);
    check_poisoned(&e, BST_ALLOC_ACCOUNTING);
    env_close(&e);

    /* a forged small occupied header is accepted (as in Substrate) and reused */
    env_open(&e, 1, 0, 0);
    ALLOC(&e, 64);
    put_header(&e, 4096, BST_ALLOC_OCCUPIED_BIT | 0);
    CHECK_EQ(bst_alloc_free(&e.a, e.mem, 4096 + 8), BST_ALLOC_OK);
    CHECK_EQ(ALLOC(&e, 8), 4096 + 8);
    env_close(&e);
}

/* A guest scribbling over its heap while the host allocates and frees: every outcome is a
 * status, nothing is read or written outside the memory (ASan/UBSan watch), and once an error
 * happened every call reports POISONED. */
static void test_scribbling_guest(void) {
    uint64_t seed = 0x9E3779B97F4A7C15u;
    for (int round = 0; round < 200; round++) {
        env e;
        env_open(&e, 1, 4, (uint32_t)(seed % 4096));
        uint32_t live[64];
        int nlive = 0;
        bst_alloc_status first_err = BST_ALLOC_OK;
        for (int step = 0; step < 400; step++) {
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            uint32_t r = (uint32_t)(seed >> 33);
            bst_alloc_status s;
            if (r % 16 == 0) {
                /* scribble: a random 8 bytes somewhere in the memory, often on a header */
                uint64_t room = bst_memory_size(e.mem) - 8;
                uint32_t at = nlive && (r & 32) ? live[r / 64 % (uint32_t)nlive] - 8
                                                : (uint32_t)((r / 64) % room);
                uint64_t v = seed ^ (seed << 13);
                if (r & 64) v = (v & 0xFFFFFFFFu) | ((r & 128) ? BST_ALLOC_OCCUPIED_BIT : 0);
                put_header(&e, at, v);
                continue;
            }
            if (r % 3 == 0 && nlive) {
                int k = (int)(r / 3 % (uint32_t)nlive);
                s = bst_alloc_free(&e.a, e.mem, live[k]);
                live[k] = live[--nlive];
            } else if (r % 29 == 0) {
                s = bst_alloc_free(&e.a, e.mem, r); /* a wild pointer */
            } else {
                uint32_t p = 0, size = (r >> 8) % ((r & 1) ? 64 : 70000);
                s = bst_alloc_malloc(&e.a, e.mem, size, &p);
                if (s == BST_ALLOC_OK) {
                    CHECK(p >= 8 && p % 8 == 0);
                    CHECK((uint64_t)p + bst_alloc_block_size(size) <= bst_memory_size(e.mem));
                    if (nlive < 64) live[nlive++] = p;
                } else {
                    CHECK_EQ(p, 0);
                }
            }
            if (first_err != BST_ALLOC_OK) {
                CHECK_EQ(s, BST_ALLOC_POISONED);
            } else if (s != BST_ALLOC_OK) {
                CHECK(s != BST_ALLOC_POISONED && s != BST_ALLOC_ARG);
                first_err = s;
                CHECK(bst_alloc_is_poisoned(&e.a));
                CHECK_EQ(bst_alloc_error(&e.a), s);
            }
        }
        CHECK(bst_memory_pages(e.mem) <= 4);
        env_close(&e);
    }
}

int main(void) {
    test_first_addresses();
    test_increment_and_orders();
    test_free_lifo();
    test_orders_do_not_mix();
    test_max_size();
    test_out_of_space();
    test_growth();
    test_memory_shrunk();
    test_stats();
    test_bad_frees();
    test_hostile_headers();
    test_scribbling_guest();
    return check_finish("substrate/allocator");
}
