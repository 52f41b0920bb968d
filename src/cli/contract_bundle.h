/*
 * contract_bundle.h — the code FILE of `bastion contract upload|instantiate`: a WebAssembly
 * binary, or a cargo-contract `.contract` bundle (the ink! metadata JSON plus
 * "source": {"wasm": "0x...", "hash": "0x..."}).  See contract_bundle.c.
 */
#ifndef BASTION_CLI_CONTRACT_BUNDLE_H
#define BASTION_CLI_CONTRACT_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Reads path and returns its contract code (malloc'd, at most max_code bytes) in *code and *len.
 * A file whose first non-blank character is '{' is read as a bundle, whatever its name: the
 * code is source.wasm hex-decoded, checked against source.hash when that is present, and
 * *bundle is set (the file is then also ink! metadata).  Anything else must be a binary
 * module (WebAssembly text is refused with the wat2wasm hint).  False with a message in err. */
bool contract_read_code(const char *path, size_t max_code, uint8_t **code, size_t *len,
                        bool *bundle, char *err, size_t errlen);

#endif /* BASTION_CLI_CONTRACT_BUNDLE_H */
