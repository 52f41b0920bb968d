/*
 * serve_cmd.c — `bastion serve`: parses the command line, starts the service
 * (include/bastion_serve.h), prints the address it listens on, and waits for SIGTERM or SIGINT,
 * which stop it gracefully (running calls finish; new requests get 503) before exiting 0.
 */
#include "serve_cmd.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bastion_serve.h"
#include "util.h"

static const char SERVE_USAGE[] =
    "usage: bastion serve --listen HOST:PORT --config TENANTS.json --state DIR [--threads N]\n"
    "                     [--fresh-instances]\n"
    "\n"
    "Serve contracts and plain modules of several tenants over HTTP/1.1 + JSON\n"
    "(PUT /v1/code, POST /v1/contracts, POST /v1/contracts/ADDR/call|query,\n"
    "POST /v1/invoke, GET /healthz, GET /metrics; docs/service.md).\n"
    "\n"
    "  --listen HOST:PORT  numeric IPv4 address and port; port 0 picks a free one.\n"
    "                      Prints `listening on HOST:PORT` once it accepts requests.\n"
    "  --config FILE       the tenants: {\"tenants\": [{\"name\", \"token\", \"max_instances\",\n"
    "                      \"memory_pages\", \"cpu_ms_per_s\", \"acquire_timeout_ms\",\n"
    "                      \"call_timeout_ms\", \"max_code_bytes\", \"max_contracts\"}]}\n"
    "                      (unknown fields are an error; missing limits take the\n"
    "                      defaults 8, 64, 200, 100, 1000, 131072, 1000).\n"
    "                      \"trusted_keys\": [minisign public keys] and\n"
    "                      \"signatures_required\": K (default 1): the tenant's\n"
    "                      uploads must be signed by K of them (422 otherwise).\n"
    "  --state DIR         state directory: one LMDB environment per tenant in\n"
    "                      DIR/NAME (created when absent).\n"
    "  --threads N         connections served at once, one thread each (default 256;\n"
    "                      1 to 65536); further connections are refused.\n"
    "  --fresh-instances   no instance pools: every call instantiates anew (for\n"
    "                      comparing; slower).\n"
    "\n"
    "Every request carries `Authorization: Bearer TOKEN`.  SIGTERM or SIGINT stop\n"
    "accepting, let running calls finish and exit 0.\n"
    "exit status: 0 after a signal, 1 when the service cannot start, 64 misuse.\n";

/* HOST:PORT into cfg (host points into arg, which is modified). */
static bool parse_listen(char *arg, bst_serve_config *cfg) {
    char *colon = strrchr(arg, ':');
    uint64_t port;
    if (!colon || colon == arg || !cli_parse_u64(colon + 1, &port) || port > 65535) return false;
    *colon = '\0';
    cfg->host = arg;
    cfg->port = (uint16_t)port;
    return true;
}

static int usage(const char *fmt, const char *arg) {
    fputs("bastion serve: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs(" (see bastion serve --help)\n", stderr);
    return CLI_EXIT_USAGE;
}

int serve_main(int argc, char **argv) {
    bst_serve_config cfg;
    bst_serve_config_default(&cfg);
    bool listen = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) {
            fputs(SERVE_USAGE, stdout);
            return 0;
        }
        if (strcmp(a, "--fresh-instances") == 0) {
            cfg.fresh_instances = true;
            continue;
        }
        if (strcmp(a, "--listen") != 0 && strcmp(a, "--config") != 0 && strcmp(a, "--state") != 0 &&
            strcmp(a, "--threads") != 0)
            return usage("unknown argument '%s'", a);
        if (i + 1 >= argc) return usage("%s needs a value", a);
        char *v = argv[++i];
        uint64_t n;
        if (strcmp(a, "--listen") == 0) {
            if (!parse_listen(v, &cfg)) return usage("bad --listen '%s' (HOST:PORT)", v);
            listen = true;
        } else if (strcmp(a, "--config") == 0) {
            cfg.tenants_path = v;
        } else if (strcmp(a, "--state") == 0) {
            cfg.state_dir = v;
        } else if (!cli_parse_u64(v, &n) || n < 1 || n > 65536) {
            return usage("bad --threads '%s' (1 to 65536)", v);
        } else {
            cfg.max_connections = (uint32_t)n;
        }
    }
    if (!listen || !cfg.tenants_path || !cfg.state_dir)
        return usage("%s", "--listen, --config and --state are required");

    /* The signals are taken by sigwait below: blocked before the server's threads exist, so
     * that they inherit the mask and only this thread receives them. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    bst_error err;
    bst_serve *s = bst_serve_start(&cfg, &err);
    if (!s) {
        fprintf(stderr, "bastion serve: %s\n", err.message);
        return 1;
    }
    printf("listening on %s:%u\n", cfg.host, (unsigned)bst_serve_port(s));
    fflush(stdout);
    int sig = 0;
    sigwait(&set, &sig);
    fprintf(stderr, "bastion serve: %s: draining\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    bst_serve_stop(s);
    return 0;
}
