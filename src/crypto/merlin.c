/*
 * merlin.c — merlin transcripts over STROBE-128, byte for byte as dalek-cryptography/merlin
 * (strobe.rs, transcript.rs) does it, since schnorrkel's signatures and key derivations are
 * defined by the exact bytes these produce.  Only the STROBE operations merlin uses exist
 * here: meta-AD, AD, PRF and KEY.  Everything lives in the caller's struct (no global state).
 */
#include <sodium.h>
#include <string.h>

#include "internal.h"

/* STROBE-128: rate = 200 - 2*(128/8) - 2 = 166 bytes. */
enum { STROBE_R = 166 };
enum {
    FLAG_I = 1,
    FLAG_A = 1 << 1,
    FLAG_C = 1 << 2,
    FLAG_T = 1 << 3,
    FLAG_M = 1 << 4,
    FLAG_K = 1 << 5
};

static void run_f(cry_strobe *s) {
    s->st[s->pos] ^= s->pos_begin;
    s->st[s->pos + 1] ^= 0x04;
    s->st[STROBE_R + 1] ^= 0x80;
    cry_keccak_f1600(s->st);
    s->pos = 0;
    s->pos_begin = 0;
}

static void absorb(cry_strobe *s, const uint8_t *data, size_t len) {
    for (size_t i = 0; i < len; i++) {
        s->st[s->pos] ^= data[i];
        if (++s->pos == STROBE_R) {
            run_f(s);
        }
    }
}

static void overwrite(cry_strobe *s, const uint8_t *data, size_t len) {
    for (size_t i = 0; i < len; i++) {
        s->st[s->pos] = data[i];
        if (++s->pos == STROBE_R) {
            run_f(s);
        }
    }
}

static void squeeze(cry_strobe *s, uint8_t *out, size_t len) {
    for (size_t i = 0; i < len; i++) {
        out[i] = s->st[s->pos];
        s->st[s->pos] = 0;
        if (++s->pos == STROBE_R) {
            run_f(s);
        }
    }
}

/* begin_op with more = false (merlin's "more" continuations are handled by the callers simply
 * not calling begin_op again: a continued op has the same flags by construction). */
static void begin_op(cry_strobe *s, uint8_t flags) {
    uint8_t old_begin = s->pos_begin;
    /* pos < STROBE_R = 166 here, so pos + 1 fits in a byte. */
    s->pos_begin = (uint8_t)(s->pos + 1);
    s->cur_flags = flags;
    uint8_t hdr[2] = {old_begin, flags};
    absorb(s, hdr, 2);
    /* C and K operations need a fresh block. */
    if ((flags & (FLAG_C | FLAG_K)) != 0 && s->pos != 0) {
        run_f(s);
    }
}

static void meta_ad(cry_strobe *s, const void *data, size_t len, int more) {
    if (!more) {
        begin_op(s, FLAG_M | FLAG_A);
    }
    absorb(s, data, len);
}

static void le32(uint8_t out[4], size_t v) {
    /* merlin panics on lengths above u32::MAX; every caller here passes sizes far below it
     * (guest inputs are bounded by the 4 GiB wasm32 memory), so truncation cannot happen. */
    uint32_t x = (uint32_t)v;
    out[0] = (uint8_t)x;
    out[1] = (uint8_t)(x >> 8);
    out[2] = (uint8_t)(x >> 16);
    out[3] = (uint8_t)(x >> 24);
}

static void strobe_init(cry_strobe *s, const void *label, size_t label_len) {
    static const uint8_t head[18] = {1,   STROBE_R + 2, 1,   0,   1,   96,  'S', 'T', 'R',
                                     'O', 'B',          'E', 'v', '1', '.', '0', '.', '2'};
    memset(s, 0, sizeof *s);
    memcpy(s->st, head, sizeof head);
    cry_keccak_f1600(s->st);
    meta_ad(s, label, label_len, 0);
}

void cry_merlin_init(cry_merlin *t, const void *label, size_t label_len) {
    strobe_init(&t->strobe, CRY_LIT("Merlin v1.0"));
    cry_merlin_append(t, CRY_LIT("dom-sep"), label, label_len);
}

void cry_merlin_append(cry_merlin *t, const void *label, size_t label_len, const void *msg,
                       size_t msg_len) {
    uint8_t n[4];
    le32(n, msg_len);
    meta_ad(&t->strobe, label, label_len, 0);
    meta_ad(&t->strobe, n, 4, 1);
    begin_op(&t->strobe, FLAG_A);
    absorb(&t->strobe, msg, msg_len);
}

void cry_merlin_challenge(cry_merlin *t, const void *label, size_t label_len, uint8_t *out,
                          size_t out_len) {
    uint8_t n[4];
    le32(n, out_len);
    meta_ad(&t->strobe, label, label_len, 0);
    meta_ad(&t->strobe, n, 4, 1);
    begin_op(&t->strobe, FLAG_I | FLAG_A | FLAG_C);
    squeeze(&t->strobe, out, out_len);
}

static void strobe_key(cry_strobe *s, const uint8_t *data, size_t len) {
    begin_op(s, FLAG_A | FLAG_C);
    overwrite(s, data, len);
}

void cry_merlin_witness_bytes(const cry_merlin *t, const void *label, size_t label_len,
                              const uint8_t *witness, size_t witness_len, uint8_t *out,
                              size_t out_len) {
    cry_strobe s = t->strobe;
    uint8_t n[4];
    uint8_t rnd[32];

    /* TranscriptRngBuilder::rekey_with_witness_bytes */
    le32(n, witness_len);
    meta_ad(&s, label, label_len, 0);
    meta_ad(&s, n, 4, 1);
    strobe_key(&s, witness, witness_len);
    /* ::finalize(rng): fresh randomness, so a repeated (key, message) pair still gets a new
     * nonce, while a broken RNG still leaves the nonce bound to key and message. */
    randombytes_buf(rnd, sizeof rnd);
    meta_ad(&s, CRY_LIT("rng"), 0);
    strobe_key(&s, rnd, sizeof rnd);
    /* TranscriptRng::fill_bytes */
    le32(n, out_len);
    meta_ad(&s, n, 4, 0);
    begin_op(&s, FLAG_I | FLAG_A | FLAG_C);
    squeeze(&s, out, out_len);
    sodium_memzero(&s, sizeof s);
    sodium_memzero(rnd, sizeof rnd);
}
