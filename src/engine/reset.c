/*
 * reset.c — putting an instance back to its state right after instantiation (engine-internal
 * implementation of bastion.h's bst_instance_reset, bst_memory_reset, bst_table_reset and
 * bst_global_reset), which is what lets a host pool instances instead of creating one per call.
 *
 * The expensive part is the memory.  Unmapping and mapping it again (what a fresh instance
 * costs) makes the next call fault in every page it touches; zeroing it all with memset costs
 * time proportional to the whole memory.  So on Linux the reset asks the kernel which pages are
 * resident (mincore): a resident page that is not already zero is cleared with memset and stays
 * mapped, so the next call does not fault on it; everything else is dropped with
 * madvise(MADV_DONTNEED), which also discards pages that went to swap (mincore does not report
 * them, and a secret must not survive there).  Reading a page to see whether it is zero costs no
 * fault: a page the guest only read maps the shared zero page.  Beyond ENG_RESET_KEEP_BYTES of
 * resident memory the rest is dropped too, so an idle pooled instance holds at most that much.
 * Elsewhere the memory is cleared with memset.
 */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE /* mincore, madvise */
#endif
#include <stdlib.h>
#include <string.h>

#include "engine/runtime.h"

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#define ENG_RESET_MINCORE 1
#endif

/* Resident memory a reset keeps mapped (cleared) per memory; the rest is given back. */
#define ENG_RESET_KEEP_BYTES (8u << 20)

/* Whether n bytes (a multiple of 8, 8-aligned) are all zero. */
static bool all_zero(const uint8_t *p, size_t n) {
    const uint64_t *w = (const uint64_t *)(const void *)p;
    uint64_t acc = 0;
    for (size_t i = 0; i < n / 8; i++) acc |= w[i];
    return acc == 0;
}

#if ENG_RESET_MINCORE
/* Drops [p, p+n) (page-aligned) from the mapping: the next touch gets a fresh zero page. */
static bool drop_pages(uint8_t *p, size_t n) { return n == 0 || madvise(p, n, MADV_DONTNEED) == 0; }

/* Clears m->data[0, m->size) as described at the top of the file. */
static bool zero_linear(bst_memory *m) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t size = (size_t)m->size, npages = size / page;
    unsigned char small[256];
    unsigned char *vec = npages <= sizeof small ? small : malloc(npages);
    if (!vec || mincore(m->data, size, vec) != 0) {
        if (vec != small) free(vec);
        return drop_pages(m->data, size); /* no residency information: drop everything */
    }
    size_t kept = 0, drop_from = 0; /* [drop_from, i) is a run of pages to drop */
    bool ok = true;
    for (size_t i = 0; i < npages; i++) {
        uint8_t *pg = m->data + i * page;
        if (!(vec[i] & 1) || kept >= ENG_RESET_KEEP_BYTES) continue; /* dropped below */
        ok &= drop_pages(m->data + drop_from * page, (i - drop_from) * page);
        drop_from = i + 1;
        if (!all_zero(pg, page)) memset(pg, 0, page);
        kept += page;
    }
    ok &= drop_pages(m->data + drop_from * page, (npages - drop_from) * page);
    if (vec != small) free(vec);
    return ok;
}
#else
static bool zero_linear(bst_memory *m) {
    memset(m->data, 0, (size_t)m->size);
    return true;
}
#endif

bool bst_memory_reset(bst_memory *m) {
    /* Shrink first, so only the minimum's pages are cleared. */
    if (!eng_memory_shrink(m, m->limits.min)) return false;
    return m->size == 0 || zero_linear(m);
}

bool bst_table_reset(bst_table *t) {
    uint32_t min = t->limits.min;
    if (t->size > min) {
        if (min == 0) {
            free(t->elems);
            t->elems = NULL;
        } else {
            /* a shrinking realloc that fails leaves the (larger) block: keep using it */
            uint64_t *p = realloc(t->elems, (size_t)min * sizeof *t->elems);
            if (p) t->elems = p;
        }
        t->obj.owner->table_elems -= t->size - min;
        t->size = min;
    }
    for (uint32_t i = 0; i < t->size; i++) t->elems[i] = t->init;
    return true;
}

void bst_global_reset(bst_global *g) { g->val = g->init; }

bst_status bst_instance_reset(bst_instance *inst, bst_error *err) {
    const bst_module *m = inst->module;
    bst_store *s = inst->store;
    if (s->activations) {
        eng_fail(err, BST_ERR_ARG, 0, "cannot reset an instance while its store runs code");
        return BST_ERR_ARG;
    }
    for (uint32_t i = m->nimported_memories; i < m->nmemories; i++) {
        if (!bst_memory_reset(inst->memories[i])) {
            eng_fail(err, BST_ERR_NOMEM, 0, "cannot reset memory %u", i);
            return BST_ERR_NOMEM;
        }
    }
    for (uint32_t i = m->nimported_tables; i < m->ntables; i++) bst_table_reset(inst->tables[i]);
    for (uint32_t i = m->nimported_globals; i < m->nglobals; i++)
        bst_global_reset(inst->globals[i]);
    for (uint32_t i = 0; i < m->nelems; i++) inst->elem_len[i] = m->elems[i].count;
    for (uint32_t i = 0; i < m->ndatas; i++) inst->data_len[i] = m->datas[i].len;
    if (!eng_instance_initialise(inst, err)) return err->status;
    err->status = BST_OK;
    return BST_OK;
}
