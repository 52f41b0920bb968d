/*
 * sign_cmd.c — `bastion keygen`, `bastion sign` and `bastion verify`: Ed25519 keys and
 * signatures in the formats of the field's tools (bastion_sign.h): minisign's key files and
 * detached .minisig signatures, and the WebAssembly tool-conventions signature section embedded
 * in a module.  A password for an encrypted secret key comes from the environment variable
 * --password-env names (never from the command line, where other users could read it).
 */
#include "sign_cmd.h"
#include "bastion_crypto.h"
#include "bastion_sign.h"
#include "trust.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char KEYGEN_USAGE[] =
    "usage: bastion keygen -o NAME [--password-env VAR] [--force]\n"
    "  Writes an Ed25519 key pair in minisign's formats: NAME.pub (the public key, for\n"
    "  --pubkey / --trusted-key and minisign -p) and NAME.key (the secret key, mode 0600).\n"
    "  --password-env VAR  encrypt the secret key with the password held in the environment\n"
    "                      variable VAR (scrypt, as minisign; about a second and 1 GiB of\n"
    "                      memory to use the key); without it the key is stored in clear\n"
    "                      (as minisign -G -W)\n"
    "  --force             overwrite existing NAME.pub / NAME.key\n";

static const char SIGN_USAGE[] =
    "usage: bastion sign --key NAME.key [--password-env VAR] FILE.wasm -o SIGNED.wasm\n"
    "       bastion sign --detached --key NAME.key [--password-env VAR]\n"
    "                    [--trusted-comment TEXT] FILE [-o FILE.minisig]\n"
    "  Embedded (the default): writes the module with a `signature` section first (the\n"
    "  WebAssembly tool-conventions format, as wasmsign2) and a `signature_delimiter` last,\n"
    "  so that custom sections may be appended later without breaking the signature.  A\n"
    "  module already signed keeps its signatures; the new one is added (several signers\n"
    "  for --signatures-required).  The same key cannot sign the same module twice.\n"
    "  --detached: writes a minisign signature of FILE (any file) to FILE.minisig, or to -o;\n"
    "  `minisign -V -p NAME.pub -m FILE` verifies it.  --trusted-comment sets its trusted\n"
    "  comment (default: timestamp:SECONDS<TAB>file:NAME<TAB>hashed, as minisign).\n"
    "  --password-env VAR: the password of an encrypted NAME.key is in $VAR.\n";

static const char VERIFY_USAGE[] =
    "usage: bastion verify --pubkey NAME.pub [--pubkey ...] [--signatures-required K]\n"
    "                      [--signature FILE.minisig] FILE\n"
    "  Checks FILE's signature against the public keys given (each a minisign .pub file,\n"
    "  or its base64 line): the embedded signature section of a module, or the detached\n"
    "  signature --signature names (a minisign .minisig file, or the bytes of a detached\n"
    "  signature section).  Prints each trusted key that signed it and exits 0; else prints\n"
    "  why (unsigned, malformed, unknown key, bad signature, tampered, unsigned section,\n"
    "  too few signers) and exits 1.  --signatures-required K: at least K distinct keys\n"
    "  (default 1).  Exit 64 on misuse.\n";

/* Files signed or verified here: any size a module or a chain spec may have. */
#define SIGN_MAX_BYTES CLI_MAX_TEXT_BYTES
#define KEY_MAX_BYTES 4096

/* Writes the whole buffer to path (mode for a new file; an existing one is truncated, or left
 * alone when exclusive).  Prints why and returns false on failure. */
static bool write_file(const char *cmd, const char *path, const void *p, size_t n, mode_t mode,
                       bool exclusive) {
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (exclusive ? O_EXCL : O_TRUNC), mode);
    if (fd < 0) {
        fprintf(stderr, "bastion %s: cannot create %s: %s%s\n", cmd, path, strerror(errno),
                errno == EEXIST ? " (--force overwrites it)" : "");
        return false;
    }
    /* an existing secret key file keeps no wider mode than asked */
    if (fchmod(fd, mode) != 0) {
        fprintf(stderr, "bastion %s: cannot set the mode of %s: %s\n", cmd, path, strerror(errno));
        close(fd);
        return false;
    }
    const char *c = p;
    while (n) {
        ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            fprintf(stderr, "bastion %s: cannot write %s: %s\n", cmd, path, strerror(errno));
            close(fd);
            return false;
        }
        c += w;
        n -= (size_t)w;
    }
    if (close(fd) != 0) {
        fprintf(stderr, "bastion %s: cannot write %s: %s\n", cmd, path, strerror(errno));
        return false;
    }
    return true;
}

