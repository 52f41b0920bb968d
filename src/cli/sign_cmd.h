/*
 * sign_cmd.h — `bastion keygen`, `bastion sign` and `bastion verify`, see sign_cmd.c.
 */
#ifndef BASTION_CLI_SIGN_CMD_H
#define BASTION_CLI_SIGN_CMD_H

/* The three commands' section of `bastion --help` (each also has its own --help). */
#define CLI_SIGN_HELP                                                                              \
    "  keygen -o NAME [--password-env VAR] [--force]\n"                                            \
    "        Make an Ed25519 key pair in minisign's formats: NAME.pub and NAME.key\n"              \
    "        (mode 0600; encrypted with the password in $VAR, else in clear).\n"                   \
    "  sign --key NAME.key [--password-env VAR] FILE.wasm -o SIGNED.wasm\n"                        \
    "  sign --detached --key NAME.key [--password-env VAR] FILE [-o FILE.minisig]\n"               \
    "        Embed a signature in a module (WebAssembly tool-conventions format; earlier\n"        \
    "        signatures are kept), or write a minisign detached signature of any file.\n"          \
    "  verify --pubkey NAME.pub [--pubkey ...] [--signatures-required K]\n"                        \
    "         [--signature FILE.minisig] FILE\n"                                                   \
    "        Say which trusted key signed FILE (exit 0), or precisely why not (exit 1).\n"         \
    "        run, runtime and contract upload/instantiate take --trusted-key NAME.pub and\n"       \
    "        --signatures-required K to load only modules signed that way.\n"

int keygen_main(int argc, char **argv);
int sign_main(int argc, char **argv);
int verify_main(int argc, char **argv);

#endif /* BASTION_CLI_SIGN_CMD_H */
