/*
 * wasi_fd.c — WASI operations on open descriptors: fd_read/write (scatter/gather straight to
 * and from bounds-checked slices of guest memory; on descriptors that can block, waiting
 * through the store so that its interrupt and deadline end the wait), pread/pwrite, seek/tell
 * (with wasi_unstable's whence numbering), close/renumber, fdstat and filestat (both layouts),
 * prestat of pre-opened directories, fd_readdir, sync, advise, allocate.
 */
#define _GNU_SOURCE
#include "wasi_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#define MAX_IOV 1024
#define MAX_IO 0x7ffff000u /* the most one Linux read/write transfers */

/* Turns a guest iovec array into host iovecs over guest memory.  Every buffer is bounds-checked
 * in full; the transfer is capped at MAX_IOV buffers and MAX_IO bytes (a short read/write). */
static uint16_t gather(bst_memory *mem, uint32_t iovs, uint32_t n, struct iovec *out, int *cnt) {
    static const size_t raw_size = 8 * MAX_IOV;
    uint8_t raw[8 * MAX_IOV];
    *cnt = 0;
    if (!mem) return WE_FAULT;
    if (n > MAX_IOV) n = MAX_IOV;
    if (n && (n * 8u > raw_size || !bst_memory_read(mem, iovs, raw, n * 8u))) return WE_FAULT;
    uint64_t total = 0;
    for (uint32_t i = 0; i < n && total < MAX_IO; i++) {
        uint32_t base = wasi_load_u32(raw + 8 * i), len = wasi_load_u32(raw + 8 * i + 4);
        if (len == 0) continue;
        uint8_t *p = bst_memory_slice(mem, base, len);
        if (!p) return WE_FAULT;
        if (total + len > MAX_IO) len = (uint32_t)(MAX_IO - total);
        out[*cnt].iov_base = p;
        out[*cnt].iov_len = len;
        (*cnt)++;
        total += len;
    }
    return WE_SUCCESS;
}

/* Whether reading (or writing) f can block indefinitely: on pipes, FIFOs, sockets, terminals and
 * other character devices it can, unless the host descriptor is non-blocking (then the guest
 * gets EAGAIN, as before) or not open for that direction (then EBADF at once — and poll() would
 * never report the write end of a pipe readable).  Regular files, directories and block devices
 * complete on their own. */
static bool may_block(const wasi_fd *f, bool write) {
    if (f->filetype == WFT_REGULAR_FILE || f->filetype == WFT_DIRECTORY ||
        f->filetype == WFT_BLOCK_DEVICE)
        return false;
    int fl = fcntl(f->host, F_GETFL);
    if (fl < 0 || (fl & O_NONBLOCK)) return false;
    int mode = fl & O_ACCMODE;
    return mode == O_RDWR || mode == (write ? O_WRONLY : O_RDONLY);
}

/* Waits until f is ready for `events`; WE_INTERRUPTED when the store's interrupt or deadline
 * comes first.  An error condition counts as ready: the I/O call then reports it. */
static uint16_t wait_ready(bst_store *s, const wasi_fd *f, short events) {
    struct pollfd p = {f->host, events, 0};
    switch (bst_store_poll(s, &p, 1, -1)) {
    case BST_WAIT_READY: return WE_SUCCESS;
    case BST_WAIT_INTERRUPTED: return WE_INTERRUPTED;
    default: return wasi_errno(errno);
    }
}

/* A write to a descriptor that can block, PIPE_BUF bytes at a time, each after poll() reported
 * room.  A pipe with room takes PIPE_BUF bytes without blocking, so a reader that stops reading
 * cannot hold the call past an interrupt, while the guest still sees what a blocking write gives:
 * everything written, or the count written before an error. */