/* The password in $var: NULL after printing why (unset or empty). */
static const char *password_from_env(const char *cmd, const char *var) {
    const char *pw = getenv(var);
    if (!pw || !*pw) {
        fprintf(stderr, "bastion %s: --password-env %s: the variable is %s\n", cmd, var,
                pw ? "empty" : "not set");
        return NULL;
    }
    return pw;
}

/* The value of the option at argv[*i] (NULL after printing misuse). */
static const char *option_value(const char *cmd, int argc, char **argv, int *i) {
    if (*i + 1 >= argc || argv[*i + 1][0] == '\0') {
        fprintf(stderr, "bastion %s: %s needs a value\n", cmd, argv[*i]);
        return NULL;
    }
    return argv[++*i];
}

/* ---- keygen ------------------------------------------------------------------------------- */

int keygen_main(int argc, char **argv) {
    const char *name = NULL, *pw_env = NULL;
    bool force = false;
    for (int i = 0; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            fputs(KEYGEN_USAGE, stdout);
            return 0;
        }
        const char **slot = strcmp(argv[i], "-o") == 0               ? &name
                            : strcmp(argv[i], "--password-env") == 0 ? &pw_env
                                                                     : NULL;
        if (slot) {
            if (!(*slot = option_value("keygen", argc, argv, &i))) return CLI_EXIT_USAGE;
        } else if (strcmp(argv[i], "--force") == 0) {
            force = true;
        } else {
            fprintf(stderr, "bastion keygen: unexpected argument %s\n\n%s", argv[i], KEYGEN_USAGE);
            return CLI_EXIT_USAGE;
        }
    }
    if (!name) {
        fprintf(stderr, "bastion keygen: -o NAME is required\n\n%s", KEYGEN_USAGE);
        return CLI_EXIT_USAGE;
    }
    const char *pw = pw_env ? password_from_env("keygen", pw_env) : NULL;
    if (pw_env && !pw) return CLI_EXIT_USAGE;
    if (!bst_crypto_init()) return 1;
    size_t nlen = strlen(name);
    char *pub_path = malloc(nlen + 5), *key_path = malloc(nlen + 5);
    bst_sign_secret secret;
    bst_sign_pubkey pub;
    bst_sign_keygen(&secret, &pub);
    char *pub_text = bst_sign_pubkey_format(&pub);
    char *key_text = bst_sign_secret_format(&secret, pw, pw ? strlen(pw) : 0, 0, 0);
    bst_secure_wipe(&secret, sizeof secret);
    int rc = 1;
    if (!pub_path || !key_path || !pub_text || !key_text) {
        fprintf(stderr, "bastion keygen: out of memory\n");
        goto out;
    }
    snprintf(pub_path, nlen + 5, "%s.pub", name);
    snprintf(key_path, nlen + 5, "%s.key", name);
    /* the secret first: a failure leaves no public key without its secret */
    if (!write_file("keygen", key_path, key_text, strlen(key_text), 0600, !force)) goto out;
    if (!write_file("keygen", pub_path, pub_text, strlen(pub_text), 0644, !force)) {
        unlink(key_path);
        goto out;
    }
    char id[17];
    bst_sign_key_id_text(pub.id, id);
    printf("key id: %s\npublic key: %s\nsecret key: %s (%s)\n", id, pub_path, key_path,
           pw ? "encrypted" : "not encrypted");
    rc = 0;
out:
    if (key_text) bst_secure_wipe(key_text, strlen(key_text));
    free(key_text);
    free(pub_text);
    free(pub_path);
    free(key_path);
    return rc;
}

/* ---- sign --------------------------------------------------------------------------------- */

typedef struct sign_args {
    const char *key, *pw_env, *out, *file, *comment;
    bool detached;
} sign_args;

