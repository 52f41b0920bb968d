/*
 * wasi_table.h — every WASI function this layer provides, in one list: a row
 * X(NAME, SIGNATURE, KIND) per function of wasi_snapshot_preview1.  wasi_unstable, whose
 * functions have the same names and signatures, is served from the same rows (it has no
 * sock_accept, which links there all the same).
 *
 * The list is the only place a WASI function is declared; everything else is generated from it
 * (the idiom all hosts share, see docs/architecture.md):
 *   - wasi_impl.h expands it into the declarations of the C functions wasi_NAME (hidden: never
 *     exported from the library), which wasi_misc.c, wasi_fd.c and wasi_path.c define;
 *   - wasi.c expands it into wasi_lookup, which maps an import name to its signature and C
 *     function (a chain of comparisons in code: no table of relocated pointers), and checks an
 *     import's type against the signature with bst_functype_matches.
 * SIGNATURE is the notation of bst_functype_parse (bastion.h): "PARAMS:RESULTS", i = i32,
 * I = i64; every function but proc_exit returns an errno (i32).
 * KIND is FN when wasi_NAME implements the function, NOSYS when this host does not offer it:
 * the import links (so programs that merely reference it run) and answers ENOSYS (wasi_nosys).
 */
#ifndef BASTION_WASI_TABLE_H
#define BASTION_WASI_TABLE_H

/* The rows below are aligned by hand: a table is read by columns. */
/* clang-format off */

#define WASI_HOST_FUNCTIONS(X) \
    X(args_get, "ii:i", FN) \
    X(args_sizes_get, "ii:i", FN) \
    X(environ_get, "ii:i", FN) \
    X(environ_sizes_get, "ii:i", FN) \
    X(clock_res_get, "ii:i", FN) \
    X(clock_time_get, "iIi:i", FN) \
    X(fd_advise, "iIIi:i", FN) \
    X(fd_allocate, "iII:i", FN) \
    X(fd_close, "i:i", FN) \
    X(fd_datasync, "i:i", FN) \
    X(fd_fdstat_get, "ii:i", FN) \
    X(fd_fdstat_set_flags, "ii:i", FN) \
    X(fd_fdstat_set_rights, "iII:i", FN) \
    X(fd_filestat_get, "ii:i", FN) \
    X(fd_filestat_set_size, "iI:i", FN) \
    X(fd_filestat_set_times, "iIIi:i", FN) \
    X(fd_pread, "iiiIi:i", FN) \
    X(fd_prestat_get, "ii:i", FN) \
    X(fd_prestat_dir_name, "iii:i", FN) \
    X(fd_pwrite, "iiiIi:i", FN) \
    X(fd_read, "iiii:i", FN) \
    X(fd_readdir, "iiiIi:i", FN) \
    X(fd_renumber, "ii:i", FN) \
    X(fd_seek, "iIii:i", FN) \
    X(fd_sync, "i:i", FN) \
    X(fd_tell, "ii:i", FN) \
    X(fd_write, "iiii:i", FN) \
    X(path_create_directory, "iii:i", FN) \
    X(path_filestat_get, "iiiii:i", FN) \
    X(path_filestat_set_times, "iiiiIIi:i", FN) \
    X(path_link, "iiiiiii:i", FN) \
    X(path_open, "iiiiiIIii:i", FN) \
    X(path_readlink, "iiiiii:i", FN) \
    X(path_remove_directory, "iii:i", FN) \
    X(path_rename, "iiiiii:i", FN) \
    X(path_symlink, "iiiii:i", FN) \
    X(path_unlink_file, "iii:i", FN) \
    X(poll_oneoff, "iiii:i", FN) \
    X(proc_exit, "i:", FN) \
    X(proc_raise, "i:i", FN) \
    X(sched_yield, ":i", FN) \
    X(random_get, "ii:i", FN) \
    X(sock_accept, "iii:i", NOSYS) \
    X(sock_recv, "iiiiii:i", NOSYS) \
    X(sock_send, "iiiii:i", NOSYS) \
    X(sock_shutdown, "ii:i", NOSYS)

/* clang-format on */

#endif /* BASTION_WASI_TABLE_H */