static uint16_t write_pieces(bst_store *s, const wasi_fd *f, const struct iovec *iov, int cnt,
                             uint64_t *written) {
    enum { MAX_PIECE_IOV = 64 };
    size_t off = 0; /* into iov[0] */
    *written = 0;
    while (cnt > 0) {
        uint16_t e = wait_ready(s, f, POLLOUT);
        if (e == WE_INTERRUPTED || (e && !*written)) return e;
        if (e) return WE_SUCCESS;
        struct iovec piece[MAX_PIECE_IOV];
        int n = 0;
        size_t bytes = 0;
        for (int i = 0; i < cnt && n < MAX_PIECE_IOV && bytes < PIPE_BUF; i++, n++) {
            size_t skip = i == 0 ? off : 0, len = iov[i].iov_len - skip;
            if (len > PIPE_BUF - bytes) len = PIPE_BUF - bytes;
            piece[n].iov_base = (uint8_t *)iov[i].iov_base + skip;
            piece[n].iov_len = len;
            bytes += len;
        }
        ssize_t r = writev(f->host, piece, n);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return *written ? WE_SUCCESS : wasi_errno(errno);
        *written += (uint64_t)r;
        for (size_t left = (size_t)r; left > 0 && cnt > 0;) { /* gather() left no empty iov */
            size_t room = iov[0].iov_len - off, take = room < left ? room : left;
            off += take;
            left -= take;
            if (off == iov[0].iov_len) {
                iov++;
                cnt--;
                off = 0;
            }
        }
    }
    return WE_SUCCESS;
}

/* fd_read, fd_write, fd_pread, fd_pwrite: (fd, iovs, iovs_len, [offset,] nbytes_ptr).  Reads and
 * writes on descriptors that can block wait through the store (bst_store_poll), so an interrupt
 * or the deadline ends them; positioned I/O needs no wait, as the descriptors that block (pipes,
 * sockets, terminals) are not seekable and fail it at once with ESPIPE. */
static uint16_t vector_io(bst_store *s, bst_wasi *w, bst_memory *mem, const bst_value *args,
                          bool write, bool positioned) {
    wasi_fd *f = wasi_get_fd(w, ARG_U32(0));
    if (!f) return WE_BADF;
    uint32_t nbytes_ptr = positioned ? ARG_U32(4) : ARG_U32(3);
    if (positioned && ARG_U64(3) > (uint64_t)INT64_MAX) return WE_INVAL;
    struct iovec iov[MAX_IOV];
    int cnt;
    uint16_t e = gather(mem, ARG_U32(1), ARG_U32(2), iov, &cnt);
    if (e) return e;
    if (!bst_memory_slice(mem, nbytes_ptr, 4)) return WE_FAULT;
    bool waits = cnt && !positioned && may_block(f, write);
    if (waits && write) {
        uint64_t n;
        e = write_pieces(s, f, iov, cnt, &n);
        if (!e) wasi_put_u32(mem, nbytes_ptr, (uint32_t)n);
        return e;
    }
    if (waits && (e = wait_ready(s, f, POLLIN)) != WE_SUCCESS) return e;
    off_t at = positioned ? (off_t)ARG_U64(3) : 0;
    ssize_t r;
    do {
        if (!cnt)
            r = 0;
        else if (positioned)
            r = write ? pwritev(f->host, iov, cnt, at) : preadv(f->host, iov, cnt, at);
        else
            r = write ? writev(f->host, iov, cnt) : readv(f->host, iov, cnt);
    } while (r < 0 && errno == EINTR);
    if (r < 0) return wasi_errno(errno);
    wasi_put_u32(mem, nbytes_ptr, (uint32_t)r);
    return WE_SUCCESS;
}

/* The four functions vector_io serves: (NAME, write, positioned). */
#define WASI_VECTOR_IO(name, write, positioned)                                                    \
    WASI_FN(wasi_##name) {                                                                         \
        WASI_PROLOGUE();                                                                           \
        WASI_RETURN_WAITED(vector_io(bst_caller_store(caller), w, mem, args, write, positioned));  \
    }
WASI_VECTOR_IO(fd_read, false, false)
WASI_VECTOR_IO(fd_write, true, false)
WASI_VECTOR_IO(fd_pread, false, true)
WASI_VECTOR_IO(fd_pwrite, true, true)
#undef WASI_VECTOR_IO

/* fd_seek and fd_tell: lseek, then the new offset written to the guest at ptr (checked first:
 * a bad pointer moves nothing). */
static uint16_t seek_to(bst_memory *mem, const wasi_fd *f, off_t off, int how, uint32_t ptr) {
    if (!bst_memory_slice(mem, ptr, 8)) return WE_FAULT;
    off_t r = lseek(f->host, off, how);
    if (r < 0) return wasi_errno(errno);
    wasi_put_u64(mem, ptr, (uint64_t)r);
    return WE_SUCCESS;
}

