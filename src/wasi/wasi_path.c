/*
 * wasi_path.c — the WASI file-system sandbox: resolution of guest paths beneath a pre-opened
 * directory, and the path_* operations built on it.
 *
 * A guest path is resolved by hand, one component at a time, against a stack of directory
 * descriptors whose bottom is the pre-open:
 *   - an absolute path is refused (ENOTCAPABLE);
 *   - `.` is skipped; `..` pops the stack, and popping the pre-open itself is refused;
 *   - every intermediate directory is opened with openat(O_DIRECTORY | O_NOFOLLOW), so the
 *     kernel never follows a link on our behalf; when the component is a symbolic link we read
 *     it and splice its target into the remaining path ourselves: absolute targets are refused
 *     and `..` in a target is subject to the same stack rule, so a link can lead anywhere inside
 *     the pre-open but never out of it (at most 32 links per lookup, then ELOOP);
 *   - the last component is handed to the *at() call of the operation (with O_NOFOLLOW /
 *     AT_SYMLINK_NOFOLLOW), after being expanded the same way if the guest asked to follow it.
 * The result is (directory descriptor, final name).  A link swapped in between the check and the
 * use fails with ELOOP instead of being followed.  path_open never blocks in open() (a FIFO waits
 * for its other end there): see open_unblocking().
 */
#define _GNU_SOURCE
#include "wasi_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h> /* renameat */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_DEPTH 256
#define MAX_SYMLINKS 32

typedef struct resolved {
    int dirfd;           /* directory to apply the *at() call to */
    bool close_dir;      /* dirfd is ours to close */
    bool trailing_slash; /* the path ended in '/': the target must be a directory */
    char name[NAME_MAX + 1];
} resolved;

static void resolved_close(resolved *r) {
    if (r->close_dir) close(r->dirfd);
    r->close_dir = false;
}

/* Copies a guest path into a fresh NUL-terminated string. */
static uint16_t read_path(bst_memory *mem, uint32_t ptr, uint32_t len, char **out) {
    *out = NULL;
    if (!mem) return WE_FAULT;
    if (len > WASI_MAX_PATH) return WE_NAMETOOLONG;
    char *p = malloc((size_t)len + 1);
    if (!p) return WE_NOMEM;
    if (!bst_memory_read(mem, ptr, p, len)) {
        free(p);
        return WE_FAULT;
    }
    if (memchr(p, '\0', len)) {
        free(p);
        return WE_INVAL;
    }
    p[len] = '\0';
    *out = p;
    return WE_SUCCESS;
}

/* If dir/comp is a symbolic link, replaces *pending with its target followed by `rest` (the
 * unresolved remainder, possibly empty) and returns true.  Returns false with *err = 0 when
 * comp is not a link, or with the error that ends the lookup. */
static bool expand_link(int dir, const char *comp, const char *rest, bool slash, int *links,
                        char **pending, uint16_t *err) {
    char target[PATH_MAX];
    *err = 0;
    ssize_t n = readlinkat(dir, comp, target, sizeof target);
    if (n < 0) return false; /* not a link (EINVAL) or gone: the caller reports its own error */
    if ((size_t)n >= sizeof target) {
        *err = WE_NAMETOOLONG;
        return false;
    }
    if (++*links > MAX_SYMLINKS) {
        *err = WE_LOOP;
        return false;
    }
    if (n == 0) {
        *err = WE_NOENT;
        return false;
    }
    if (target[0] == '/') {
        *err = WE_NOTCAPABLE; /* would leave the pre-open */
        return false;
    }
    size_t rlen = strlen(rest);
    size_t total = (size_t)n + 1 + rlen;
    if (total > WASI_MAX_PATH) {
        *err = WE_NAMETOOLONG;
        return false;
    }
    char *np = malloc(total + 1);
    if (!np) {
        *err = WE_NOMEM;
        return false;
    }
    memcpy(np, target, (size_t)n);
    size_t k = (size_t)n;
    if (rlen || slash) np[k++] = '/';
    memcpy(np + k, rest, rlen);
    np[k + rlen] = '\0';
    free(*pending);
    *pending = np;
    return true;
}

