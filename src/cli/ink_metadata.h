/*
 * ink_metadata.h — ink! contract metadata for the CLI: finds constructors and messages by
 * label, encodes command-line arguments and decodes return values and events with a SCALE
 * codec directed by the metadata's portable type registry.  See ink_metadata.c.
 *
 * Formats: ink! 4 and 5 metadata (`version` 4 / 5: `spec.*[].label`, `types[].id`) and the
 * ink! 3.0-rc era "metadataVersion 0.1.0" files (`spec.*[].name` as a path array, types
 * numbered from 1 by position, variants indexed by position or `discriminant`).
 *
 * Argument syntax (one --arg per message argument, type-directed):
 *   bool: true|false; integers: decimal, -decimal, 0xHEX; compact: decimal;
 *   [u8; N], Vec<u8>: 0xHEX (N bytes for arrays); a 32-byte array (AccountId, Hash) also
 *   takes a dev account name (alice, bob, charlie, dave, eve, ferdie);
 *   str/String: the text, or "quoted" text; Option<T>: none | T | Some(T);
 *   other enums: Name or Name(field, ...); structs/tuples: (a, b, ...) in field order
 *   (a struct with one field is written as that field); other arrays/Vec: [a, b, ...].
 */
#ifndef BASTION_CLI_INK_METADATA_H
#define BASTION_CLI_INK_METADATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bastion_scale.h"

typedef struct ink_metadata ink_metadata;

/* Resolves a dev account name to its public key (returns false for an unknown name).  The
 * CLI supplies it so this file does not depend on the crypto layer. */
typedef bool (*ink_account_fn)(const char *name, uint8_t out[32]);

/* Parses a u128: decimal (`_` separators allowed) or 0x hex, into 16 little-endian bytes.
 * False on bad syntax or overflow.  The one u128 parser of the CLI (--value, arguments). */
bool ink_parse_u128_le(const char *s, size_t len, uint8_t out[16]);

/* Loads and indexes a metadata file.  NULL with a message in err on failure. */
ink_metadata *ink_metadata_load(const char *path, ink_account_fn accounts, char *err,
                                size_t errlen);
void ink_metadata_free(ink_metadata *m);

/* 0 for the ink! 3-era format, else the `version` field (4, 5). */
int ink_metadata_version(const ink_metadata *m);

/* A constructor or message.  Handles stay valid until ink_metadata_free. */
typedef struct ink_fn ink_fn;
/* Finds by label ("flip"; for trait messages of the old format either "Flip::flip" or
 * "flip").  NULL when absent. */
const ink_fn *ink_metadata_find(const ink_metadata *m, bool constructor, const char *label);
/* Finds by selector (to decode the result of a call made with --selector).  NULL if absent. */
const ink_fn *ink_metadata_find_selector(const ink_metadata *m, bool constructor,
                                         const uint8_t selector[4]);
const char *ink_fn_label(const ink_fn *f);
size_t ink_fn_nargs(const ink_fn *f);
/* Writes "label(arg: Type, ...)" style help listing every constructor and message. */
void ink_metadata_print_spec(const ink_metadata *m, FILE *out);

/* selector ++ SCALE(args).  args[i] is the text of argument i.  On failure returns false with
 * a message naming the argument. */
bool ink_encode_call(const ink_metadata *m, const ink_fn *f, const char *const *args, size_t nargs,
                     bst_scale_buf *out, char *err, size_t errlen);

/* Decodes return data with the function's return type into *text (malloc'd, free it).
 * Returns false (err filled) when the data does not match; true with *text NULL when the
 * function declares no return type. */
bool ink_decode_return(const ink_metadata *m, const ink_fn *f, const uint8_t *data, size_t len,
                       char **text, char *err, size_t errlen);

/* Decodes one event: by its signature topic (topics[0], ink! 5) or the leading variant index
 * of the data (older formats).  *text is "Name arg=value ..." (malloc'd).  Returns false
 * when no event of the metadata matches or the data does not decode. */
bool ink_decode_event(const ink_metadata *m, const uint8_t (*topics)[32], size_t ntopics,
                      const uint8_t *data, size_t len, char **text, char *err, size_t errlen);

#endif /* BASTION_CLI_INK_METADATA_H */
