/*
 * address.c — contract address derivation (bst_contracts_address): pallet-contracts'
 * DefaultAddressGenerator, BLAKE2b-256 over the SCALE encoding of the deployer, code hash,
 * constructor input and salt.  A pure function of its arguments.
 */
#include "contracts_impl.h"

#include "bastion_crypto.h"
#include "bastion_scale.h"

/* bst_scale_buf allocator handing out the caller's fixed buffer (ctx; the buffer's size limit
 * keeps the request within it). */
static void *fixed_realloc(void *ctx, void *ptr, size_t size) {
    (void)ptr;
    return size ? ctx : NULL;
}

/* Hashes the SCALE compact of n. */
static void hash_compact(bst_blake2b_state *st, uint64_t n) {
    uint8_t buf[9]; /* the longest compact of a u64: 1 + 8 bytes */
    bst_scale_buf b;
    bst_scale_buf_init_ex(&b, fixed_realloc, buf, sizeof buf);
    bst_scale_put_compact_u64(&b, n); /* cannot fail: 9 bytes always suffice */
    bst_blake2b_update(st, buf, b.len);
}

void bst_contracts_address(const uint8_t deployer[32], const uint8_t code_hash[32],
                           const uint8_t *input, size_t input_len, const uint8_t *salt,
                           size_t salt_len, uint8_t out[32]) {
    /* SCALE of (b"contract_addr_v1", AccountId, Hash, &[u8], &[u8]): the byte slices carry a
     * compact length prefix, the fixed arrays do not.  Hashed as it is written: nothing is
     * allocated, so nothing can fail. */
    bst_blake2b_state st;
    bst_blake2b_init(&st, 32);
    bst_blake2b_update(&st, (const uint8_t *)"contract_addr_v1", 16);
    bst_blake2b_update(&st, deployer, 32);
    bst_blake2b_update(&st, code_hash, 32);
    hash_compact(&st, input_len);
    if (input_len) bst_blake2b_update(&st, input, input_len);
    hash_compact(&st, salt_len);
    if (salt_len) bst_blake2b_update(&st, salt, salt_len);
    bst_blake2b_final(&st, out);
}