/* 0, or the exit status after printing why (or the help). */
static int parse_sign(int argc, char **argv, sign_args *a) {
    memset(a, 0, sizeof *a);
    for (int i = 0; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            fputs(SIGN_USAGE, stdout);
            return -1;
        }
        const char **slot = strcmp(argv[i], "--key") == 0               ? &a->key
                            : strcmp(argv[i], "--password-env") == 0    ? &a->pw_env
                            : strcmp(argv[i], "-o") == 0                ? &a->out
                            : strcmp(argv[i], "--trusted-comment") == 0 ? &a->comment
                                                                        : NULL;
        if (slot) {
            if (!(*slot = option_value("sign", argc, argv, &i))) return CLI_EXIT_USAGE;
        } else if (strcmp(argv[i], "--detached") == 0) {
            a->detached = true;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "bastion sign: unknown option %s\n\n%s", argv[i], SIGN_USAGE);
            return CLI_EXIT_USAGE;
        } else if (a->file) {
            fprintf(stderr, "bastion sign: unexpected argument %s\n", argv[i]);
            return CLI_EXIT_USAGE;
        } else {
            a->file = argv[i];
        }
    }
    const char *missing = !a->key                   ? "--key NAME.key"
                          : !a->file                ? "FILE"
                          : !a->detached && !a->out ? "-o SIGNED.wasm"
                                                    : NULL;
    if (missing) {
        fprintf(stderr, "bastion sign: %s is required\n\n%s", missing, SIGN_USAGE);
        return CLI_EXIT_USAGE;
    }
    if (a->comment && !a->detached) {
        fprintf(stderr, "bastion sign: --trusted-comment is for --detached signatures\n");
        return CLI_EXIT_USAGE;
    }
    return 0;
}

/* The secret key of --key, decrypted with $VAR when it is encrypted: 0 or the exit status. */
static int load_secret(const sign_args *a, bst_sign_secret *secret) {
    char err[512], why[256];
    uint8_t *text;
    size_t len;
    if (!cli_read_file(a->key, KEY_MAX_BYTES, &text, &len, err, sizeof err)) {
        fprintf(stderr, "bastion sign: %s\n", err);
        return 1;
    }
    int rc = 0;
    const char *pw = NULL;
    if (bst_sign_secret_is_encrypted((const char *)text, len)) {
        if (!a->pw_env) {
            fprintf(stderr,
                    "bastion sign: %s is encrypted: give --password-env VAR, with the "
                    "password in $VAR\n",
                    a->key);
            rc = CLI_EXIT_USAGE;
        } else if (!(pw = password_from_env("sign", a->pw_env))) {
            rc = CLI_EXIT_USAGE;
        }
    }
    if (!rc && bst_sign_secret_parse((const char *)text, len, pw, pw ? strlen(pw) : 0, secret, why,
                                     sizeof why) != BST_SIGN_OK) {
        fprintf(stderr, "bastion sign: %s: %s\n", a->key, why);
        rc = 1;
    }
    bst_secure_wipe(text, len);
    free(text);
    return rc;
}

