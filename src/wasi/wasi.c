/*
 * wasi.c — the WASI layer's context and linking: bst_wasi creation (arguments, environment,
 * stdio and pre-opened directories), the guest descriptor table, the lookup of WASI functions
 * for both namespaces (wasi_snapshot_preview1, wasi_unstable; generated from the list in
 * wasi_table.h), import resolution, running `_start` and proc_exit's exit code, host errno
 * translation and little-endian guest-memory helpers.  The functions themselves live in
 * wasi_misc.c (args, environ, clocks, random, poll, proc), wasi_fd.c (descriptor operations)
 * and wasi_path.c (sandboxed path resolution and the path_* operations).
 */
#define _GNU_SOURCE
#include "wasi_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- little-endian guest memory helpers -------------------------------------------------- */

void wasi_store_u16(uint8_t *p, uint16_t v) {
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

void wasi_store_u32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

void wasi_store_u64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}

uint16_t wasi_load_u16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }

uint32_t wasi_load_u32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint64_t wasi_load_u64(const uint8_t *p) {
    return (uint64_t)wasi_load_u32(p) | (uint64_t)wasi_load_u32(p + 4) << 32;
}

bool wasi_put_u8(bst_memory *m, uint32_t ptr, uint8_t v) {
    return m && bst_memory_write(m, ptr, &v, 1);
}

bool wasi_put_u16(bst_memory *m, uint32_t ptr, uint16_t v) {
    uint8_t b[2];
    wasi_store_u16(b, v);
    return m && bst_memory_write(m, ptr, b, sizeof b);
}

bool wasi_put_u32(bst_memory *m, uint32_t ptr, uint32_t v) {
    uint8_t b[4];
    wasi_store_u32(b, v);
    return m && bst_memory_write(m, ptr, b, sizeof b);
}

bool wasi_put_u64(bst_memory *m, uint32_t ptr, uint64_t v) {
    uint8_t b[8];
    wasi_store_u64(b, v);
    return m && bst_memory_write(m, ptr, b, sizeof b);
}

bool wasi_get_u32(const bst_memory *m, uint32_t ptr, uint32_t *v) {
    uint8_t b[4];
    if (!m || !bst_memory_read(m, ptr, b, sizeof b)) return false;
    *v = wasi_load_u32(b);
    return true;
}

/* ---- errno ------------------------------------------------------------------------------- */

