/*
 * test_module_query.c — bst_module_has_start and bst_module_defines_memory on hand-assembled
 * modules: none, a start function, a defined memory, an imported memory, an empty memory
 * section, and NULL.
 */
#include <stdio.h>
#include <string.h>

#include "bastion.h"
#include "../support/check.h"

#define HEADER 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00

static bst_module *load(const uint8_t *b, size_t len) {
    bst_error err;
    bst_module *m = bst_module_new(b, len, &err);
    if (!m) printf("module rejected: %s\n", err.message);
    CHECK(m != NULL);
    return m;
}

/* Queries a module and frees it; the expectations are the arguments. */
static void expect(const uint8_t *b, size_t len, bool start, bool memory) {
    bst_module *m = load(b, len);
    if (!m) return;
    CHECK(bst_module_has_start(m) == start);
    CHECK(bst_module_defines_memory(m) == memory);
    bst_module_free(m);
}

int main(void) {
    static const uint8_t empty[] = {HEADER};
    static const uint8_t with_start[] = {
        HEADER, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, /* type 0: () -> () */
        0x03,   0x02, 0x01, 0x00,                   /* one function of type 0 */
        0x08,   0x01, 0x00,                         /* start: function 0 */
        0x0a,   0x04, 0x01, 0x02, 0x00, 0x0b,       /* its empty body */
    };
    static const uint8_t own_memory[] = {HEADER, 0x05, 0x03, 0x01, 0x00, 0x01};
    static const uint8_t imported_memory[] = {
        HEADER, 0x02, 0x0f, 0x01, 0x03, 'e', 'n',  'v',  0x06,
        'm',    'e',  'm',  'o',  'r',  'y', 0x02, 0x00, 0x01,
    };
    static const uint8_t empty_memory_section[] = {HEADER, 0x05, 0x01, 0x00};

    expect(empty, sizeof empty, false, false);
    expect(with_start, sizeof with_start, true, false);
    expect(own_memory, sizeof own_memory, false, true);
    expect(imported_memory, sizeof imported_memory, false, false);
    expect(empty_memory_section, sizeof empty_memory_section, false, false);
    CHECK(!bst_module_has_start(NULL));
    CHECK(!bst_module_defines_memory(NULL));

    return check_finish("unit/test_module_query");
}
