/*
 * json_util.c — decoding JSON documents for the CLI and reading their string members (see
 * json_util.h).
 */
#include "json_util.h"

json_t *cli_json_parse(const char *text, size_t len, json_error_t *err) {
    return json_loadb(text, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, err);
}

const char *cli_json_str(const json_t *obj, const char *key) {
    return json_string_value(json_object_get(obj, key));
}