uint16_t wasi_errno(int e) {
    switch (e) {
    case 0: return WE_SUCCESS;
    case E2BIG: return WE_2BIG;
    case EACCES: return WE_ACCES;
    case EADDRINUSE: return WE_ADDRINUSE;
    case EADDRNOTAVAIL: return WE_ADDRNOTAVAIL;
    case EAFNOSUPPORT: return WE_AFNOSUPPORT;
    case EAGAIN: return WE_AGAIN;
    case EALREADY: return WE_ALREADY;
    case EBADF: return WE_BADF;
    case EBADMSG: return WE_BADMSG;
    case EBUSY: return WE_BUSY;
    case ECANCELED: return WE_CANCELED;
    case ECHILD: return WE_CHILD;
    case ECONNABORTED: return WE_CONNABORTED;
    case ECONNREFUSED: return WE_CONNREFUSED;
    case ECONNRESET: return WE_CONNRESET;
    case EDEADLK: return WE_DEADLK;
    case EDESTADDRREQ: return WE_DESTADDRREQ;
    case EDOM: return WE_DOM;
    case EDQUOT: return WE_DQUOT;
    case EEXIST: return WE_EXIST;
    case EFAULT: return WE_FAULT;
    case EFBIG: return WE_FBIG;
    case EHOSTUNREACH: return WE_HOSTUNREACH;
    case EIDRM: return WE_IDRM;
    case EILSEQ: return WE_ILSEQ;
    case EINPROGRESS: return WE_INPROGRESS;
    case EINTR: return WE_INTR;
    case EINVAL: return WE_INVAL;
    case EIO: return WE_IO;
    case EISCONN: return WE_ISCONN;
    case EISDIR: return WE_ISDIR;
    case ELOOP: return WE_LOOP;
    case EMFILE: return WE_MFILE;
    case EMLINK: return WE_MLINK;
    case EMSGSIZE: return WE_MSGSIZE;
    case EMULTIHOP: return WE_MULTIHOP;
    case ENAMETOOLONG: return WE_NAMETOOLONG;
    case ENETDOWN: return WE_NETDOWN;
    case ENETRESET: return WE_NETRESET;
    case ENETUNREACH: return WE_NETUNREACH;
    case ENFILE: return WE_NFILE;
    case ENOBUFS: return WE_NOBUFS;
    case ENODEV: return WE_NODEV;
    case ENOENT: return WE_NOENT;
    case ENOEXEC: return WE_NOEXEC;
    case ENOLCK: return WE_NOLCK;
    case ENOLINK: return WE_NOLINK;
    case ENOMEM: return WE_NOMEM;
    case ENOMSG: return WE_NOMSG;
    case ENOPROTOOPT: return WE_NOPROTOOPT;
    case ENOSPC: return WE_NOSPC;
    case ENOSYS: return WE_NOSYS;
    case ENOTCONN: return WE_NOTCONN;
    case ENOTDIR: return WE_NOTDIR;
    case ENOTEMPTY: return WE_NOTEMPTY;
    case ENOTRECOVERABLE: return WE_NOTRECOVERABLE;
    case ENOTSOCK: return WE_NOTSOCK;
    case ENOTSUP: return WE_NOTSUP; /* == EOPNOTSUPP on Linux */
    case ENOTTY: return WE_NOTTY;
    case ENXIO: return WE_NXIO;
    case EOVERFLOW: return WE_OVERFLOW;
    case EOWNERDEAD: return WE_OWNERDEAD;
    case EPERM: return WE_PERM;
    case EPIPE: return WE_PIPE;
    case EPROTO: return WE_PROTO;
    case EPROTONOSUPPORT: return WE_PROTONOSUPPORT;
    case EPROTOTYPE: return WE_PROTOTYPE;
    case ERANGE: return WE_RANGE;
    case EROFS: return WE_ROFS;
    case ESPIPE: return WE_SPIPE;
    case ESRCH: return WE_SRCH;
    case ESTALE: return WE_STALE;
    case ETIMEDOUT: return WE_TIMEDOUT;
    case ETXTBSY: return WE_TXTBSY;
    case EXDEV: return WE_XDEV;
    default: return WE_IO;
    }
}

/* ---- descriptor table -------------------------------------------------------------------- */

uint8_t wasi_filetype_of_mode(unsigned mode) {
    if (S_ISREG(mode)) return WFT_REGULAR_FILE;
    if (S_ISDIR(mode)) return WFT_DIRECTORY;
    if (S_ISCHR(mode)) return WFT_CHARACTER_DEVICE;
    if (S_ISBLK(mode)) return WFT_BLOCK_DEVICE;
    if (S_ISSOCK(mode)) return WFT_SOCKET_STREAM;
    if (S_ISLNK(mode)) return WFT_SYMBOLIC_LINK;
    return WFT_UNKNOWN; /* pipes have no WASI file type */
}

wasi_fd *wasi_get_fd(bst_wasi *w, uint32_t fd) {
    if (fd >= w->nfds || w->fds[fd].host < 0) return NULL;
    return &w->fds[fd];
}

void wasi_fd_release(wasi_fd *f) {
    if (f->dir) closedir(f->dir);
    if (f->owned && f->host >= 0) close(f->host);
    free(f->preopen);
    memset(f, 0, sizeof *f);
    f->host = -1;
}

