/*
 * fs.c — WASI test program: file-system operations inside a pre-opened directory, through
 * wasi-libc.  Run with `--dir HOSTDIR::/sandbox`; HOSTDIR must hold a symlink `inlink -> d`
 * (made by run.sh), which points inside the sandbox and so must work.  Prints one line per step
 * and "fs ok" at the end; the first failing step exits with its number.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int step;

static void check(int ok, const char *what) {
    step++;
    if (!ok) {
        printf("FAIL step %d: %s (errno %d %s)\n", step, what, errno, strerror(errno));
        fflush(stdout);
        exit(step);
    }
    printf("ok %s\n", what);
}

static int dir_has(const char *dir, const char *name) {
    DIR *d = opendir(dir);
    if (!d) return 0;
    int found = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, name) == 0) found = 1;
    closedir(d);
    return found;
}

int main(void) {
    char buf[64];
    struct stat st;

    check(mkdir("/sandbox/d", 0755) == 0, "mkdir");
    check(mkdir("/sandbox/d", 0755) != 0 && errno == EEXIST, "mkdir existing is EEXIST");
    FILE *f = fopen("/sandbox/d/f.txt", "w");
    check(f != NULL, "create file");
    check(fputs("hello world\n", f) >= 0 && fclose(f) == 0, "write file");
    check(stat("/sandbox/d/f.txt", &st) == 0 && st.st_size == 12 && S_ISREG(st.st_mode),
          "stat size 12");

    f = fopen("/sandbox/d/f.txt", "r");
    check(f != NULL, "open for reading");
    check(fseek(f, 6, SEEK_SET) == 0, "fseek");
    check(fread(buf, 1, 5, f) == 5 && memcmp(buf, "world", 5) == 0, "read after seek");
    check(ftell(f) == 11, "ftell");
    check(fseek(f, -2, SEEK_END) == 0 && fgetc(f) == 'd', "seek from end");
    check(fstat(fileno(f), &st) == 0 && st.st_size == 12, "fstat");
    fclose(f);

    int fd = open("/sandbox/d/f.txt", O_WRONLY | O_APPEND);
    check(fd >= 0, "open append");
    check(write(fd, "more\n", 5) == 5, "append write");
    check(fcntl(fd, F_GETFL) & O_APPEND, "fdstat flags report append");
    check(ftruncate(fd, 3) == 0, "ftruncate");
    close(fd);
    check(stat("/sandbox/d/f.txt", &st) == 0 && st.st_size == 3, "size after truncate");

    check(dir_has("/sandbox/d", "f.txt"), "readdir finds f.txt");
    for (int i = 0; i < 40; i++) {
        char name[64];
        snprintf(name, sizeof name, "/sandbox/d/file-with-a-long-name-%02d", i);
        int h = open(name, O_CREAT | O_WRONLY, 0644);
        if (h < 0) check(0, "create many files");
        close(h);
    }
    check(dir_has("/sandbox/d", "file-with-a-long-name-39"), "readdir over several calls");

    check(rename("/sandbox/d/f.txt", "/sandbox/d/g.txt") == 0, "rename");
    check(access("/sandbox/d/f.txt", F_OK) != 0 && errno == ENOENT, "old name gone");
    check(stat("/sandbox/d/../d/./g.txt", &st) == 0, "dot-dot inside the sandbox");
    check(stat("/sandbox/inlink/g.txt", &st) == 0 && st.st_size == 3, "symlink inside sandbox");
    check(lstat("/sandbox/inlink", &st) == 0 && S_ISLNK(st.st_mode), "lstat sees the link");
    check(readlink("/sandbox/inlink", buf, sizeof buf) == 1 && buf[0] == 'd', "readlink");
    check(rmdir("/sandbox/d") != 0 && errno == ENOTEMPTY, "rmdir non-empty fails");
    check(unlink("/sandbox/d") != 0, "unlink of a directory fails");
    check(unlink("/sandbox/d/g.txt") == 0, "unlink");
    for (int i = 0; i < 40; i++) {
        char name[64];
        snprintf(name, sizeof name, "/sandbox/d/file-with-a-long-name-%02d", i);
        if (unlink(name) != 0) check(0, "unlink many files");
    }
    check(rmdir("/sandbox/d") == 0, "rmdir");
    check(stat("/sandbox/d", &st) != 0 && errno == ENOENT, "directory gone");
    check(open("/sandbox/missing", O_RDONLY) < 0 && errno == ENOENT, "missing file is ENOENT");

    printf("fs ok\n");
    return 0;
}