WASI_FN(wasi_fd_seek) {
    WASI_FD_PROLOGUE(f);
    int64_t off = (int64_t)ARG_U64(1);
    uint32_t whence = ARG_U32(2) & 0xff;
    int how;
    /* preview1: SET 0, CUR 1, END 2; wasi_unstable: CUR 0, END 1, SET 2. */
    static const int p1[3] = {SEEK_SET, SEEK_CUR, SEEK_END};
    static const int p0[3] = {SEEK_CUR, SEEK_END, SEEK_SET};
    if (whence > 2) WASI_RETURN(WE_INVAL);
    how = unstable ? p0[whence] : p1[whence];
    if (f->filetype == WFT_DIRECTORY) WASI_RETURN(WE_BADF);
    WASI_RETURN(seek_to(mem, f, (off_t)off, how, ARG_U32(3)));
}

WASI_FN(wasi_fd_tell) {
    WASI_FD_PROLOGUE(f);
    WASI_RETURN(seek_to(mem, f, 0, SEEK_CUR, ARG_U32(1)));
}

WASI_FN(wasi_fd_close) {
    WASI_FD_PROLOGUE(f);
    wasi_fd_release(f);
    WASI_RETURN(WE_SUCCESS);
}

WASI_FN(wasi_fd_renumber) {
    WASI_PROLOGUE();
    wasi_fd *from = wasi_get_fd(w, ARG_U32(0));
    wasi_fd *to = wasi_get_fd(w, ARG_U32(1));
    if (!from || !to) WASI_RETURN(WE_BADF);
    if (from != to) {
        wasi_fd_release(to);
        *to = *from;
        memset(from, 0, sizeof *from);
        from->host = -1;
    }
    WASI_RETURN(WE_SUCCESS);
}

static uint16_t host_fdflags(const wasi_fd *f) {
    int fl = fcntl(f->host, F_GETFL);
    uint16_t r = f->fake_flags;
    if (fl < 0) return r;
    if (fl & O_APPEND) r |= WFDFLAG_APPEND;
    if (fl & O_NONBLOCK) r |= WFDFLAG_NONBLOCK;
#if defined(O_DSYNC) && O_DSYNC != O_SYNC
    if (fl & O_DSYNC) r |= WFDFLAG_DSYNC;
#endif
    if ((fl & O_SYNC) == O_SYNC) r |= WFDFLAG_SYNC;
    return r;
}

WASI_FN(wasi_fd_fdstat_get) {
    WASI_FD_PROLOGUE(f);
    uint8_t b[24];
    memset(b, 0, sizeof b);
    b[0] = f->filetype;
    wasi_store_u16(b + 2, host_fdflags(f));
    wasi_store_u64(b + 8, f->rights_base);
    wasi_store_u64(b + 16, f->rights_inheriting);
    WASI_RETURN(mem && bst_memory_write(mem, ARG_U32(1), b, sizeof b) ? WE_SUCCESS : WE_FAULT);
}

WASI_FN(wasi_fd_fdstat_set_flags) {
    WASI_FD_PROLOGUE(f);
    uint32_t flags = ARG_U32(1) & 0xffff;
    if (flags & ~(uint32_t)0x1f) WASI_RETURN(WE_INVAL);
    if (!f->owned) {
        /* The descriptor is shared with the embedder (stdio): never change its host state. */
        f->fake_flags = (uint16_t)(flags & (WFDFLAG_APPEND | WFDFLAG_NONBLOCK));
        WASI_RETURN(WE_SUCCESS);
    }
    int fl = fcntl(f->host, F_GETFL);
    if (fl < 0) WASI_RETURN(wasi_errno(errno));
    fl &= ~(O_APPEND | O_NONBLOCK);
    if (flags & WFDFLAG_APPEND) fl |= O_APPEND;
    if (flags & WFDFLAG_NONBLOCK) fl |= O_NONBLOCK;
    if (fcntl(f->host, F_SETFL, fl) < 0) WASI_RETURN(wasi_errno(errno));
    WASI_RETURN(WE_SUCCESS);
}

WASI_FN(wasi_fd_fdstat_set_rights) {
    WASI_FD_PROLOGUE(f);
    uint64_t base = ARG_U64(1), inh = ARG_U64(2);
    /* Rights can only be dropped. */
    if ((base & ~f->rights_base) || (inh & ~f->rights_inheriting)) WASI_RETURN(WE_NOTCAPABLE);
    f->rights_base = base;
    f->rights_inheriting = inh;
    WASI_RETURN(WE_SUCCESS);
}

static uint64_t stat_time(const struct timespec *ts) {
    if (ts->tv_sec < 0) return 0;
    return (uint64_t)ts->tv_sec * 1000000000u + (uint64_t)ts->tv_nsec;
}

