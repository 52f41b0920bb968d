/*
 * user_data.c — host functions see their own caller's state (sandbox guarantee 3).
 *
 * One host function, shared by two instances of the same module in one store, is called from
 * both: bst_caller_user_data() and bst_caller_instance() must name the calling instance every
 * time, and the env pointer must be the host function's own.  Two host functions with different
 * env pointers in two stores likewise.  Called directly from the embedder, the host function has
 * no caller instance and no user data.
 */
#include "harness.h"

typedef struct who {
    int id;
    bst_instance *expect_inst; /* filled in after instantiation */
} who;

typedef struct env {
    int tag;
    int calls;
    int wrong_inst;
} env;

static bool whoami(bst_caller *c, const bst_value *args, bst_value *results, void *envp) {
    (void)args;
    env *e = envp;
    e->calls++;
    who *w = bst_caller_user_data(c);
    bst_instance *inst = bst_caller_instance(c);
    if (w && inst != w->expect_inst) e->wrong_inst++;
    if (inst && bst_instance_user_data(inst) != (void *)w) e->wrong_inst++;
    results[0].of.i32 = (w ? w->id : 0) * 1000 + e->tag;
    return true;
}

static bst_instance *make(bst_store *s, const bst_module *m, bst_func *host, who *w) {
    bst_extern imp;
    imp.kind = BST_EXTERN_FUNC;
    imp.of.func = host;
    bst_error err;
    bst_instance *inst = bst_instance_new(s, m, &imp, 1, w, &err);
    if (!inst) {
        fprintf(stderr, "instantiation failed: %s\n", err.message);
        exit(2);
    }
    w->expect_inst = inst;
    return inst;
}

static int32_t ask(bst_instance *inst) {
    bst_error err;
    bst_value v;
    CHECK_OK(h_call(h_func(inst, "ask"), &err, &v, 0), err);
    return v.of.i32;
}

int main(void) {
    bst_module *m = h_load("user_data", NULL);
    bst_functype ft;
    bst_valtype i32 = BST_I32;
    ft.nparams = 0;
    ft.nresults = 1;
    ft.params = NULL;
    ft.results = &i32;

    /* one store, one shared host function, two instances */
    bst_store *s = bst_store_new(NULL);
    env e1 = {7, 0, 0};
    bst_func *host = bst_func_new_host(s, &ft, whoami, &e1);
    who a = {1, NULL}, b = {2, NULL};
    bst_instance *ia = make(s, m, host, &a), *ib = make(s, m, host, &b);
    for (int round = 0; round < 3; round++) {
        CHECK_EQ(ask(ia), 1007);
        CHECK_EQ(ask(ib), 2007);
    }
    CHECK_EQ(e1.calls, 6);
    CHECK_EQ(e1.wrong_inst, 0);

    /* directly from the embedder: no caller instance, no user data */
    bst_value r;
    bst_error err;
    CHECK_OK(bst_call(host, NULL, 0, &r, 1, &err), err);
    CHECK_EQ(r.of.i32, 7);

    /* two stores, two host functions with their own env */
    bst_store *s2 = bst_store_new(NULL);
    env e2 = {9, 0, 0};
    who c = {3, NULL};
    bst_instance *ic = make(s2, m, bst_func_new_host(s2, &ft, whoami, &e2), &c);
    CHECK_EQ(ask(ic), 3009);
    CHECK_EQ(ask(ia), 1007);
    CHECK_EQ(e2.calls, 1);
    CHECK_EQ(e2.wrong_inst, 0);
    CHECK(bst_instance_user_data(ic) == &c);

    bst_store_free(s);
    bst_store_free(s2);
    bst_module_free(m);
    return h_finish("user_data");
}
