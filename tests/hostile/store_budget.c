/*
 * store_budget.c — limits hold per store, not only per object, and objects never cross stores.
 *
 * max_table_elems and max_memory_pages are budgets over everything a store holds, so a module
 * cannot multiply them by declaring many tables or by being instantiated many times in one
 * store; and an import owned by another store is refused (freeing that store would otherwise
 * leave the instance with dangling pointers).
 */
#include "harness.h"

int main(void) {
    bst_module *m = h_load("store_budget", NULL);
    bst_config cfg;
    bst_config_default(&cfg);
    cfg.max_table_elems = 2000;
    cfg.max_memory_pages = 4;
    bst_error err;

    bst_store *s = bst_store_new(&cfg);
    bst_limits one = {1, 0, false};
    bst_memory *mem = bst_memory_new(s, one, &err);
    CHECK(mem != NULL);
    bst_extern imp = {.kind = BST_EXTERN_MEMORY, .of.memory = mem};
    /* first instance: 1,200 of 2,000 table elements */
    CHECK(bst_instance_new(s, m, &imp, 1, NULL, &err) != NULL);
    /* second: 2,400 > 2,000 */
    CHECK(bst_instance_new(s, m, &imp, 1, NULL, &err) == NULL);
    CHECK_EQ(err.status, BST_ERR_LIMIT);
    /* memory pages: 1 in use, 3 left */
    CHECK_EQ(bst_memory_grow(mem, 3), 1);
    bst_limits more = {1, 0, false};
    CHECK(bst_memory_new(s, more, &err) == NULL);
    CHECK_EQ(err.status, BST_ERR_LIMIT);

    /* an import from another store is refused */
    bst_store *other = bst_store_new(&cfg);
    bst_memory *foreign = bst_memory_new(other, one, &err);
    CHECK(foreign != NULL);
    bst_store *s2 = bst_store_new(&cfg);
    bst_extern fimp = {.kind = BST_EXTERN_MEMORY, .of.memory = foreign};
    CHECK(bst_instance_new(s2, m, &fimp, 1, NULL, &err) == NULL);
    CHECK_EQ(err.status, BST_ERR_UNLINKABLE);

    bst_store_free(s2);
    bst_store_free(other);
    bst_store_free(s);
    bst_module_free(m);
    return h_finish("store_budget");
}
