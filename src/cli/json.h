/*
 * json.h — a small, strict JSON (RFC 8259) parser for the CLI, sized for wast2json output.
 *
 * Numbers are kept as their source text (the spec runner needs exact 64-bit integers, which a
 * double cannot hold).  Strings are decoded to UTF-8 (\u escapes and surrogate pairs included)
 * and carry an explicit length because "\u0000" is legal.  No global state.
 */
#ifndef BASTION_CLI_JSON_H
#define BASTION_CLI_JSON_H

#include <stdbool.h>
#include <stddef.h>

typedef enum json_kind {
    JSON_NULL,
    JSON_BOOL,
    JSON_NUMBER,
    JSON_STRING,
    JSON_ARRAY,
    JSON_OBJECT,
} json_kind;

typedef struct json_member json_member;
typedef struct json_value json_value;

struct json_value {
    json_kind kind;
    bool boolean;         /* JSON_BOOL */
    char *str;            /* JSON_STRING (decoded, NUL-terminated) / JSON_NUMBER (text) */
    size_t len;           /* bytes in str, excluding the terminator */
    size_t count;         /* JSON_ARRAY items / JSON_OBJECT members */
    json_value *items;    /* JSON_ARRAY */
    json_member *members; /* JSON_OBJECT, in source order */
};

struct json_member {
    char *key; /* decoded, NUL-terminated */
    size_t key_len;
    json_value value;
};

typedef struct json_error {
    size_t line, column; /* 1-based position of the problem */
    char message[128];
} json_error;

/* Parses text[0..len) (one value, surrounded only by whitespace).  On success fills *out
 * (free with json_free) and returns true; otherwise returns false, fills *err, *out is empty. */
bool json_parse(const char *text, size_t len, json_value *out, json_error *err);
void json_free(json_value *v);

/* Object member by key, or NULL if v is not an object or has no such key. */
const json_value *json_get(const json_value *v, const char *key);
/* The member's string, or NULL if absent or not a string. */
const char *json_get_string(const json_value *v, const char *key);

#endif /* BASTION_CLI_JSON_H */
