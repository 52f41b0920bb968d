/*
 * codemap.c — which wasm instruction each cell of compiled code came from (engine-internal).
 *
 * Backtraces give every frame the module byte offset of its instruction (the one that trapped,
 * or the call a caller is in), which the compiled code itself no longer knows.  The compiler
 * notes, before translating each wasm instruction, the cell its translation starts at; the map
 * keeps those points as LEB128 pairs (cell delta, offset delta), about two bytes per
 * instruction, and is only read on a trap (a linear walk over one function's map).
 */
#include <stdlib.h>
#include <string.h>

#include "engine/runtime.h"

bool eng_codemap_note_slow(eng_codemap_builder *b, size_t cell, size_t offset) {
    /* An instruction that emitted nothing, or code the compiler took back (a comparison fused
     * into the branch after it), leaves entries at or past `cell`: the new one replaces them. */
    while (b->n && b->entries[b->n - 1][0] >= cell) b->n--;
    if (b->n == b->cap) {
        size_t ncap = b->cap ? b->cap * 2 : 256;
        void *p = realloc(b->entries, ncap * sizeof *b->entries);
        if (!p) return false;
        b->entries = p;
        b->cap = ncap;
    }
    b->entries[b->n][0] = cell;
    b->entries[b->n][1] = offset;
    b->n++;
    return true;
}

static size_t put_uleb(uint8_t *out, size_t v) {
    size_t n = 0;
    do {
        uint8_t byte = (uint8_t)(v & 0x7f);
        v >>= 7;
        out[n++] = (uint8_t)(byte | (v ? 0x80 : 0));
    } while (v);
    return n;
}

static size_t get_uleb(const uint8_t *p, const uint8_t *end, size_t *v) {
    size_t r = 0, n = 0;
    for (unsigned shift = 0; p + n < end && shift < 8 * sizeof r; shift += 7) {
        uint8_t byte = p[n++];
        r |= (size_t)(byte & 0x7f) << shift;
        if (!(byte & 0x80)) {
            *v = r;
            return n;
        }
    }
    return 0; /* cannot happen for a map put_uleb wrote */
}

bool eng_codemap_finish(eng_codemap_builder *b, size_t ncells, eng_code *code) {
    while (b->n && b->entries[b->n - 1][0] >= ncells) b->n--;
    /* each pair takes at most 2 * 10 bytes */
    uint8_t *map = malloc(b->n ? b->n * 20 : 1);
    if (!map) return false;
    size_t len = 0, cell = 0, off = code->map_base;
    for (size_t i = 0; i < b->n; i++) {
        if (b->entries[i][1] < off) continue; /* offsets only grow; never expected */
        len += put_uleb(map + len, b->entries[i][0] - cell);
        len += put_uleb(map + len, b->entries[i][1] - off);
        cell = b->entries[i][0];
        off = b->entries[i][1];
    }
    uint8_t *fit = realloc(map, len ? len : 1);
    code->map = fit ? fit : map;
    code->map_len = len;
    b->n = 0;
    return true;
}

void eng_codemap_builder_free(eng_codemap_builder *b) {
    free(b->entries);
    memset(b, 0, sizeof *b);
}

uint32_t eng_codemap_offset(const eng_code *code, const uint64_t *pc) {
    if (!code || pc < code->cells || pc >= code->cells + code->ncells) return BST_NO_OFFSET;
    size_t target = (size_t)(pc - code->cells), cell = 0, off = code->map_base;
    const uint8_t *p = code->map, *end = code->map + code->map_len;
    while (p < end) {
        size_t dc, doff, n1, n2;
        if (!(n1 = get_uleb(p, end, &dc)) || !(n2 = get_uleb(p + n1, end, &doff))) break;
        if (cell + dc > target) break;
        cell += dc;
        off += doff;
        p += n1 + n2;
    }
    return off > UINT32_MAX ? BST_NO_OFFSET : (uint32_t)off;
}