/* Fills in type and rights of a fresh slot from the host descriptor. */
static void fd_init(wasi_fd *f, int h, bool owned) {
    memset(f, 0, sizeof *f);
    f->host = h;
    f->owned = owned;
    struct stat st;
    f->filetype = fstat(h, &st) == 0 ? wasi_filetype_of_mode(st.st_mode) : WFT_UNKNOWN;
    f->rights_base = WRIGHT_ALL;
    f->rights_inheriting = WRIGHT_ALL;
    /* wasi-libc's isatty() wants a character device without seek/tell rights. */
    if (f->filetype == WFT_CHARACTER_DEVICE) f->rights_base &= ~(WRIGHT_FD_SEEK | WRIGHT_FD_TELL);
}

uint16_t wasi_add_fd(bst_wasi *w, int h, bool owned, uint32_t *fd_out) {
    uint32_t i = 0;
    while (i < w->nfds && w->fds[i].host >= 0) i++;
    if (i == w->nfds) {
        if (w->nfds >= w->max_fds) return WE_MFILE;
        uint64_t n64 = w->nfds ? (uint64_t)w->nfds * 2 : 8; /* no wrap near max_fds 2^32-1 */
        uint32_t n = n64 > w->max_fds ? w->max_fds : (uint32_t)n64;
        wasi_fd *nf = realloc(w->fds, (size_t)n * sizeof *nf);
        if (!nf) return WE_NOMEM;
        for (uint32_t k = w->nfds; k < n; k++) {
            memset(&nf[k], 0, sizeof nf[k]);
            nf[k].host = -1;
        }
        w->fds = nf;
        w->nfds = n;
    }
    fd_init(&w->fds[i], h, owned);
    *fd_out = i;
    return WE_SUCCESS;
}

/* ---- context ----------------------------------------------------------------------------- */

void bst_wasi_config_default(bst_wasi_config *cfg) {
    memset(cfg, 0, sizeof *cfg);
    cfg->stdin_fd = 0;
    cfg->stdout_fd = 1;
    cfg->stderr_fd = 2;
    cfg->max_fds = 1024;
}

static void set_why(char *why, size_t why_len, const char *fmt, const char *a, const char *b) {
    if (why && why_len) snprintf(why, why_len, fmt, a, b);
}

/* Copies n strings into *out, with their total size with NULs.  False on overflow / no memory
 * (out is freed by free_strings then too). */
static bool copy_strings(const char *const *src, size_t n, wasi_strings *out) {
    out->v = NULL;
    out->n = (uint32_t)n;
    out->bytes = 0;
    if (n == 0) return true;
    if (n > UINT32_MAX / 4) return false;
    char **v = calloc(n, sizeof *v);
    if (!v) return false;
    out->v = v;
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        const char *s = src[i] ? src[i] : "";
        size_t len = strlen(s);
        total += len + 1;
        if (total > UINT32_MAX / 2) return false;
        v[i] = malloc(len + 1);
        if (!v[i]) return false;
        memcpy(v[i], s, len + 1);
    }
    out->bytes = (uint32_t)total;
    return true;
}

static void free_strings(wasi_strings *s) {
    if (!s->v) return;
    for (uint32_t i = 0; i < s->n; i++) free(s->v[i]);
    free(s->v);
}

