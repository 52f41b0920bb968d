/*
 * minisig.c — minisign's detached signatures (.minisig files), written and verified:
 *
 *   untrusted comment: <anything>
 *   base64("ED" ‖ key id (8) ‖ Ed25519 signature (64))
 *   trusted comment: <one line>
 *   base64(Ed25519 signature of the signature above ‖ the trusted comment)
 *
 * "ED" signs BLAKE2b-512 of the file (minisign's default since 0.8); the legacy "Ed" signs the
 * file itself.  Both are accepted; "ED" is written.  The second signature makes the trusted
 * comment (timestamp, file name) as trustworthy as the file.
 */
#include "bastion_crypto.h"
#include "sign_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SIG_BYTES 74 /* algorithm ‖ key id ‖ signature */
#define UNTRUSTED "untrusted comment: "
#define TRUSTED "trusted comment: "

char *bst_sign_minisig(const bst_sign_secret *secret, const uint8_t *data, size_t len,
                       const char *trusted_comment) {
    char deflt[48];
    if (!trusted_comment) {
        snprintf(deflt, sizeof deflt, "timestamp:%lld", (long long)time(NULL));
        trusted_comment = deflt;
    }
    size_t tlen = strlen(trusted_comment);
    if (memchr(trusted_comment, '\n', tlen) || memchr(trusted_comment, '\r', tlen)) return NULL;
    uint8_t sig[SIG_BYTES] = {'E', 'D'}, hash[64], global[64];
    memcpy(sig + 2, secret->id, 8);
    bst_blake2b(hash, sizeof hash, data, len);
    bst_ed25519_sign(secret->key, hash, sizeof hash, sig + 10);
    /* the global signature covers the signature and the trusted comment */
    uint8_t *gmsg = malloc(64 + tlen);
    if (!gmsg) return NULL;
    memcpy(gmsg, sig + 10, 64);
    memcpy(gmsg + 64, trusted_comment, tlen);
    bst_ed25519_sign(secret->key, gmsg, 64 + tlen, global);
    free(gmsg);

    static const char FIRST[] = UNTRUSTED "signature from bastion secret key\n";
    size_t total = strlen(FIRST) + bst_base64_len(sizeof sig) + 1 + strlen(TRUSTED) + tlen + 1 +
                   bst_base64_len(sizeof global) + 2;
    char *out = malloc(total), *p = out;
    if (!out) return NULL;
    p += snprintf(p, total, "%s", FIRST);
    bst_base64_encode(p, sig, sizeof sig);
    p += strlen(p);
    p += snprintf(p, total - (size_t)(p - out), "\n" TRUSTED "%s\n", trusted_comment);
    bst_base64_encode(p, global, sizeof global);
    p += strlen(p);
    memcpy(p, "\n", 2);
    return out;
}

/* The four lines of a .minisig text, decoded.  False with the reason in res->message. */
typedef struct minisig {
    uint8_t sig[SIG_BYTES];
    uint8_t global[64];
    const char *comment;
    size_t comment_len;
} minisig;

static bool parse_minisig(const char *text, size_t len, minisig *m, bst_sign_result *res) {
    const char *line[4];
    size_t n[4], pos = 0, got = 0;
    for (int i = 0; i < 4; i++) {
        if (!sig_next_line(text, len, &pos, &line[i], &n[i])) {
            sig_why(res->message, sizeof res->message, "the minisign signature has %d lines, not 4",
                    i);
            return false;
        }
    }
    if (!sig_has_prefix(line[0], n[0], UNTRUSTED) || !sig_has_prefix(line[2], n[2], TRUSTED)) {
        sig_why(res->message, sizeof res->message,
                "not a minisign signature (its first line must start with \"" UNTRUSTED
                "\", its third with \"" TRUSTED "\")");
        return false;
    }
    if (!bst_base64_decode(m->sig, sizeof m->sig, &got, line[1], n[1]) || got != sizeof m->sig ||
        !bst_base64_decode(m->global, sizeof m->global, &got, line[3], n[3]) ||
        got != sizeof m->global) {
        sig_why(res->message, sizeof res->message,
                "the minisign signature's second or fourth line is not base64 of a signature");
        return false;
    }
    if (m->sig[0] != 'E' || (m->sig[1] != 'D' && m->sig[1] != 'd')) {
        sig_why(res->message, sizeof res->message,
                "unsupported signature algorithm (minisign's are \"ED\" and the legacy \"Ed\")");
        return false;
    }
    m->comment = line[2] + strlen(TRUSTED);
    m->comment_len = n[2] - strlen(TRUSTED);
    return true;
}

