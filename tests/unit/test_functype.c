/*
 * test_functype.c — signature strings: parsing every letter, the separator rules, capacity, and
 * matching against types built by hand.
 */
#include <stdio.h>
#include <string.h>

#include "bastion.h"
#include "../support/check.h"

int main(void) {
    bst_valtype buf[8];
    bst_functype ft;

    CHECK(bst_functype_parse("iIfFre:iI", buf, 8, &ft));
    CHECK(ft.nparams == 6 && ft.nresults == 2);
    CHECK(ft.params[0] == BST_I32 && ft.params[1] == BST_I64 && ft.params[2] == BST_F32);
    CHECK(ft.params[3] == BST_F64 && ft.params[4] == BST_FUNCREF && ft.params[5] == BST_EXTERNREF);
    CHECK(ft.results[0] == BST_I32 && ft.results[1] == BST_I64);

    CHECK(bst_functype_parse(":", buf, 0, &ft) && ft.nparams == 0 && ft.nresults == 0);
    CHECK(!bst_functype_parse("ii", buf, 8, &ft));         /* no ':' */
    CHECK(!bst_functype_parse("i:i:i", buf, 8, &ft));      /* two ':' */
    CHECK(!bst_functype_parse("ix:", buf, 8, &ft));        /* unknown letter */
    CHECK(!bst_functype_parse(":v", buf, 8, &ft));         /* v128 has no letter */
    CHECK(!bst_functype_parse("iiiii:iiii", buf, 8, &ft)); /* 9 entries > cap 8 */
    CHECK(bst_functype_parse("iiii:iiii", buf, 8, &ft));   /* exactly cap */
    CHECK(!bst_functype_parse(NULL, buf, 8, &ft));

    bst_valtype p[2] = {BST_I32, BST_I64}, r[1] = {BST_I32};
    bst_functype t = {2, 1, p, r};
    CHECK(bst_functype_matches(&t, "iI:i"));
    CHECK(!bst_functype_matches(&t, "ii:i"));
    CHECK(!bst_functype_matches(&t, "iI:"));
    CHECK(!bst_functype_matches(&t, "iI:I"));
    CHECK(!bst_functype_matches(&t, "iIi:i"));
    CHECK(!bst_functype_matches(&t, "iI"));

    CHECK(strcmp(bst_valtype_name(BST_EXTERNREF), "externref") == 0);
    CHECK(strcmp(bst_valtype_name(BST_F64), "f64") == 0);
    CHECK(strcmp(bst_valtype_name((bst_valtype)0), "?") == 0);

    return check_finish("unit/test_functype");
}
