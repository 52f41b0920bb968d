/*
 * wasi_impl.h — internals shared by the files of the WASI layer (src/wasi/): the context and
 * descriptor table, WASI constants and layouts, guest-memory helpers and the host-function
 * declarations (generated from wasi_table.h).  Not part of the API; embedders use
 * include/bastion_wasi.h.  Every function declared here is hidden (WASI_FUNC) and prefixed
 * wasi_: the library exports only bastion_wasi.h.
 */
#ifndef BASTION_WASI_IMPL_H
#define BASTION_WASI_IMPL_H

#include "bastion_wasi.h"
#include "wasi_table.h"

#include <dirent.h>
#include <stdint.h>

/* ---- WASI constants (identical in preview1 and wasi_unstable unless noted) --------------- */

enum {
    WE_SUCCESS = 0,
    WE_2BIG = 1,
    WE_ACCES = 2,
    WE_ADDRINUSE = 3,
    WE_ADDRNOTAVAIL = 4,
    WE_AFNOSUPPORT = 5,
    WE_AGAIN = 6,
    WE_ALREADY = 7,
    WE_BADF = 8,
    WE_BADMSG = 9,
    WE_BUSY = 10,
    WE_CANCELED = 11,
    WE_CHILD = 12,
    WE_CONNABORTED = 13,
    WE_CONNREFUSED = 14,
    WE_CONNRESET = 15,
    WE_DEADLK = 16,
    WE_DESTADDRREQ = 17,
    WE_DOM = 18,
    WE_DQUOT = 19,
    WE_EXIST = 20,
    WE_FAULT = 21,
    WE_FBIG = 22,
    WE_HOSTUNREACH = 23,
    WE_IDRM = 24,
    WE_ILSEQ = 25,
    WE_INPROGRESS = 26,
    WE_INTR = 27,
    WE_INVAL = 28,
    WE_IO = 29,
    WE_ISCONN = 30,
    WE_ISDIR = 31,
    WE_LOOP = 32,
    WE_MFILE = 33,
    WE_MLINK = 34,
    WE_MSGSIZE = 35,
    WE_MULTIHOP = 36,
    WE_NAMETOOLONG = 37,
    WE_NETDOWN = 38,
    WE_NETRESET = 39,
    WE_NETUNREACH = 40,
    WE_NFILE = 41,
    WE_NOBUFS = 42,
    WE_NODEV = 43,
    WE_NOENT = 44,
    WE_NOEXEC = 45,
    WE_NOLCK = 46,
    WE_NOLINK = 47,
    WE_NOMEM = 48,
    WE_NOMSG = 49,
    WE_NOPROTOOPT = 50,
    WE_NOSPC = 51,
    WE_NOSYS = 52,
    WE_NOTCONN = 53,
    WE_NOTDIR = 54,
    WE_NOTEMPTY = 55,
    WE_NOTRECOVERABLE = 56,
    WE_NOTSOCK = 57,
    WE_NOTSUP = 58,
    WE_NOTTY = 59,
    WE_NXIO = 60,
    WE_OVERFLOW = 61,
    WE_OWNERDEAD = 62,
    WE_PERM = 63,
    WE_PIPE = 64,
    WE_PROTO = 65,
    WE_PROTONOSUPPORT = 66,
    WE_PROTOTYPE = 67,
    WE_RANGE = 68,
    WE_ROFS = 69,
    WE_SPIPE = 70,
    WE_SRCH = 71,
    WE_STALE = 72,
    WE_TIMEDOUT = 73,
    WE_TXTBSY = 74,
    WE_XDEV = 75,
    WE_NOTCAPABLE = 76,
};

enum {
    WFT_UNKNOWN = 0,
    WFT_BLOCK_DEVICE = 1,
    WFT_CHARACTER_DEVICE = 2,
    WFT_DIRECTORY = 3,
    WFT_REGULAR_FILE = 4,
    WFT_SOCKET_DGRAM = 5,
    WFT_SOCKET_STREAM = 6,
    WFT_SYMBOLIC_LINK = 7,
};