/* The last component of a path, for the default trusted comment. */
static const char *base_name(const char *path) {
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static int sign_detached(const sign_args *a, const bst_sign_secret *secret, const uint8_t *data,
                         size_t len) {
    char deflt[512];
    const char *comment = a->comment;
    if (!comment) {
        snprintf(deflt, sizeof deflt, "timestamp:%lld\tfile:%s\thashed", (long long)time(NULL),
                 base_name(a->file));
        comment = deflt;
    }
    char *text = bst_sign_minisig(secret, data, len, comment);
    if (!text) {
        fprintf(stderr, "bastion sign: cannot sign%s\n",
                a->comment ? " (the trusted comment must be one line)" : "");
        return a->comment ? CLI_EXIT_USAGE : 1;
    }
    size_t plen = strlen(a->file) + sizeof ".minisig";
    char *path = a->out ? NULL : malloc(plen);
    if (!a->out && !path) {
        free(text);
        return 1;
    }
    if (path) snprintf(path, plen, "%s.minisig", a->file);
    const char *out = a->out ? a->out : path;
    int rc = write_file("sign", out, text, strlen(text), 0644, false) ? 0 : 1;
    if (!rc) printf("signature: %s\n", out);
    free(path);
    free(text);
    return rc;
}

int sign_main(int argc, char **argv) {
    sign_args a;
    int rc = parse_sign(argc, argv, &a);
    if (rc) return rc < 0 ? 0 : rc;
    if (!bst_crypto_init()) return 1;
    bst_sign_secret secret;
    if ((rc = load_secret(&a, &secret))) return rc;
    char err[512];
    uint8_t *data = NULL, *out = NULL;
    size_t len = 0, out_len = 0;
    bool read = a.detached
                    ? cli_read_file(a.file, SIGN_MAX_BYTES, &data, &len, err, sizeof err)
                    : cli_read_module(a.file, a.file, SIGN_MAX_BYTES, &data, &len, err, sizeof err);
    if (!read) {
        fprintf(stderr, "bastion sign: %s\n", err);
        rc = 1;
    } else if (a.detached) {
        rc = sign_detached(&a, &secret, data, len);
    } else if (bst_sign_module(&secret, data, len, &out, &out_len, err, sizeof err) !=
               BST_SIGN_OK) {
        fprintf(stderr, "bastion sign: %s: %s\n", a.file, err);
        rc = 1;
    } else {
        rc = write_file("sign", a.out, out, out_len, 0644, false) ? 0 : 1;
        char id[17];
        bst_sign_key_id_text(secret.id, id);
        if (!rc) printf("signed by key %s: %s\n", id, a.out);
    }
    bst_secure_wipe(&secret, sizeof secret);
    free(out);
    free(data);
    return rc;
}

/* ---- verify ------------------------------------------------------------------------------- */

int verify_main(int argc, char **argv) {
    cli_trust trust;
    memset(&trust, 0, sizeof trust);
    const char *file = NULL, *sig_path = NULL;
    for (int i = 0; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            fputs(VERIFY_USAGE, stdout);
            return 0;
        }
        /* --pubkey is run's --trusted-key (accepted too), as minisign calls it */
        int used = cli_trust_option(&trust, "verify", argc, argv, &i);
        if (used < 0) return CLI_EXIT_USAGE;
        if (used) continue;
        if (strcmp(argv[i], "--pubkey") == 0) {
            const char *v = option_value("verify", argc, argv, &i);
            if (!v || !cli_trust_add(&trust, "verify", v)) return CLI_EXIT_USAGE;
        } else if (strcmp(argv[i], "--signature") == 0) {
            if (!(sig_path = option_value("verify", argc, argv, &i))) return CLI_EXIT_USAGE;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "bastion verify: unknown option %s\n\n%s", argv[i], VERIFY_USAGE);
            return CLI_EXIT_USAGE;
        } else if (file) {
            fprintf(stderr, "bastion verify: unexpected argument %s\n", argv[i]);
            return CLI_EXIT_USAGE;
        } else {
            file = argv[i];
        }
    }
    if (!file || !cli_trust_active(&trust)) {
        fprintf(stderr, "bastion verify: %s is required\n\n%s", file ? "--pubkey NAME.pub" : "FILE",
                VERIFY_USAGE);
        return CLI_EXIT_USAGE;
    }
    int rc = cli_trust_load(&trust, "verify");
    if (rc) return rc;
    char err[512];
    uint8_t *data = NULL, *sig = NULL;
    size_t len = 0, sig_len = 0;
    if (!cli_read_file(file, SIGN_MAX_BYTES, &data, &len, err, sizeof err) ||
        (sig_path && !cli_read_file(sig_path, SIGN_MAX_BYTES, &sig, &sig_len, err, sizeof err))) {
        fprintf(stderr, "bastion verify: %s\n", err);
        free(data);
        return 1;
    }
    bst_sign_trust t = {trust.keys, trust.nkeys, trust.required ? (size_t)trust.required : 1};
    bst_sign_result res;
    bool minisig = sig && sig_len >= 18 && memcmp(sig, "untrusted comment:", 18) == 0;
    if (minisig)
        bst_sign_verify_minisig(&t, data, len, (const char *)sig, sig_len, &res);
    else
        bst_sign_verify_module(&t, data, len, sig, sig_len, &res);
    if (res.status != BST_SIGN_OK) {
        fprintf(stderr, "bastion verify: %s: %s: %s\n", file, bst_sign_status_name(res.status),
                res.message);
        rc = 1;
    } else {
        cli_trust_print_signers(&trust, &res);
        if (res.trusted_comment)
            printf("trusted comment: %.*s\n", (int)res.trusted_comment_len, res.trusted_comment);
        if (res.signed_len < len)
            printf("unsigned: %zu bytes of custom sections after the signed part (not loaded)\n",
                   len - res.signed_len);
    }
    free(sig);
    free(data);
    return rc;
}