static bst_sign_status fail(bst_sign_result *res, bst_sign_status st) { return res->status = st; }

bst_sign_status bst_sign_verify_minisig(const bst_sign_trust *trust, const uint8_t *data,
                                        size_t len, const char *minisig_text, size_t minisig_len,
                                        bst_sign_result *res) {
    minisig m;
    char id[17];
    memset(res, 0, sizeof *res);
    if (!trust || !minisig_text || (!data && len) || trust->nkeys > BST_SIGN_MAX_KEYS ||
        (trust->nkeys && !trust->keys))
        return fail(res, BST_SIGN_ERROR);
    if (!data) data = (const uint8_t *)"";
    if (!parse_minisig(minisig_text, minisig_len, &m, res)) return fail(res, BST_SIGN_MALFORMED);
    bst_sign_key_id_text(m.sig + 2, id);
    bool prehashed = m.sig[1] == 'D', named = false;
    uint8_t hash[64];
    if (prehashed) bst_blake2b(hash, sizeof hash, data, len);
    /* the trusted key with this id whose signature verifies (ids are not unique in principle) */
    const bst_sign_pubkey *key = NULL;
    for (size_t i = 0; i < trust->nkeys && !key; i++) {
        if (!bst_ct_equal(trust->keys[i].id, m.sig + 2, 8)) continue;
        named = true;
        if (bst_ed25519_verify_strict(m.sig + 10, prehashed ? hash : data, prehashed ? 64 : len,
                                      trust->keys[i].key))
            key = &trust->keys[i];
    }
    if (!named) {
        sig_why(res->message, sizeof res->message, "signed by key %s, which is not trusted", id);
        return fail(res, BST_SIGN_UNKNOWN_KEY);
    }
    if (!key) {
        sig_why(res->message, sizeof res->message,
                "the %s signature by key %s does not verify: the file or the signature was "
                "changed",
                prehashed ? "prehashed" : "legacy", id);
        return fail(res, BST_SIGN_BAD_SIGNATURE);
    }
    uint8_t *gmsg = malloc(64 + m.comment_len);
    if (!gmsg) return fail(res, BST_SIGN_ERROR);
    memcpy(gmsg, m.sig + 10, 64);
    memcpy(gmsg + 64, m.comment, m.comment_len);
    bool global_ok = bst_ed25519_verify_strict(m.global, gmsg, 64 + m.comment_len, key->key);
    free(gmsg);
    if (!global_ok) {
        sig_why(res->message, sizeof res->message,
                "the trusted comment's signature by key %s does not verify: the comment was "
                "changed",
                id);
        return fail(res, BST_SIGN_BAD_SIGNATURE);
    }
    for (size_t i = 0; i < trust->nkeys; i++)
        if (bst_ct_equal(trust->keys[i].key, key->key, 32) &&
            bst_ct_equal(trust->keys[i].id, key->id, 8))
            res->signers |= (uint64_t)1 << i;
    res->nsigners = 1;
    res->signed_len = len;
    res->trusted_comment = m.comment;
    res->trusted_comment_len = m.comment_len;
    if (trust->threshold > 1) {
        sig_why(res->message, sizeof res->message,
                "signed by key %s only: a minisign signature holds one signature, the policy "
                "requires %zu distinct keys",
                id, trust->threshold);
        return fail(res, BST_SIGN_THRESHOLD);
    }
    return fail(res, BST_SIGN_OK);
}
