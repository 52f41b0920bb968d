/*
 * validity.c — the names of sp-runtime's TransactionValidityError variants, which both the
 * block author (an extrinsic left out of a block) and the CLI (validate_transaction's verdict)
 * print: one table, so the two cannot disagree.
 */
#include "bastion_substrate.h"

/* Arrays of chars, not of pointers: a pointer table would be relocated data (no-global-state). */
static const char INVALID_TX[][20] = {"Call",
                                      "Payment",
                                      "Future",
                                      "Stale",
                                      "BadProof",
                                      "AncientBirthBlock",
                                      "ExhaustsResources",
                                      "Custom",
                                      "BadMandatory",
                                      "MandatoryValidation",
                                      "BadSigner"};
static const char UNKNOWN_TX[][20] = {"CannotLookup", "NoUnsignedValidator", "Custom"};

const char *bst_substrate_validity_error_name(unsigned kind, unsigned index) {
    if (kind == 0 && index < sizeof INVALID_TX / sizeof *INVALID_TX) return INVALID_TX[index];
    if (kind == 1 && index < sizeof UNKNOWN_TX / sizeof *UNKNOWN_TX) return UNKNOWN_TX[index];
    return "?";
}
