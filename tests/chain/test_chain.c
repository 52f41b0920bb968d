/*
 * test_chain.c — the chain library (bastion_chain.h) on node-template-local, where the CLI
 * cannot reach:
 *   - a block whose header was changed (its state root) and then sealed again by the right
 *     authority passes the seal check and is refused by the runtime itself, with its reason;
 *   - a process that dies at the commit point (the before_commit hook, in a forked child)
 *     leaves the previous head, and the database goes on;
 *   - the hook runs once per authored block, after execution and sealing.
 * Usage: test_chain RUNTIMES_DIR
 */
#include "bastion_chain.h"
#include "bastion_crypto.h"
#include "../support/chainspec.h"
#include "../support/check.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void put_mem(void *user, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl) {
    REQUIRE(bst_state_mem_put(user, NULL, 0, k, kl, v, vl));
}

/* A fresh database in dir with the genesis of the spec's genesis.raw.top. */
static bst_chain *new_chain(const char *dir, const char *spec) {
    bst_state_mem *m = bst_state_mem_new();
    REQUIRE(m);
    spec_genesis_foreach(spec, put_mem, m);
    bst_state_mem_finish(m);
    char err[512];
    bst_chain *c = bst_chain_open(dir, err, sizeof err);
    REQUIRE(c);
    bst_state_backend be = bst_state_mem_backend(m);
    bst_chain_block_info g;
    REQUIRE(bst_chain_init(c, &be, &g, err, sizeof err));
    bst_state_mem_free(m);
    return c;
}

static void count_hook(void *user) { ++*(int *)user; }
static void die_hook(void *user) {
    (void)user;
    _exit(9); /* as kill -9 at the commit point: no cleanup, no commit */
}

/* Block 1 of node-template-local: header = parent (32) ++ compact(1) (1 byte) ++ state root
 * (32) ++ extrinsics root (32) ++ digest: compact(2), PreRuntime(aura, slot) (14 bytes),
 * Seal(aura, 64-byte signature) (71 bytes); then the body. */
#define PRE_END (32 + 1 + 32 + 32 + 1 + 14)
#define HDR_END (PRE_END + 71)

/* Changes the state root of an encoded block 1 and seals it again with the slot's authority
 * (slot 1 of [Alice, Bob]: Bob): a block only the runtime can refuse. */
static void reseal_with_bad_root(uint8_t *blk, size_t len) {
    REQUIRE(len > HDR_END && blk[32] == 0x04 && blk[97] == 0x08 && blk[98] == 6 &&
            blk[PRE_END] == 5 && memcmp(blk + PRE_END + 1, "aura", 4) == 0);
    blk[33] ^= 0x01; /* the state root's first byte */
    blk[97] = 0x04;  /* the digest without the seal: one item */
    uint8_t pre[32], pub[32], secret[64];
    bst_blake2_256(blk, PRE_END, pre);
    blk[97] = 0x08;
    REQUIRE(bst_dev_account("bob", pub, secret));
    bst_sr25519_sign(secret, pub, pre, 32, blk + PRE_END + 7);
}

int main(int argc, char **argv) {
    REQUIRE(argc == 2);
    char spec[1024], tmpl[] = "/tmp/bst_chain_XXXXXX", da[1100], db[1100], dc[1100], err[512];
    snprintf(spec, sizeof spec, "%s/node-template-local.json", argv[1]);
    REQUIRE(mkdtemp(tmpl));
    snprintf(da, sizeof da, "%s/a", tmpl);
    snprintf(db, sizeof db, "%s/b", tmpl);
    snprintf(dc, sizeof dc, "%s/c", tmpl);
    bst_chain *a = new_chain(da, spec), *b = new_chain(db, spec);

    /* the hook runs once, after execution and sealing, before the commit */
    int calls = 0;
    bst_chain_author_options o;
    memset(&o, 0, sizeof o);
    o.before_commit = count_hook;
    o.user = &calls;
    bst_chain_block_info b1, head;
    CHECK(bst_chain_author(a, &o, &b1, err, sizeof err));
    CHECK_EQ(calls, 1);
    CHECK_EQ(b1.number, 1u);
    CHECK_EQ(b1.slot, 1u);
    CHECK_EQ(b1.extrinsics, 1u); /* the timestamp inherent */

    /* a resealed block with a wrong state root: the runtime's reason, nothing stored */
    uint8_t *blk;
    size_t len;
    REQUIRE(bst_chain_block_encoded(a, b1.hash, &blk, &len, err, sizeof err));
    bst_chain_block_info imported;
    bool known = true;
    CHECK(bst_chain_import(b, blk, len, &imported, &known, err, sizeof err));
    CHECK(!known && memcmp(imported.hash, b1.hash, 32) == 0);
    bst_chain_close(b);
    b = new_chain(dc, spec);
    reseal_with_bad_root(blk, len);
    CHECK(!bst_chain_import(b, blk, len, &imported, &known, err, sizeof err));
    CHECK_MSG(strstr(err, "Core_execute_block: Runtime panicked:") &&
                  strstr(err, "Storage root must match"),
              "refusal: %s", err);
    CHECK(bst_chain_head(b, &head, err, sizeof err) && head.number == 0);
    free(blk);

    /* a process that dies at the commit point leaves the previous head */
    fflush(NULL);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        bst_chain *child = bst_chain_open(da, err, sizeof err);
        bst_chain_author_options d;
        memset(&d, 0, sizeof d);
        d.before_commit = die_hook;
        bst_chain_block_info x;
        if (child) bst_chain_author(child, &d, &x, err, sizeof err);
        _exit(0); /* not reached when the hook ran */
    }
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 9);
    bst_chain_close(a);
    a = bst_chain_open(da, err, sizeof err);
    REQUIRE(a);
    CHECK(bst_chain_head(a, &head, err, sizeof err) && head.number == 1 &&
          memcmp(head.hash, b1.hash, 32) == 0);
    bst_chain_block_info b2;
    CHECK(bst_chain_author(a, NULL, &b2, err, sizeof err) && b2.number == 2 && b2.slot == 2);
    /* a read-only call at an older block */
    uint8_t *out;
    size_t out_len;
    bool called =
        bst_chain_call(a, b1.hash, "Core_version", NULL, 0, &out, &out_len, err, sizeof err);
    CHECK_MSG(called && out_len > 10, "Core_version at block 1: %s", called ? "short" : err);
    if (called) free(out);
    bst_chain_close(a);
    bst_chain_close(b);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpl);
    CHECK(system(cmd) == 0);
    return check_finish("chain/library");
}