/* Resolves `path` beneath guest directory fd `fd` (see the file comment).  follow: expand a
 * symbolic link in the last component too. */
static uint16_t resolve(bst_wasi *w, uint32_t fd, const char *path, bool follow, resolved *out) {
    memset(out, 0, sizeof *out);
    wasi_fd *base = wasi_get_fd(w, fd);
    if (!base) return WE_BADF;
    if (base->filetype != WFT_DIRECTORY) return WE_NOTDIR;
    if (path[0] == '\0') return WE_NOENT;
    if (path[0] == '/') return WE_NOTCAPABLE;

    int stack[MAX_DEPTH];
    int depth = 0;
    stack[0] = base->host;
    int links = 0;
    uint16_t err = WE_SUCCESS;
    size_t plen = strlen(path);
    char *pending = malloc(plen + 1);
    if (!pending) return WE_NOMEM;
    memcpy(pending, path, plen + 1);
    size_t pos = 0;
    const char *final = ".";
    char comp[NAME_MAX + 1];

    for (;;) {
        while (pending[pos] == '/') pos++;
        if (pending[pos] == '\0')
            break; /* nothing left (e.g. a link to "sub/"): the target is the directory */
        size_t start = pos;
        while (pending[pos] && pending[pos] != '/') pos++;
        size_t clen = pos - start, after = pos;
        while (pending[after] == '/') after++;
        bool last = pending[after] == '\0';
        bool slash = last && after > pos;
        if (clen > NAME_MAX) {
            err = WE_NAMETOOLONG;
            goto fail;
        }
        memcpy(comp, pending + start, clen);
        comp[clen] = '\0';
        pos = after;

        if (strcmp(comp, ".") == 0) {
            if (last) break;
            continue;
        }
        if (strcmp(comp, "..") == 0) {
            if (depth == 0) {
                err = WE_NOTCAPABLE; /* would leave the pre-open */
                goto fail;
            }
            close(stack[depth--]);
            if (last) break;
            continue;
        }
        if (!last) {
            int h = openat(stack[depth], comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (h < 0) {
                int e = errno;
                if (e == ELOOP || e == ENOTDIR || e == EMLINK) {
                    if (expand_link(stack[depth], comp, pending + after, false, &links, &pending,
                                    &err)) {
                        pos = 0;
                        continue;
                    }
                    if (err) goto fail;
                }
                err = wasi_errno(e);
                goto fail;
            }
            if (depth + 1 >= MAX_DEPTH) {
                close(h);
                err = WE_NAMETOOLONG;
                goto fail;
            }
            stack[++depth] = h;
            continue;
        }
        /* the last component */
        if (follow) {
            struct stat st;
            if (fstatat(stack[depth], comp, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
                if (expand_link(stack[depth], comp, "", slash, &links, &pending, &err)) {
                    pos = 0;
                    continue;
                }
                if (err) goto fail;
            }
        }
        final = comp;
        out->trailing_slash = slash;
        break;
    }
    memcpy(out->name, final, strlen(final) + 1);
    out->dirfd = stack[depth];
    out->close_dir = depth > 0;
    for (int i = 1; i < depth; i++) close(stack[i]);
    free(pending);
    return WE_SUCCESS;

fail:
    for (int i = 1; i <= depth; i++) close(stack[i]);
    free(pending);
    return err;
}

/* Reads the guest path and resolves it. */
static uint16_t resolve_guest(bst_wasi *w, bst_memory *mem, uint32_t fd, uint32_t ptr, uint32_t len,
                              bool follow, resolved *out) {
    char *path;
    uint16_t e = read_path(mem, ptr, len, &path);
    if (e) {
        memset(out, 0, sizeof *out);
        return e;
    }
    e = resolve(w, fd, path, follow, out);
    free(path);
    return e;
}

/* openat() that cannot block.  Opening a FIFO (or a terminal line) waits in open() for the
 * other end, where neither an interrupt nor the deadline reaches, so the open is made
 * non-blocking and, unless the guest asked for O_NONBLOCK, the descriptor made blocking again:
 * a FIFO opened for reading then waits in fd_read (through the store) for a writer, as the open
 * would have, and one opened for writing before any reader (ENXIO) is retried every 10 ms,
 * through the store, until a reader comes.  Returns the descriptor, or -1 with errno set, or
 * WASI_OPEN_INTERRUPTED. */
#define WASI_OPEN_INTERRUPTED (-2)
static int open_unblocking(bst_store *s, int dirfd, const char *name, int fl) {
    for (;;) {
        int h = openat(dirfd, name, fl | O_NONBLOCK, 0666);
        if (h >= 0) {
            int now = fcntl(h, F_GETFL);
            if (!(fl & O_NONBLOCK) && now >= 0) fcntl(h, F_SETFL, now & ~O_NONBLOCK);
            return h;
        }
        int e = errno;
        struct stat st;
        if (e != ENXIO || (fl & O_NONBLOCK) ||
            fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISFIFO(st.st_mode)) {
            errno = e;
            return -1;
        }
        if (bst_store_sleep_ns(s, 10000000) == BST_WAIT_INTERRUPTED) return WASI_OPEN_INTERRUPTED;
    }
}

WASI_FN(wasi_path_open) {
    WASI_PROLOGUE();
    uint32_t dirfd = ARG_U32(0), lookup = ARG_U32(1), oflags = ARG_U32(4) & 0xffff;
    uint64_t rights = ARG_U64(5), inheriting = ARG_U64(6);
    uint32_t fdflags = ARG_U32(7) & 0xffff, fd_out = ARG_U32(8);
    if (!mem || !bst_memory_slice(mem, fd_out, 4)) WASI_RETURN(WE_FAULT);
    if ((oflags & ~(uint32_t)0xf) || (fdflags & ~(uint32_t)0x1f)) WASI_RETURN(WE_INVAL);
    resolved r;
    uint16_t e = resolve_guest(w, mem, dirfd, ARG_U32(2), ARG_U32(3),
                               (lookup & WLOOKUP_SYMLINK_FOLLOW) != 0, &r);
    if (e) WASI_RETURN(e);

    int fl = O_CLOEXEC | O_NOFOLLOW;
    bool rd = (rights & (WRIGHT_FD_READ | WRIGHT_FD_READDIR)) != 0;
    bool wr = (rights & (WRIGHT_FD_WRITE | WRIGHT_FD_ALLOCATE | WRIGHT_FD_FILESTAT_SET_SIZE)) != 0;
    if (oflags & WOFLAG_DIRECTORY) {
        fl |= O_DIRECTORY | O_RDONLY;
    } else if (wr) {
        fl |= rd ? O_RDWR : O_WRONLY;
    } else {
        fl |= O_RDONLY;
    }
    if (r.trailing_slash) fl |= O_DIRECTORY;
    if (oflags & WOFLAG_CREAT) fl |= O_CREAT;
    if (oflags & WOFLAG_EXCL) fl |= O_EXCL;
    if (oflags & WOFLAG_TRUNC) fl |= O_TRUNC;
    if (fdflags & WFDFLAG_APPEND) fl |= O_APPEND;
    if (fdflags & WFDFLAG_DSYNC) fl |= O_DSYNC;
    if (fdflags & WFDFLAG_NONBLOCK) fl |= O_NONBLOCK;
    if (fdflags & WFDFLAG_RSYNC) fl |= O_RSYNC;
    if (fdflags & WFDFLAG_SYNC) fl |= O_SYNC;

    int h = open_unblocking(bst_caller_store(caller), r.dirfd, r.name, fl);
    int oe = errno;
    resolved_close(&r);
    if (h == WASI_OPEN_INTERRUPTED) WASI_RETURN_WAITED(WE_INTERRUPTED);
    if (h < 0) WASI_RETURN(wasi_errno(oe));
    uint32_t fd;
    e = wasi_add_fd(w, h, true, &fd);
    if (e) {
        close(h);
        WASI_RETURN(e);
    }
    wasi_fd *f = &w->fds[fd];
    f->rights_base &= rights;
    f->rights_inheriting &= inheriting;
    wasi_put_u32(mem, fd_out, fd);
    WASI_RETURN(WE_SUCCESS);
}

/* ---- the operations on one path ------------------------------------------------------------
 * Each is a call on the resolved path that, like the *at() calls, returns 0 or -1 with errno
 * set; on_path resolves the guest path, makes the call and releases what the resolution
 * opened. */

typedef int (*path_call)(const resolved *r, void *ctx);

/* The WASI errno of resolving the guest path (fd, ptr, len; its last component followed when
 * `follow`) or else of call(&resolved, ctx). */
static uint16_t on_path(bst_wasi *w, bst_memory *mem, uint32_t fd, uint32_t ptr, uint32_t len,
                        bool follow, path_call call, void *ctx) {
    resolved r;
    uint16_t e = resolve_guest(w, mem, fd, ptr, len, follow, &r);
    if (e) return e;
    int rc = call(&r, ctx);
    int se = errno;
    resolved_close(&r);
    return rc == 0 ? WE_SUCCESS : wasi_errno(se);
}

/* path_filestat_get: ctx is the struct stat to fill. */
static int stat_path(const resolved *r, void *ctx) {
    struct stat *st = ctx;
    if (fstatat(r->dirfd, r->name, st, AT_SYMLINK_NOFOLLOW) != 0) return -1;
    if (r->trailing_slash && !S_ISDIR(st->st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    return 0;
}

WASI_FN(wasi_path_filestat_get) {
    WASI_PROLOGUE();
    struct stat st;
    uint16_t e = on_path(w, mem, ARG_U32(0), ARG_U32(2), ARG_U32(3),
                         (ARG_U32(1) & WLOOKUP_SYMLINK_FOLLOW) != 0, stat_path, &st);
    if (e) WASI_RETURN(e);
    WASI_RETURN(wasi_put_filestat(mem, ARG_U32(4), unstable, &st) ? WE_SUCCESS : WE_FAULT);
}

/* path_filestat_set_times: ctx is the timespec pair of utimensat. */
static int set_times(const resolved *r, void *ctx) {
    return utimensat(r->dirfd, r->name, ctx, AT_SYMLINK_NOFOLLOW);
}

WASI_FN(wasi_path_filestat_set_times) {
    WASI_PROLOGUE();
    struct timespec ts[2];
    if (!wasi_times(ARG_U64(4), ARG_U64(5), ARG_U32(6) & 0xffff, ts)) WASI_RETURN(WE_INVAL);
    WASI_RETURN(on_path(w, mem, ARG_U32(0), ARG_U32(2), ARG_U32(3),
                        (ARG_U32(1) & WLOOKUP_SYMLINK_FOLLOW) != 0, set_times, ts));
}

static int create_directory(const resolved *r, void *ctx) {
    (void)ctx;
    return mkdirat(r->dirfd, r->name, 0777);
}

WASI_FN(wasi_path_create_directory) {
    WASI_PROLOGUE();
    WASI_RETURN(on_path(w, mem, ARG_U32(0), ARG_U32(1), ARG_U32(2), false, create_directory, NULL));
}

static int remove_directory(const resolved *r, void *ctx) {
    (void)ctx;
    return unlinkat(r->dirfd, r->name, AT_REMOVEDIR);
}

WASI_FN(wasi_path_remove_directory) {
    WASI_PROLOGUE();
    WASI_RETURN(on_path(w, mem, ARG_U32(0), ARG_U32(1), ARG_U32(2), false, remove_directory, NULL));
}

static int unlink_file(const resolved *r, void *ctx) {
    (void)ctx;
    if (r->trailing_slash) {
        /* "name/" names a directory, which unlink_file never removes. */
        struct stat st;
        if (fstatat(r->dirfd, r->name, &st, AT_SYMLINK_NOFOLLOW) == 0)
            errno = S_ISDIR(st.st_mode) ? EISDIR : ENOTDIR;
        return -1;
    }
    return unlinkat(r->dirfd, r->name, 0);
}

WASI_FN(wasi_path_unlink_file) {
    WASI_PROLOGUE();
    WASI_RETURN(on_path(w, mem, ARG_U32(0), ARG_U32(1), ARG_U32(2), false, unlink_file, NULL));
}

/* path_readlink: the link's target, truncated to the buffer. */
typedef struct link_buf {
    char *out;
    uint32_t cap, used;
} link_buf;

static int read_link(const resolved *r, void *ctx) {
    link_buf *b = ctx;
    char target[PATH_MAX];
    ssize_t n = readlinkat(r->dirfd, r->name, target, sizeof target);
    if (n < 0) return -1;
    b->used = (size_t)n < b->cap ? (uint32_t)n : b->cap;
    memcpy(b->out, target, b->used);
    return 0;
}

WASI_FN(wasi_path_readlink) {
    WASI_PROLOGUE();
    uint32_t buf = ARG_U32(3), buf_len = ARG_U32(4), used_ptr = ARG_U32(5);
    uint8_t *out = mem ? bst_memory_slice(mem, buf, buf_len) : NULL;
    if (!out || !bst_memory_slice(mem, used_ptr, 4)) WASI_RETURN(WE_FAULT);
    link_buf b = {(char *)out, buf_len, 0};
    uint16_t e = on_path(w, mem, ARG_U32(0), ARG_U32(1), ARG_U32(2), false, read_link, &b);
    if (e) WASI_RETURN(e);
    wasi_put_u32(mem, used_ptr, b.used);
    WASI_RETURN(WE_SUCCESS);
}

/* path_symlink: ctx is the link's target. */
static int make_symlink(const resolved *r, void *ctx) { return symlinkat(ctx, r->dirfd, r->name); }

WASI_FN(wasi_path_symlink) {
    WASI_PROLOGUE();
    char *target;
    uint16_t e = read_path(mem, ARG_U32(0), ARG_U32(1), &target);
    if (e) WASI_RETURN(e);
    if (target[0] == '/' || target[0] == '\0')
        /* An absolute link could only ever be refused on lookup; do not create it. */
        e = target[0] ? WE_NOTCAPABLE : WE_NOENT;
    else
        e = on_path(w, mem, ARG_U32(2), ARG_U32(3), ARG_U32(4), false, make_symlink, target);
    free(target);
    WASI_RETURN(e);
}

/* ---- the operations on two paths ---------------------------------------------------------- */

/* path_rename and path_link: renameat or linkat between two resolved paths, the first
 * (from_fd, from_ptr, from_len) followed when follow. */
static uint16_t rename_or_link(bst_wasi *w, bst_memory *mem, uint32_t from_fd, uint32_t from_ptr,
                               uint32_t from_len, bool follow, uint32_t to_fd, uint32_t to_ptr,
                               uint32_t to_len, bool link) {
    resolved a, b;
    uint16_t e = resolve_guest(w, mem, from_fd, from_ptr, from_len, follow, &a);
    if (e) return e;
    e = resolve_guest(w, mem, to_fd, to_ptr, to_len, false, &b);
    if (e) {
        resolved_close(&a);
        return e;
    }
    int rc = link ? linkat(a.dirfd, a.name, b.dirfd, b.name, 0)
                  : renameat(a.dirfd, a.name, b.dirfd, b.name);
    int se = errno;
    resolved_close(&a);
    resolved_close(&b);
    return rc == 0 ? WE_SUCCESS : wasi_errno(se);
}

WASI_FN(wasi_path_rename) {
    WASI_PROLOGUE();
    WASI_RETURN(rename_or_link(w, mem, ARG_U32(0), ARG_U32(1), ARG_U32(2), false, ARG_U32(3),
                               ARG_U32(4), ARG_U32(5), false));
}

WASI_FN(wasi_path_link) {
    WASI_PROLOGUE();
    WASI_RETURN(rename_or_link(w, mem, ARG_U32(0), ARG_U32(2), ARG_U32(3),
                               (ARG_U32(1) & WLOOKUP_SYMLINK_FOLLOW) != 0, ARG_U32(4), ARG_U32(5),
                               ARG_U32(6), true));
}