enum {
    WFDFLAG_APPEND = 1,
    WFDFLAG_DSYNC = 2,
    WFDFLAG_NONBLOCK = 4,
    WFDFLAG_RSYNC = 8,
    WFDFLAG_SYNC = 16
};
enum { WOFLAG_CREAT = 1, WOFLAG_DIRECTORY = 2, WOFLAG_EXCL = 4, WOFLAG_TRUNC = 8 };
enum { WLOOKUP_SYMLINK_FOLLOW = 1 };
enum { WFST_ATIM = 1, WFST_ATIM_NOW = 2, WFST_MTIM = 4, WFST_MTIM_NOW = 8 };

#define WRIGHT_FD_DATASYNC (UINT64_C(1) << 0)
#define WRIGHT_FD_READ (UINT64_C(1) << 1)
#define WRIGHT_FD_SEEK (UINT64_C(1) << 2)
#define WRIGHT_FD_SYNC (UINT64_C(1) << 4)
#define WRIGHT_FD_TELL (UINT64_C(1) << 5)
#define WRIGHT_FD_WRITE (UINT64_C(1) << 6)
#define WRIGHT_FD_ALLOCATE (UINT64_C(1) << 8)
#define WRIGHT_FD_READDIR (UINT64_C(1) << 14)
#define WRIGHT_FD_FILESTAT_SET_SIZE (UINT64_C(1) << 22)
#define WRIGHT_ALL ((UINT64_C(1) << 30) - 1)

/* ---- the context ------------------------------------------------------------------------- */

typedef struct wasi_fd {
    int host;            /* host descriptor; -1 = free slot */
    bool owned;          /* close the host descriptor when the guest closes this one */
    uint8_t filetype;    /* WFT_* */
    uint16_t fake_flags; /* fdflags recorded for descriptors we do not own (never applied) */
    uint64_t rights_base, rights_inheriting;
    char *preopen; /* guest name of a pre-opened directory, else NULL */
    size_t preopen_len;
    DIR *dir;         /* fd_readdir cursor (a separate open of the directory) */
    uint64_t dir_pos; /* index of the next entry dir will return */
} wasi_fd;

/* The arguments or the environment: n strings, bytes the sum of their strlen + 1. */
typedef struct wasi_strings {
    char **v;
    uint32_t n, bytes;
} wasi_strings;

/* One per import namespace flavour; the host functions' env points at one of these. */
typedef struct wasi_view {
    struct bst_wasi *w;
    bool unstable; /* wasi_unstable layouts */
} wasi_view;

struct bst_wasi {
    wasi_view views[2]; /* [0] preview1, [1] unstable */
    wasi_strings args, env;
    wasi_fd *fds;
    uint32_t nfds, max_fds;
    bool exited;
    uint32_t exit_code;
};

#define WASI_MAX_PATH 65536u /* longest guest path accepted */

/* ---- helpers ----------------------------------------------------------------------------- */

/* Functions shared by the layer's files but not part of the API: hidden, so that they never
 * leave the library (bst_ is the public API's prefix, wasi_ this layer's). */
#define WASI_FUNC __attribute__((visibility("hidden")))

WASI_FUNC uint16_t wasi_errno(int host_errno);
/* The descriptor entry for a guest fd, or NULL if not open. */
WASI_FUNC wasi_fd *wasi_get_fd(bst_wasi *w, uint32_t fd);
/* Installs host descriptor h at the lowest free guest fd; returns WE_SUCCESS or WE_MFILE/NOMEM
 * (then h is left open for the caller to close). */
WASI_FUNC uint16_t wasi_add_fd(bst_wasi *w, int h, bool owned, uint32_t *fd_out);
/* Closes and frees a slot's resources. */
WASI_FUNC void wasi_fd_release(wasi_fd *f);
WASI_FUNC uint8_t wasi_filetype_of_mode(unsigned mode);