bool wasi_put_filestat(bst_memory *m, uint32_t ptr, bool unstable, const void *host_stat) {
    const struct stat *st = host_stat;
    uint8_t b[64];
    memset(b, 0, sizeof b);
    wasi_store_u64(b, (uint64_t)st->st_dev);
    wasi_store_u64(b + 8, (uint64_t)st->st_ino);
    b[16] = wasi_filetype_of_mode(st->st_mode);
    uint32_t base;
    if (unstable) { /* nlink is a u32 at 20, the rest follows from 24 */
        wasi_store_u32(b + 20, (uint32_t)st->st_nlink);
        base = 24;
    } else {
        wasi_store_u64(b + 24, (uint64_t)st->st_nlink);
        base = 32;
    }
    wasi_store_u64(b + base, st->st_size > 0 ? (uint64_t)st->st_size : 0);
    wasi_store_u64(b + base + 8, stat_time(&st->st_atim));
    wasi_store_u64(b + base + 16, stat_time(&st->st_mtim));
    wasi_store_u64(b + base + 24, stat_time(&st->st_ctim));
    return m && bst_memory_write(m, ptr, b, base + 32);
}

WASI_FN(wasi_fd_filestat_get) {
    WASI_FD_PROLOGUE(f);
    struct stat st;
    if (fstat(f->host, &st) != 0) WASI_RETURN(wasi_errno(errno));
    WASI_RETURN(wasi_put_filestat(mem, ARG_U32(1), unstable, &st) ? WE_SUCCESS : WE_FAULT);
}

WASI_FN(wasi_fd_filestat_set_size) {
    WASI_FD_PROLOGUE(f);
    if (ARG_U64(1) > (uint64_t)INT64_MAX) WASI_RETURN(WE_INVAL);
    if (ftruncate(f->host, (off_t)ARG_U64(1)) != 0) WASI_RETURN(wasi_errno(errno));
    WASI_RETURN(WE_SUCCESS);
}

bool wasi_times(uint64_t atim, uint64_t mtim, uint32_t fst, void *ts2) {
    struct timespec *ts = ts2;
    if (((fst & WFST_ATIM) && (fst & WFST_ATIM_NOW)) ||
        ((fst & WFST_MTIM) && (fst & WFST_MTIM_NOW)) || (fst & ~(uint32_t)0xf))
        return false;
    const uint64_t t[2] = {atim, mtim};
    const uint32_t set[2] = {WFST_ATIM, WFST_MTIM}, now[2] = {WFST_ATIM_NOW, WFST_MTIM_NOW};
    for (int i = 0; i < 2; i++) {
        if (fst & set[i]) {
            ts[i].tv_sec = (time_t)(t[i] / 1000000000u);
            ts[i].tv_nsec = (long)(t[i] % 1000000000u);
        } else {
            ts[i].tv_sec = 0;
            ts[i].tv_nsec = (fst & now[i]) ? UTIME_NOW : UTIME_OMIT;
        }
    }
    return true;
}

WASI_FN(wasi_fd_filestat_set_times) {
    WASI_FD_PROLOGUE(f);
    struct timespec ts[2];
    if (!wasi_times(ARG_U64(1), ARG_U64(2), ARG_U32(3) & 0xffff, ts)) WASI_RETURN(WE_INVAL);
    if (futimens(f->host, ts) != 0) WASI_RETURN(wasi_errno(errno));
    WASI_RETURN(WE_SUCCESS);
}

WASI_FN(wasi_fd_prestat_get) {
    WASI_FD_PROLOGUE(f);
    if (!f->preopen) WASI_RETURN(WE_BADF);
    uint8_t b[8];
    memset(b, 0, sizeof b); /* tag 0: directory */
    wasi_store_u32(b + 4, (uint32_t)f->preopen_len);
    WASI_RETURN(mem && bst_memory_write(mem, ARG_U32(1), b, sizeof b) ? WE_SUCCESS : WE_FAULT);
}

WASI_FN(wasi_fd_prestat_dir_name) {
    WASI_FD_PROLOGUE(f);
    if (!f->preopen) WASI_RETURN(WE_BADF);
    if (ARG_U32(2) < f->preopen_len) WASI_RETURN(WE_NAMETOOLONG);
    WASI_RETURN(mem && bst_memory_write(mem, ARG_U32(1), f->preopen, (uint32_t)f->preopen_len)
                    ? WE_SUCCESS
                    : WE_FAULT);
}

