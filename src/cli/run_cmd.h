/*
 * run_cmd.h — the `bastion run` subcommand, see run_cmd.c.
 */
#ifndef BASTION_CLI_RUN_CMD_H
#define BASTION_CLI_RUN_CMD_H

#include "trust.h"
#include "profile.h"

/* The `run` section of the help, shared by `bastion --help` and `bastion run --help`. */
#define CLI_RUN_HELP                                                                               \
    "  run [OPTIONS] FILE.wasm [ARGS...]\n"                                                        \
    "        Run a WASI command: instantiate the module and call its `_start` with ARGS\n"         \
    "        as its arguments (argv[0] is FILE.wasm).  Exits with the program's exit code\n"       \
    "        (codes above 255 exit 255).  A module that exports no `_start` is refused\n"          \
    "        (exit 64) with a list of its exported functions, for --invoke.\n"                     \
    "        Imports from wasi_snapshot_preview1 / wasi_unstable are provided, and\n"              \
    "        env.clock_ms() -> i64 (monotonic milliseconds); nothing else.\n"                      \
    "        WASI options:\n"                                                                      \
    "          --dir HOST[::GUEST]   pre-open directory HOST, seen by the program as GUEST\n"      \
    "                                (default: the same path); nothing outside the\n"              \
    "                                pre-opened directories is reachable\n"                        \
    "          --env KEY=VALUE       add an environment variable (default: none)\n"                \
    "  run [OPTIONS] FILE.wasm --invoke NAME [ARGS...]\n"                                          \
    "        Instantiate the module (running its start function) and call the exported\n"          \
    "        function NAME.  Arguments follow its parameter types: i32/i64 as decimal or\n"        \
    "        0x hex, f32/f64 as decimal or hex floats (finite values beyond the type's\n"          \
    "        range are refused), inf, nan or nan:0xPAYLOAD.  Each result is printed on\n"          \
    "        its own line.  Imports are provided as above.\n"                                      \
    "        Both forms: FILE - reads the module from standard input; `--` before FILE\n"          \
    "        ends the options (for a FILE starting with -), right after FILE it passes\n"          \
    "        all that follows to the program as ARGS.  Modules must be binary: convert\n"          \
    "        text (.wat) with `wat2wasm FILE.wat -o FILE.wasm` (Debian package wabt).\n"           \
    "        Sandbox options (both forms; options go before FILE):\n"                              \
    "          --fuel N              fuel budget (1 per wasm instruction; bulk memory and\n"       \
    "                                table operations also 1 per 64 bytes), at most 2^63-1\n"      \
    "          --timeout-ms N        interrupt the code after N >= 1 ms of wall-clock time,\n"     \
    "                                also while it waits in a WASI call (exit 22)\n"               \
    "          --deterministic       canonicalise NaN results of float operations\n"               \
    "          --no-floats           reject modules that use floating point\n"                     \
    "          --no-metering         compile without fuel instructions (no --fuel)\n"              \
    "          --stats[=FILE]        after the call (_start or NAME), print its statistics\n"      \
    "                                as JSON to standard error (or into FILE): fuel, wall\n"       \
    "                                and CPU time, memory peak, host calls by import,\n"           \
    "                                instructions by function (docs/observability.md)\n"           \
    "        Profiling (--profile meters the code even with --no-metering):\n" CLI_PROFILE_HELP    \
    "        Limits (a value outside the range shown is an error, never capped):\n"                \
    "          --max-memory-pages N  64-KiB pages per memory and in total over all\n"              \
    "                                memories (1..65536, default 65536)\n"                         \
    "          --max-table-elements N  elements per table and in total over all tables\n"          \
    "                                (0..4294967295, default 10000000)\n"                          \
    "          --max-call-depth N    nested wasm calls (1..4294967295, default 10000)\n"           \
    "          --max-stack-slots N   8-byte value-stack slots shared by all frames; each\n"        \
    "                                frame takes at least one, so this bounds the depth\n"         \
    "                                too (1024..4294967295, default 1048576)\n"                    \
    "          --max-decoded-bytes N host memory for the decoded module's entries, element\n"      \
    "                                items and names (1..2^64-1, default 134217728)\n"             \
    "        The stacks grow on demand: a large limit costs nothing until code uses it.\n"         \
    "        Trust policy (signed modules only):\n" CLI_TRUST_HELP(                                \
        "          ") "        FILE itself may have at most 64 MiB.\n"                             \
                      "        On a trap it prints the trap, the module's code hash "              \
                      "(BLAKE2b-256), a\n"                                                         \
                      "        backtrace with each frame's module offset, function name and, for " \
                      "modules\n"                                                                  \
                      "        with DWARF (clang -g), source file and line, the fuel used "        \
                      "(unless\n"                                                                  \
                      "        --no-metering; with --timeout-ms also the time used), and exits "   \
                      "with 10 +\n"                                                                \
                      "        the trap kind:\n"                                                   \
                      "          11 unreachable, 12 out of bounds memory access, 13 out of "       \
                      "bounds table\n"                                                             \
                      "          access, 14 integer divide by zero, 15 integer overflow, 16 "      \
                      "invalid\n"                                                                  \
                      "          conversion to integer, 17 indirect call type mismatch, 18 "       \
                      "uninitialized\n"                                                            \
                      "          element, 19 undefined element, 20 call stack exhausted, 21 out "  \
                      "of fuel,\n"                                                                 \
                      "          22 interrupted (timeout), 23 host trap.\n"

/* `bastion run ...`; argv[0] is the first argument after "run".  Returns the process exit
 * status: a WASI command's own exit code (above 255: 255), else 0 success, 1 error, 10 + the
 * trap kind on a trap, 64 misuse. */
int run_main(int argc, char **argv);

#endif /* BASTION_CLI_RUN_CMD_H */
