/*
 * bastion_extrinsic.h — signed extrinsics (transactions) for a Substrate runtime, built from its
 * metadata V14 or V15: the call index (pallet index, variant of the pallet's call enum), the
 * address and signature types of its UncheckedExtrinsic, and its signed extensions, each
 * encoded by the types the registry gives them.
 *
 * What is built is a version-4 signed extrinsic, as the runtime's UncheckedExtrinsic decodes it:
 *
 *     compact(len) ++ 0x84 ++ address ++ signature ++ extra ++ call
 *
 * address: MultiAddress::Id(account id) when the runtime's address type is an enum with an `Id`
 * variant, else the account id itself; signature: the MultiSignature variant of the signer's
 * scheme (Ed25519, Sr25519, Ecdsa, found by name) or the bare signature; extra and the
 * "additional signed" data: the signed extensions the metadata lists, in its order:
 *
 *   CheckNonZeroSender, CheckWeight       nothing (their types are units)
 *   CheckSpecVersion, CheckTxVersion      additional: spec_version / transaction_version
 *   CheckGenesis                          additional: the genesis hash
 *   CheckMortality, CheckEra              immortal: extra Era::Immortal (0x00), additional the
 *                                         genesis hash
 *   CheckNonce                            extra: the nonce (as its type says: compact u32 ...)
 *   ChargeTransactionPayment              extra: tip 0
 *   ChargeAssetTxPayment                  extra: tip 0, asset None
 *   CheckMetadataHash                     extra: mode Disabled; additional None
 *   anything else                         nothing when both its types are empty (units,
 *                                         empty tuples/structs), else an error naming it
 *
 * The payload signed is call ++ extra ++ additional, or its BLAKE2b-256 when it is longer than
 * 256 bytes.  Every value is encoded by its type in the registry (a u32 nonce as compact or
 * fixed-width as declared, a balance as Compact<u128>, u128 or u64, with a range check), so a
 * runtime whose types differ gets a correct extrinsic or a clear error, never a guess.  Malformed
 * metadata is an error, never a crash.
 *
 * No global state; thread-safe.
 */
#ifndef BASTION_EXTRINSIC_H
#define BASTION_EXTRINSIC_H

#include "bastion_crypto.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The libraries are compiled with hidden visibility; what this header declares is the API. */
#pragma GCC visibility push(default)

typedef struct bst_extrinsic_context {
    /* What Metadata_metadata returns (metadata V14 or V15), either as the runtime returns it
     * (OpaqueMetadata: with the outer Vec<u8> compact length prefix) or without that prefix
     * (starting with the "meta" magic): both are accepted. */
    const uint8_t *metadata;
    size_t metadata_len;
    uint8_t genesis_hash[32];
    uint32_t spec_version, transaction_version; /* the runtime's RuntimeVersion */
    uint64_t nonce;                             /* the signer's account nonce */
    /* the tip is 0 and the era immortal */
} bst_extrinsic_context;

/* A signed Balances transfer of amount (u128, little-endian) from signer to the account dest:
 * the first of transfer_allow_death, transfer, transfer_keep_alive the runtime's Balances
 * pallet has.  On success *out is the SCALE-encoded extrinsic with its compact length prefix
 * (malloc'd; free it) and true; else false and a message in err (e.g. "runtime has no
 * Balances pallet"). */
bool bst_extrinsic_transfer(const bst_extrinsic_context *ctx, const bst_key_pair *signer,
                            const uint8_t dest[32], const uint8_t amount_le16[16], uint8_t **out,
                            size_t *out_len, char *err, size_t errlen);

/* A signed extrinsic of any call: pallet_name.call_name (e.g. "System", "remark") with its
 * arguments already SCALE-encoded in call_args[0..args_len) (the fields of the call's variant,
 * in order).  Output and errors as bst_extrinsic_transfer. */
bool bst_extrinsic_signed(const bst_extrinsic_context *ctx, const bst_key_pair *signer,
                          const char *pallet_name, const char *call_name, const uint8_t *call_args,
                          size_t args_len, uint8_t **out, size_t *out_len, char *err,
                          size_t errlen);

/* The call index of pallet_name.call_name: index[0] the pallet's index, index[1] the call's
 * variant index.  False with a message when the metadata has no such pallet or call. */
bool bst_extrinsic_call_index(const uint8_t *metadata, size_t metadata_len, const char *pallet_name,
                              const char *call_name, uint8_t index[2], char *err, size_t errlen);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif
#endif /* BASTION_EXTRINSIC_H */
