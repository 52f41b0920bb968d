/*
 * proof_io.h — Merkle proofs for `bastion runtime call`: --proof PROOF.json --state-root 0x...
 * runs a call on a state backend over the proof's nodes; --record-proof OUT.json runs it on the
 * genesis state and writes the nodes the call read.  PROOF.json is a JSON array of hex nodes
 * (the StorageProof / state_getReadProof shape).  See proof_io.c.
 */
#ifndef BASTION_CLI_PROOF_IO_H
#define BASTION_CLI_PROOF_IO_H

#include "bastion_state.h"
#include "bastion_trie.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct cli_proof {
    const char *in_path;  /* --proof, or NULL */
    const char *out_path; /* --record-proof, or NULL */
    uint8_t root[32];     /* --state-root (with --proof), or the recorded state's root */
    bool has_root;
    bst_trie_node *nodes; /* owned node bytes */
    size_t n, cap;
    bst_state_proof *proof;
    bst_state_backend backend;
} cli_proof;

/* --proof: reads in_path into the proof backend (p->backend).  Prints an error and returns
 * false on failure. */
bool cli_proof_load(cli_proof *p);
/* --record-proof: the proof backend over every node of the state in mem (top trie with its
 * child tries' roots, and the child tries) at state_version; p->root is its root. */
bool cli_proof_of_state(cli_proof *p, bst_state_mem *mem, unsigned state_version);
/* After a call: writes the nodes it read to out_path as a JSON array of hex strings and says
 * on stderr how many and how large.  False after printing an error. */
bool cli_proof_write_recorded(cli_proof *p);
/* After a failed call: when it needed a node the proof lacks, says so ("incomplete proof")
 * and returns true. */
bool cli_proof_explain_failure(const cli_proof *p, const char *path);
void cli_proof_free(cli_proof *p);

#endif /* BASTION_CLI_PROOF_IO_H */