WASI_FUNC bool wasi_put_u8(bst_memory *m, uint32_t ptr, uint8_t v);
WASI_FUNC bool wasi_put_u16(bst_memory *m, uint32_t ptr, uint16_t v);
WASI_FUNC bool wasi_put_u32(bst_memory *m, uint32_t ptr, uint32_t v);
WASI_FUNC bool wasi_put_u64(bst_memory *m, uint32_t ptr, uint64_t v);
WASI_FUNC bool wasi_get_u32(const bst_memory *m, uint32_t ptr, uint32_t *v);
WASI_FUNC void wasi_store_u16(uint8_t *p, uint16_t v);
WASI_FUNC void wasi_store_u32(uint8_t *p, uint32_t v);
WASI_FUNC void wasi_store_u64(uint8_t *p, uint64_t v);
WASI_FUNC uint16_t wasi_load_u16(const uint8_t *p);
WASI_FUNC uint32_t wasi_load_u32(const uint8_t *p);
WASI_FUNC uint64_t wasi_load_u64(const uint8_t *p);

/* Argument decoding for host functions. */
#define ARG_U32(i) ((uint32_t)args[i].of.i32)
#define ARG_U64(i) ((uint64_t)args[i].of.i64)

/* Common prologue: the context, the flavour and the caller's memory (EFAULT without one). */
#define WASI_PROLOGUE()                                                                            \
    wasi_view *view_ = env;                                                                        \
    bst_wasi *w = view_->w;                                                                        \
    bool unstable = view_->unstable;                                                               \
    bst_memory *mem = bst_caller_memory(caller);                                                   \
    (void)w;                                                                                       \
    (void)unstable;                                                                                \
    (void)mem

/* The prologue of the fd_* functions: also f, the descriptor of the first argument (EBADF when
 * it is not open). */
#define WASI_FD_PROLOGUE(f)                                                                        \
    WASI_PROLOGUE();                                                                               \
    wasi_fd *f = wasi_get_fd(w, ARG_U32(0));                                                       \
    if (!f) WASI_RETURN(WE_BADF)

#define WASI_RETURN(e)                                                                             \
    do {                                                                                           \
        results[0].type = BST_I32;                                                                 \
        results[0].of.i32 = (int32_t)(e);                                                          \
        return true;                                                                               \
    } while (0)

/* Not a WASI errno: a wait (for a descriptor or a clock) ended because the store was interrupted
 * or reached its deadline.  WASI_RETURN_WAITED turns it into a host trap, which the engine
 * reports as BST_TRAP_INTERRUPTED; any other value is returned as the errno. */
#define WE_INTERRUPTED 0xffffu
#define WASI_RETURN_WAITED(e)                                                                      \
    do {                                                                                           \
        uint16_t e_ = (e);                                                                         \
        if (e_ == WE_INTERRUPTED) {                                                                \
            bst_caller_trap(caller, "interrupted");                                                \
            return false;                                                                          \
        }                                                                                          \
        WASI_RETURN(e_);                                                                           \
    } while (0)

#define WASI_FN(name)                                                                              \
    bool name(bst_caller *caller, const bst_value *args, bst_value *results, void *env)

/* The host functions: wasi_NAME for each row of WASI_HOST_FUNCTIONS of kind FN, defined in
 * wasi_misc.c (args, environ, clocks, random, poll, proc), wasi_fd.c and wasi_path.c; and
 * wasi_nosys (wasi_misc.c), the ENOSYS answer of the rows of kind NOSYS. */
#define WASI_DECLARE_FN(name) WASI_FUNC WASI_FN(wasi_##name);
#define WASI_DECLARE_NOSYS(name)
#define WASI_DECLARE(name, sig, kind) WASI_DECLARE_##kind(name)
WASI_HOST_FUNCTIONS(WASI_DECLARE)
#undef WASI_DECLARE
#undef WASI_DECLARE_NOSYS
#undef WASI_DECLARE_FN
WASI_FUNC WASI_FN(wasi_nosys);

/* wasi_fd.c: writes a filestat in the flavour's layout (64 bytes preview1, 56 unstable). */
WASI_FUNC bool wasi_put_filestat(bst_memory *m, uint32_t ptr, bool unstable, const void *host_stat);
/* wasi_fd.c: timespec pair for futimens/utimensat from WASI times and fst_flags; false on bad
 * flags. */
WASI_FUNC bool wasi_times(uint64_t atim, uint64_t mtim, uint32_t fst_flags, void *ts2);

#endif /* BASTION_WASI_IMPL_H */