bst_wasi *bst_wasi_new(const bst_wasi_config *cfg, char *why, size_t why_len) {
    bst_wasi_config def;
    if (!cfg) {
        bst_wasi_config_default(&def);
        cfg = &def;
    }
    bst_wasi *w = calloc(1, sizeof *w);
    if (!w) {
        set_why(why, why_len, "out of memory%s%s", "", "");
        return NULL;
    }
    w->views[0].w = w;
    w->views[1].w = w;
    w->views[1].unstable = true;
    if (cfg->npreopens > UINT32_MAX - 3) { /* descriptor numbers are 32-bit */
        set_why(why, why_len, "too many pre-opened directories%s%s", "", "");
        bst_wasi_free(w);
        return NULL;
    }
    w->max_fds = cfg->max_fds ? cfg->max_fds : 1024;
    if (w->max_fds < 3 + cfg->npreopens) w->max_fds = 3 + (uint32_t)cfg->npreopens;
    bool ok_args = copy_strings(cfg->argv, cfg->argc, &w->args);
    bool ok_env = ok_args && copy_strings(cfg->env, cfg->nenv, &w->env);
    if (!ok_args || !ok_env) {
        set_why(why, why_len, "arguments or environment too large%s%s", "", "");
        bst_wasi_free(w);
        return NULL;
    }
    /* stdio: slots 0..2 always exist (closed if the host fd is -1). */
    w->fds = calloc(3 + cfg->npreopens, sizeof *w->fds);
    if (!w->fds) {
        set_why(why, why_len, "out of memory%s%s", "", "");
        bst_wasi_free(w);
        return NULL;
    }
    w->nfds = 3 + (uint32_t)cfg->npreopens;
    for (uint32_t i = 0; i < w->nfds; i++) w->fds[i].host = -1;
    const int stdio[3] = {cfg->stdin_fd, cfg->stdout_fd, cfg->stderr_fd};
    for (int i = 0; i < 3; i++)
        if (stdio[i] >= 0) fd_init(&w->fds[i], stdio[i], false);
    for (size_t i = 0; i < cfg->npreopens; i++) {
        const bst_wasi_preopen *p = &cfg->preopens[i];
        const char *guest = p->guest_path ? p->guest_path : p->host_path;
        int h = open(p->host_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (h < 0) {
            set_why(why, why_len, "cannot open directory %s: %s", p->host_path, strerror(errno));
            bst_wasi_free(w);
            return NULL;
        }
        wasi_fd *f = &w->fds[3 + i];
        fd_init(f, h, true);
        f->preopen_len = strlen(guest);
        f->preopen = malloc(f->preopen_len + 1);
        if (!f->preopen) {
            set_why(why, why_len, "out of memory%s%s", "", "");
            bst_wasi_free(w);
            return NULL;
        }
        memcpy(f->preopen, guest, f->preopen_len + 1);
    }
    return w;
}

void bst_wasi_free(bst_wasi *w) {
    if (!w) return;
    for (uint32_t i = 0; i < w->nfds; i++)
        if (w->fds[i].host >= 0 || w->fds[i].preopen) wasi_fd_release(&w->fds[i]);
    free(w->fds);
    free_strings(&w->args);
    free_strings(&w->env);
    free(w);
}

bool bst_wasi_exited(const bst_wasi *w, uint32_t *code) {
    if (w->exited && code) *code = w->exit_code;
    return w->exited;
}

/* ---- the function table (wasi_table.h) ---------------------------------------------------- */

/* A WASI function found by name: its signature (bst_functype_parse notation) and C function. */
typedef struct wasi_fn_desc {
    const char *sig;
    bst_host_fn fn;
} wasi_fn_desc;

static bool name_is(const char *s, size_t len, const char *lit) {
    return strlen(lit) == len && memcmp(s, lit, len) == 0;
}

/* The row named name[0..len): expanded from the list into a chain of comparisons, so the
 * library holds no table of relocated pointers.  Comparing the length first makes a miss one
 * integer comparison per row. */
static bool wasi_lookup(const char *name, size_t len, wasi_fn_desc *out) {
#define WASI_FN_OF_FN(n) wasi_##n
#define WASI_FN_OF_NOSYS(n) wasi_nosys
#define WASI_LOOKUP_ROW(n, s, kind)                                                                \
    if (len == sizeof #n - 1 && memcmp(name, #n, len) == 0) {                                      \
        out->sig = s;                                                                              \
        out->fn = WASI_FN_OF_##kind(n);                                                            \
        return true;                                                                               \
    }
    WASI_HOST_FUNCTIONS(WASI_LOOKUP_ROW)
#undef WASI_LOOKUP_ROW
#undef WASI_FN_OF_NOSYS
#undef WASI_FN_OF_FN
    return false;
}

/* 0 = not a WASI namespace, 1 = preview1, 2 = unstable. */
static int wasi_namespace(const bst_import_desc *d) {
    if (name_is(d->module, d->module_len, "wasi_snapshot_preview1")) return 1;
    if (name_is(d->module, d->module_len, "wasi_unstable")) return 2;
    return 0;
}

bool bst_wasi_module_uses_wasi(const bst_module *m) {
    uint32_t n = bst_module_import_count(m);
    for (uint32_t i = 0; i < n; i++) {
        bst_import_desc d;
        memset(&d, 0, sizeof d);
        bst_module_import(m, i, &d);
        if (wasi_namespace(&d)) return true;
    }
    return false;
}

static void link_fail(bst_error *err, const bst_import_desc *d, const char *why) {
    if (!err) return;
    memset(err, 0, sizeof *err);
    err->status = BST_ERR_UNLINKABLE;
    snprintf(err->message, sizeof err->message, "import %.*s.%.*s: %s",
             (int)(d->module_len > 64 ? 64 : d->module_len), d->module,
             (int)(d->name_len > 64 ? 64 : d->name_len), d->name, why);
}

bst_status bst_wasi_link(bst_wasi *w, bst_store *s, const bst_module *m, bst_wasi_resolver resolver,
                         void *resolver_env, bst_extern **imports_out, size_t *n_out,
                         bst_error *err) {
    *imports_out = NULL;
    *n_out = 0;
    uint32_t n = bst_module_import_count(m);
    bst_extern *ext = calloc(n ? n : 1, sizeof *ext);
    if (!ext) {
        if (err) {
            memset(err, 0, sizeof *err);
            err->status = BST_ERR_NOMEM;
            snprintf(err->message, sizeof err->message, "out of memory");
        }
        return BST_ERR_NOMEM;
    }
    for (uint32_t i = 0; i < n; i++) {
        bst_import_desc d;
        memset(&d, 0, sizeof d);
        bst_module_import(m, i, &d);
        int ns = wasi_namespace(&d);
        if (ns) {
            wasi_fn_desc fd;
            if (wasi_lookup(d.name, d.name_len, &fd) && d.type.kind == BST_EXTERN_FUNC) {
                if (!bst_functype_matches(&d.type.func, fd.sig)) {
                    link_fail(err, &d, "WASI function imported with the wrong type");
                    free(ext);
                    return BST_ERR_UNLINKABLE;
                }
                /* the import's type is the row's (just checked) */
                bst_func *f = bst_func_new_host(s, &d.type.func, fd.fn, &w->views[ns - 1]);
                if (!f) {
                    if (err) {
                        memset(err, 0, sizeof *err);
                        err->status = BST_ERR_NOMEM;
                        snprintf(err->message, sizeof err->message, "out of memory");
                    }
                    free(ext);
                    return BST_ERR_NOMEM;
                }
                ext[i].kind = BST_EXTERN_FUNC;
                ext[i].of.func = f;
                continue;
            }
        }
        if (resolver && resolver(resolver_env, s, &d, &ext[i])) continue;
        link_fail(err, &d, ns ? "unknown WASI function" : "not provided by the host");
        free(ext);
        return BST_ERR_UNLINKABLE;
    }
    *imports_out = ext;
    *n_out = n;
    return BST_OK;
}

bst_status bst_wasi_run(bst_wasi *w, bst_instance *inst, int *exit_code, bst_error *err) {
    bst_extern e;
    if (!bst_instance_export(inst, "_start", 6, &e) || e.kind != BST_EXTERN_FUNC ||
        bst_func_type(e.of.func)->nparams || bst_func_type(e.of.func)->nresults) {
        if (err) {
            memset(err, 0, sizeof *err);
            err->status = BST_ERR_NOT_FOUND;
            snprintf(err->message, sizeof err->message, "no exported function _start () -> ()");
        }
        return BST_ERR_NOT_FOUND;
    }
    w->exited = false;
    bst_status st = bst_call(e.of.func, NULL, 0, NULL, 0, err);
    if (st == BST_OK) {
        *exit_code = 0;
        return BST_OK;
    }
    if (st == BST_ERR_TRAP && w->exited) {
        *exit_code = (int)w->exit_code;
        return BST_OK;
    }
    return st;
}
