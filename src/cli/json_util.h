/*
 * json_util.h — the CLI's JSON input, on jansson: the one set of decoding flags every command
 * uses, and the accessor they all repeat.  Documents stay jansson trees (json_t, freed with
 * json_decref); this header only adds what jansson does not spell in one call.
 */
#ifndef BASTION_CLI_JSON_UTIL_H
#define BASTION_CLI_JSON_UTIL_H

#include <jansson.h>
#include <stddef.h>

/* Decodes text[0..len), one JSON value surrounded only by whitespace, or returns NULL with the
 * line, column and reason in *err.  Any value is accepted at the top (the commands say what
 * they expected), "\u0000" is allowed (string lengths come from json_string_length), and a
 * duplicated object key keeps its last value, as serde_json and JSON.parse do.  An integer
 * outside json_int_t (64 bits) is a decoding error ("too big integer"), never a rounded value. */
json_t *cli_json_parse(const char *text, size_t len, json_error_t *err);

/* The string member `key` of obj, or NULL if obj is not an object, has no such member or the
 * member is not a string. */
const char *cli_json_str(const json_t *obj, const char *key);

#endif /* BASTION_CLI_JSON_UTIL_H */
