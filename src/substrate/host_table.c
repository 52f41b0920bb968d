/*
 * host_table.c — the Substrate host functions by import name: sub_host_lookup, generated from
 * the list in host_table.h (see there for the idiom).
 *
 * The lookup is a chain of comparisons in code rather than a table of pointers: it needs no
 * relocated data (the library keeps no data that is writable at load time) and no hand-kept
 * order.  A runtime imports about a hundred functions at each instantiation; comparing the
 * length first makes a miss one integer comparison per row.
 */
#include "host.h"

#include <string.h>

bool sub_host_lookup(const char *name, size_t len, sub_host_def *out) {
#define SUB_LOOKUP_ROW(n, s)                                                                       \
    if (len == sizeof #n - 1 && memcmp(name, #n, len) == 0) {                                      \
        out->sig = s;                                                                              \
        out->fn = sub_##n;                                                                         \
        return true;                                                                               \
    }
    SUBSTRATE_HOST_FUNCTIONS(SUB_LOOKUP_ROW)
#undef SUB_LOOKUP_ROW
    return false;
}
