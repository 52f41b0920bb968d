/*
 * sampling.c — a store's fuel account, its sampler, and the views of its wasm call stack: the
 * live one (bst_store_stack, for samplers and host functions) and the one a trap left
 * (bst_store_backtrace).
 *
 * Sampling rides on fuel so that it is deterministic and free when off.  The interpreter keeps
 * the fuel count in a register and compares it with each block's cost; only when the count
 * looks too small does it leave the loop (eng_fuel_checkpoint).  With a sampler the store hands
 * the interpreter one interval of fuel at a time (s->fuel) and banks the rest (s->fuel_banked):
 * reaching the end of an interval is that same "too small" case, where the sampler runs and the
 * next interval is released.  What the code has left is always fuel + fuel_banked, and it runs
 * out exactly where it would without a sampler.
 */
#include "engine/runtime.h"

/* The remaining fuel, split at the first checkpoint. */
static void split_fuel(bst_store *s, int64_t total) {
    int64_t interval = s->sampler.fn ? (int64_t)s->sampler.interval : INT64_MAX;
    s->fuel = total < interval ? total : interval;
    s->fuel_banked = total - s->fuel;
}

static int64_t remaining(const bst_store *s) {
    /* fuel may be below zero after a host function spent fuel past the checkpoint; the bank
     * then covers it (the sum is what bst_store_set_fuel set, less what was used since) */
    return s->fuel + s->fuel_banked;
}

void bst_store_set_fuel(bst_store *s, uint64_t fuel) {
    int64_t total = fuel > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)fuel;
    if (!s->sampler.fn) {
        s->fuel = total;
        return;
    }
    /* Keep the sampling phase: fuel a host function charges counts towards the next checkpoint
     * like fuel the code uses (s->fuel may drop below zero; the next charge then samples), and
     * fuel given back is banked. */
    int64_t old = remaining(s);
    if (total <= old)
        s->fuel -= old - total;
    else
        s->fuel_banked += total - old;
}

uint64_t bst_store_fuel(const bst_store *s) { return (uint64_t)remaining(s); }

void bst_store_set_sampler(bst_store *s, const bst_sampler *sampler) {
    int64_t total = remaining(s);
    if (sampler && sampler->fn) {
        s->sampler = *sampler;
        if (s->sampler.interval == 0) s->sampler.interval = 1;
        if (s->sampler.interval > (uint64_t)INT64_MAX) s->sampler.interval = INT64_MAX;
    } else {
        s->sampler.fn = NULL;
        s->sampler.env = NULL;
        s->sampler.interval = 0;
    }
    split_fuel(s, total);
}

int64_t eng_fuel_checkpoint(bst_store *s, int64_t fuel, int64_t cost, bst_func *cur) {
    if (!s->sampler.fn) return fuel; /* really out of fuel */
    while (fuel < cost && s->fuel_banked > 0) {
        int64_t take = (int64_t)s->sampler.interval;
        if (take > s->fuel_banked) take = s->fuel_banked;
        fuel += take;
        s->fuel_banked -= take;
        /* one interval used up: one sample, with the store's view consistent for the sampler */
        s->fuel = fuel;
        s->sample_func = cur;
        s->sampler.fn(s->sampler.env, s);
        s->sample_func = NULL;
    }
    return fuel;
}

static void describe(const bst_func *f, bst_frame_info *out) {
    out->module = f->inst->module;
    out->func_index = f->index;
    out->func_name = bst_module_func_name(f->inst->module, f->index);
    out->offset = BST_NO_OFFSET;
}

size_t bst_store_stack(const bst_store *s, bst_frame_info *out, size_t max) {
    size_t n = 0;
    if (s->sample_func) {
        if (n < max) describe(s->sample_func, &out[n]);
        n++;
    }
    /* Saved frames, innermost first.  A frame without a function marks where a call entered
     * from the host began (eng_interp_call); the frame below it is the wasm caller of the host
     * function that made the call. */
    for (uint32_t d = s->depth; d > 0; d--) {
        const bst_func *f = s->frames[d - 1].func;
        if (!f || !f->inst) continue;
        if (n < max) describe(f, &out[n]);
        n++;
    }
    return n;
}

size_t bst_store_backtrace(const bst_store *s, bst_frame_info *out, size_t max) {
    size_t n = 0;
    for (uint32_t i = 0; i < s->ntrace && n < max; i++) {
        const bst_func *f = s->trace[i];
        if (!f || !f->inst) continue;
        describe(f, &out[n]);
        out[n].offset = eng_codemap_offset(f->code, s->trace_pc[i]);
        n++;
    }
    return n;
}
