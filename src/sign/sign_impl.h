/*
 * sign_impl.h — what the files of the signing layer (src/sign/) share and nobody else sees:
 * bounds-checked readers (LEB128, module sections), the parser of the `signature` section's
 * data, a growable output buffer, the lines of minisign's text files, and formatted reasons.
 * Internal names carry the layer's prefix `sig_` and are hidden.
 */
#ifndef BASTION_SIGN_IMPL_H
#define BASTION_SIGN_IMPL_H

#include "bastion_sign.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The tool-conventions identifiers this layer implements (Signatures.md). */
#define SIG_SPEC_VERSION 0x01
#define SIG_CONTENT_WASM 0x01
#define SIG_HASH_SHA256 0x01
#define SIG_ALG_ED25519 0x01
#define SIG_DOMAIN "wasmsig"
#define SIG_SECTION_NAME "signature"
#define SIG_DELIMITER_NAME "signature_delimiter"
#define SIG_DELIMITER_BYTES 16
/* Bounds on what a signature section may hold (wasmsign2's): sets of signed hashes, hashes in a
 * set, signatures of a set.  They bound the work of a verification, not only its memory. */
#define SIG_MAX_SETS 64
#define SIG_MAX_HASHES 64
#define SIG_MAX_SIGS 256
/* The signed message: domain, three identifier bytes, the hashes. */
#define SIG_MSG_MAX (sizeof SIG_DOMAIN - 1 + 3 + 32 * SIG_MAX_HASHES)

/* A cursor over untrusted bytes: every read checks the bytes left first. */
typedef struct sig_reader {
    const uint8_t *p;
    size_t len, pos;
} sig_reader;

bool sig_read_u32(sig_reader *r, uint32_t *out);
/* n bytes at the cursor (a view into the input). */
bool sig_read_bytes(sig_reader *r, size_t n, const uint8_t **out);

/* A module section as it lies in the file. */
typedef struct sig_section {
    uint8_t id;
    size_t start, end;   /* the whole section, id byte to the end of its payload */
    const uint8_t *name; /* custom sections: the name (NULL otherwise) */
    size_t name_len;
    const uint8_t *body; /* custom sections: the bytes after the name; others: the payload */
    size_t body_len;
} sig_section;

/* Checks the 8-byte header (\0asm, version 1) and returns the offset of the first section, or 0
 * with the reason in why. */
size_t sig_module_start(const uint8_t *m, size_t len, char *why, size_t why_len);
/* The section at *pos: 1 (and *pos moves past it), 0 at the end of the module, -1 when it is not
 * well formed (reason in why). */
int sig_next_section(const uint8_t *m, size_t len, size_t *pos, sig_section *s, char *why,
                     size_t why_len);
bool sig_is_custom(const sig_section *s, const char *name);

/* The signature data (a `signature` section's payload or a detached copy), validated whole by
 * sig_data_parse; the iterators below then walk it without failing. */
typedef struct sig_data {
    sig_reader sets; /* positioned at the first set */
    uint32_t nsets;
} sig_data;

typedef struct sig_set {
    const uint8_t *raw; /* the set's bytes (without its length prefix) */
    size_t raw_len;
    const uint8_t *hashes; /* nhashes * 32 bytes */
    uint32_t nhashes;
    sig_reader sigs; /* positioned at the first signature record */
    uint32_t nsigs;
} sig_set;

typedef struct sig_record {
    const uint8_t *raw; /* the record's bytes (without its length prefix) */
    size_t raw_len;
    const uint8_t *key_id;
    uint32_t key_id_len;
    uint8_t alg;
    const uint8_t *sig;
    uint32_t sig_len;
} sig_record;

/* Validates everything: identifiers, counts within SIG_MAX_* and within the bytes present, every
 * length prefix, nothing left over.  False with the reason in why. */
bool sig_data_parse(const uint8_t *p, size_t len, sig_data *d, char *why, size_t why_len);
bool sig_next_set(sig_data *d, sig_set *out);
bool sig_next_record(sig_set *set, sig_record *out);
/* "wasmsig" ‖ version ‖ content type ‖ hash function ‖ hashes; returns its length. */
size_t sig_message(const uint8_t *hashes, uint32_t nhashes, uint8_t msg[SIG_MSG_MAX]);

/* A growable byte buffer for what signing writes; `failed` sticks after an allocation fails. */
typedef struct sig_buf {
    uint8_t *p;
    size_t len, cap;
    bool failed;
} sig_buf;

void sig_put(sig_buf *b, const void *p, size_t n);
void sig_put_byte(sig_buf *b, uint8_t v);
void sig_put_u32(sig_buf *b, uint32_t v);
/* The LEB128 length of v. */
size_t sig_u32_len(uint32_t v);

/* The line at *pos of a text (without its \n and a \r before it); false at the end. */
bool sig_next_line(const char *text, size_t len, size_t *pos, const char **line, size_t *line_len);
/* Whether a line starts with the prefix. */
bool sig_has_prefix(const char *line, size_t line_len, const char *prefix);

/* snprintf into why (which may be NULL or empty). */
void sig_why(char *why, size_t why_len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif /* BASTION_SIGN_IMPL_H */