static uint8_t dirent_type(unsigned char t) {
    switch (t) {
    case DT_REG: return WFT_REGULAR_FILE;
    case DT_DIR: return WFT_DIRECTORY;
    case DT_LNK: return WFT_SYMBOLIC_LINK;
    case DT_CHR: return WFT_CHARACTER_DEVICE;
    case DT_BLK: return WFT_BLOCK_DEVICE;
    case DT_SOCK: return WFT_SOCKET_STREAM;
    default: return WFT_UNKNOWN;
    }
}

/* The next entry of f's directory stream (*de NULL at its end), counted in dir_pos; returns 0
 * or the errno of a failed read. */
static int next_entry(wasi_fd *f, struct dirent **de) {
    errno = 0;
    *de = readdir(f->dir);
    if (!*de) return errno;
    f->dir_pos++;
    return 0;
}

/* Entries are numbered 0, 1, ...; an entry's d_next (the cookie to continue after it) is its
 * number + 1.  The DIR stream is kept between calls and rewound when a cookie goes back. */
WASI_FN(wasi_fd_readdir) {
    WASI_FD_PROLOGUE(f);
    uint32_t buf = ARG_U32(1), len = ARG_U32(2), used_ptr = ARG_U32(4);
    uint64_t cookie = ARG_U64(3);
    if (f->filetype != WFT_DIRECTORY) WASI_RETURN(WE_NOTDIR);
    uint8_t *out = mem ? bst_memory_slice(mem, buf, len) : NULL;
    if (!out || !bst_memory_slice(mem, used_ptr, 4)) WASI_RETURN(WE_FAULT);
    if (!f->dir) {
        int h = openat(f->host, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (h < 0) WASI_RETURN(wasi_errno(errno));
        f->dir = fdopendir(h);
        if (!f->dir) {
            int e = errno;
            close(h);
            WASI_RETURN(wasi_errno(e));
        }
        f->dir_pos = 0;
    }
    if (cookie < f->dir_pos) {
        rewinddir(f->dir);
        f->dir_pos = 0;
    }
    struct dirent *de;
    int e;
    while (f->dir_pos < cookie) {
        if ((e = next_entry(f, &de)) != 0) WASI_RETURN(wasi_errno(e));
        if (!de) break; /* past the end: nothing more */
    }
    uint32_t used = 0;
    while (used < len) {
        if ((e = next_entry(f, &de)) != 0) WASI_RETURN(wasi_errno(e));
        if (!de) break;
        size_t namelen = strlen(de->d_name);
        uint8_t hdr[24];
        memset(hdr, 0, sizeof hdr);
        wasi_store_u64(hdr, f->dir_pos);
        wasi_store_u64(hdr + 8, (uint64_t)de->d_ino);
        wasi_store_u32(hdr + 16, (uint32_t)namelen);
        hdr[20] = dirent_type(de->d_type);
        uint32_t room = len - used;
        uint32_t n = room < sizeof hdr ? room : (uint32_t)sizeof hdr;
        memcpy(out + used, hdr, n);
        used += n;
        room = len - used;
        n = room < namelen ? room : (uint32_t)namelen;
        memcpy(out + used, de->d_name, n);
        used += n;
    }
    wasi_put_u32(mem, used_ptr, used);
    WASI_RETURN(WE_SUCCESS);
}

WASI_FN(wasi_fd_sync) {
    WASI_FD_PROLOGUE(f);
    WASI_RETURN(fsync(f->host) == 0 ? WE_SUCCESS : wasi_errno(errno));
}

WASI_FN(wasi_fd_datasync) {
    WASI_FD_PROLOGUE(f);
    WASI_RETURN(fdatasync(f->host) == 0 ? WE_SUCCESS : wasi_errno(errno));
}

WASI_FN(wasi_fd_advise) {
    WASI_FD_PROLOGUE(f);
    if (ARG_U32(3) > 5) WASI_RETURN(WE_INVAL);
    WASI_RETURN(WE_SUCCESS); /* advice only: accepted and ignored */
}

WASI_FN(wasi_fd_allocate) {
    WASI_FD_PROLOGUE(f);
    uint64_t off = ARG_U64(1), len = ARG_U64(2);
    if (off > (uint64_t)INT64_MAX || len > (uint64_t)INT64_MAX - off) WASI_RETURN(WE_INVAL);
    int e = posix_fallocate(f->host, (off_t)off, (off_t)len);
    WASI_RETURN(e ? wasi_errno(e) : WE_SUCCESS);
}
