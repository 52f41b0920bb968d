/*
 * bastion_wasi.h — WASI preview1 for Bastion embedders.
 *
 * A bst_wasi context holds everything one WASI program sees: its arguments, its environment
 * (empty unless the embedder passes one), its file-descriptor table (stdio plus the directories
 * the embedder pre-opens) and its exit status.  The layer is built only on the public API in
 * bastion.h.  There is no global state: every host function receives its context as its env.
 *
 * Both import namespaces are served: "wasi_snapshot_preview1" and the older "wasi_unstable"
 * (same functions; the layouts that differ — seek whence, filestat, poll subscriptions — are
 * translated).  Functions that are not implemented return ENOSYS.
 *
 * Sandbox: the guest reaches the host file system only beneath pre-opened directories.  Paths
 * are resolved one component at a time with openat(O_NOFOLLOW); `..` that would leave the
 * pre-open, absolute paths and symbolic links whose target leaves it are refused with
 * ENOTCAPABLE.  Every guest pointer is bounds-checked; a bad one yields EFAULT, never a crash.
 *
 * Typical use:
 *
 *     bst_wasi_config cfg;  bst_wasi_config_default(&cfg);
 *     cfg.argc = ...; cfg.argv = ...;
 *     bst_wasi *w = bst_wasi_new(&cfg, why, sizeof why);
 *     bst_extern *imports; size_t n;
 *     bst_wasi_link(w, store, module, NULL, NULL, &imports, &n, &err);
 *     bst_instance *inst = bst_instance_new(store, module, imports, n, NULL, &err);
 *     free(imports);
 *     int exit_code;
 *     bst_status st = bst_wasi_run(w, inst, &exit_code, &err);
 *     ...
 *     bst_store_free(store);     // host functions reference w: free the store first
 *     bst_wasi_free(w);
 */
#ifndef BASTION_WASI_H
#define BASTION_WASI_H

#include "bastion.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The libraries are compiled with hidden visibility; what this header declares is the API. */
#pragma GCC visibility push(default)

typedef struct bst_wasi bst_wasi;

/* A directory made visible to the guest. */
typedef struct bst_wasi_preopen {
    const char *host_path;  /* opened (as a directory) by bst_wasi_new */
    const char *guest_path; /* the name the guest sees; NULL = host_path */
} bst_wasi_preopen;

typedef struct bst_wasi_config {
    size_t argc; /* argv[0] is the program name */
    const char *const *argv;
    size_t nenv; /* "KEY=VALUE" strings; default none */
    const char *const *env;
    size_t npreopens; /* become guest fds 3, 4, ... in order */
    const bst_wasi_preopen *preopens;
    int stdin_fd, stdout_fd, stderr_fd; /* host fds for guest 0/1/2 (not owned; -1 = none) */
    uint32_t max_fds;                   /* open-descriptor limit; default 1024 */
} bst_wasi_config;

/* Defaults: no arguments, no environment, no pre-opens, host stdio 0/1/2. */
void bst_wasi_config_default(bst_wasi_config *cfg);

/* Creates a context; strings are copied and pre-opened directories opened.  On failure returns
 * NULL and writes a reason to why (if why_len > 0). */
bst_wasi *bst_wasi_new(const bst_wasi_config *cfg, char *why, size_t why_len);
/* Closes every descriptor the context owns.  Free the stores whose host functions use w first. */
void bst_wasi_free(bst_wasi *w);

/* Provides one import that is not a WASI function: return true with *out filled to resolve it,
 * false to leave it unresolved (an error). */
typedef bool (*bst_wasi_resolver)(void *env, bst_store *s, const bst_import_desc *imp,
                                  bst_extern *out);

/* Builds the import array for m: WASI functions (created as host functions in s, bound to w)
 * for "wasi_snapshot_preview1" / "wasi_unstable" imports, everything else from resolver (may be
 * NULL).  On success *imports_out is a malloc'ed array of *n_out externs in import order (free
 * it with free() once the instance is created).  Fails with BST_ERR_UNLINKABLE, naming the
 * import, when one cannot be resolved or a WASI import has the wrong type. */
bst_status bst_wasi_link(bst_wasi *w, bst_store *s, const bst_module *m, bst_wasi_resolver resolver,
                         void *resolver_env, bst_extern **imports_out, size_t *n_out,
                         bst_error *err);

/* True if the module imports anything from a WASI namespace. */
bool bst_wasi_module_uses_wasi(const bst_module *m);

/* Runs the command's exported "_start".  Returns BST_OK with *exit_code set (0 when _start
 * returns, the proc_exit code otherwise); any other status is an error or a trap (details in
 * *err), *exit_code then undefined.  BST_ERR_NOT_FOUND if there is no "_start" () -> (). */
bst_status bst_wasi_run(bst_wasi *w, bst_instance *inst, int *exit_code, bst_error *err);

/* proc_exit is a host trap carrying the code: after a call trapped, this tells whether the trap
 * was the guest calling proc_exit, and with which code. */
bool bst_wasi_exited(const bst_wasi *w, uint32_t *code);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif
#endif /* BASTION_WASI_H */
