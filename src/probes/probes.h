/*
 * probes.h — the USDT probes of provider `bastion`: the one table of every probe, its arguments
 * and its meaning, and the macros the layers fire them with (docs/observability.md).
 *
 * A probe is a `nop` in the code plus an ELF note (section .note.stapsdt) that tells a tracer
 * (bpftrace, perf, SystemTap) where the nop is and where its arguments live.  Each probe has a
 * semaphore, `bastion_NAME_semaphore`, an unsigned short in section .probes that the tracer
 * increments while it is attached; BASTION_PROBE tests it first, so the arguments (names looked
 * up, clocks read, hashes computed) are evaluated only while someone listens.  Without a tracer a
 * probe costs one load and a not-taken branch.
 *
 * This header is private to the libraries (not in include/: the probes are an interface for
 * tracers, not for embedders) and depends on nothing of the project, so every layer may include
 * it (docs/architecture.md, "Probes").  Each row belongs to the one layer that fires it; that
 * layer defines the semaphores of its list once (BASTION_PROBE_SEMAPHORES in one of its .c
 * files), so a semaphore is never shared across libraries.
 *
 * Built with -DBASTION_PROBES=OFF (or without <sys/sdt.h>) every macro expands to nothing: no
 * note, no semaphore, no code.
 *
 * Row: X(NAME, "ARGUMENTS", "what it reports").  ARGUMENTS lists arg0, arg1, ... as `TYPE name`:
 * u32/u64/i32 integers, `str` a NUL-terminated string (bpftrace: str(argN)), `ptr` an address
 * (an identity: the same object gives the same value), `bytes32` the address of 32 bytes
 * (bpftrace: buf(argN, 32)).  At most six arguments: bpftrace before 0.18 (Debian 12 has 0.17)
 * reads arg0..arg5 only.  tests/probes/check_notes.py reads this table: every row must be in
 * the ELF notes of the binary with exactly that many arguments, and in docs/observability.md.
 */
#ifndef BASTION_PROBES_H
#define BASTION_PROBES_H

/* clang-format off */
/* The engine (src/engine/). */
#define BASTION_PROBES_ENGINE(X)                                                                  \
    X(module__load, "u64 code_hash, u64 bytes, u64 ns, i32 status, ptr module",                   \
      "bst_module_new: decode + validate + compile took ns; status 0 or the bst_status refusing "  \
      "it (module is then 0); code_hash is FNV-1a 64 of the bytes")                               \
    X(instance__new, "ptr instance, ptr module, u32 memory_pages, u64 ns, i32 status",            \
      "bst_instance_new, start function included; memory_pages: the store's pages after it")      \
    X(call__start, "ptr instance, u32 func_index, str func_name, u32 depth",                      \
      "bst_call or a start function starts; func_name from the name section, else the export "    \
      "name, else empty; depth 0 for a call from the embedder, 1+ for calls re-entered from host " \
      "functions")                                                                                \
    X(call__end, "ptr instance, u32 func_index, str func_name, i32 outcome, u64 fuel_used, u64 ns",  \
      "the call returns: outcome 0 when it returned, the bst_trap_kind when it trapped, minus the " \
      "bst_status of any other failure; the fuel and wall-clock time the call used")              \
    X(host__call__start, "str module, str name, ptr instance",                                    \
      "a host function is called, by the import module.name of the calling instance")             \
    X(host__call__end, "str module, str name, i32 ok, u64 ns",                                    \
      "the host function returned (ok 1) or trapped (ok 0) after ns")                             \
    X(trap, "i32 kind, str message, u32 func_index, str func_name, u64 offset, ptr instance",     \
      "wasm code trapped: bst_trap_kind and message, the innermost function and the byte offset " \
      "of its body in the module")                                                                \
    X(memory__grow, "ptr memory, u32 old_pages, u32 new_pages, u32 peak_pages, i32 ok",           \
      "memory.grow or bst_memory_grow; peak_pages: the store's most pages during the current "    \
      "call; a refused grow has ok 0 and new_pages == old_pages")                                 \
    X(fuel__exhausted, "ptr instance, u32 func_index, str func_name, u64 fuel_used",              \
      "the fuel ran out in this function (fuel_used: by the current call)")                       \
    X(interrupt, "ptr instance, u32 func_index, str func_name, i32 deadline",                     \
      "code stopped for bst_store_interrupt (deadline 0) or the store's deadline (1)")

/* The Substrate host (src/substrate/). */
#define BASTION_PROBES_SUBSTRATE(X)                                                               \
    X(runtime__call, "str api, u64 input_len, i32 status, u64 output_len, u64 fuel_used, u64 ns", \
      "bst_substrate_call of a runtime API function (Core_version, ...) ended")

/* The contracts host (src/contracts/). */
#define BASTION_PROBES_CONTRACTS(X)                                                               \
    X(contract__call,                                                                             \
      "bytes32 address, i32 kind, u32 depth, i32 outcome, u64 gas_used, u64 ns",                  \
      "a contract frame ended: kind 0 instantiate, 1 call, 2 delegate call (address is then the " \
      "caller's); depth 0 is the top-level call; the bst_contract_outcome and the gas used")

/* The instance pool: fired by the pool (src/pool/) when a request gets an instance or is
 * refused by a quota. */
#define BASTION_PROBES_POOL(X)                                                                    \
    X(pool__acquire, "str tenant, str quota", "a request of tenant got an instance")              \
    X(pool__reject, "str tenant, str quota", "a request of tenant was refused by the quota named")

/* Every probe, layer by layer. */
#define BASTION_PROBES(X)                                                                         \
    BASTION_PROBES_ENGINE(X) BASTION_PROBES_SUBSTRATE(X) BASTION_PROBES_CONTRACTS(X)             \
    BASTION_PROBES_POOL(X)
/* clang-format on */

#if defined(BASTION_WITH_PROBES) && BASTION_WITH_PROBES

/* Every probe of the translation unit has a semaphore (sys/sdt.h puts its address in the note). */
#define _SDT_HAS_SEMAPHORES 1
#define SDT_USE_VARIADIC 1 /* STAP_PROBEV: one macro for any number of arguments */
#include <sys/sdt.h>

#define BASTION_PROBE_SEMAPHORE_ATTRS __attribute__((section(".probes"), visibility("hidden")))
#define BASTION_PROBE_DECLARE_(name, args, doc)                                                    \
    extern volatile unsigned short bastion_##name##_semaphore BASTION_PROBE_SEMAPHORE_ATTRS;
BASTION_PROBES(BASTION_PROBE_DECLARE_)

/* In one .c file of the layer: BASTION_PROBE_SEMAPHORES(BASTION_PROBES_LAYER) */
#define BASTION_PROBE_DEFINE_(name, args, doc)                                                     \
    volatile unsigned short bastion_##name##_semaphore BASTION_PROBE_SEMAPHORE_ATTRS = 0;
#define BASTION_PROBE_SEMAPHORES(list) list(BASTION_PROBE_DEFINE_)

/* Whether a tracer is attached to the probe: for work that only its arguments need. */
#define BASTION_PROBE_ENABLED(name) __builtin_expect(bastion_##name##_semaphore != 0, 0)
/* Fires the probe; the arguments are evaluated only when a tracer is attached. */
#define BASTION_PROBE(name, ...)                                                                   \
    do {                                                                                           \
        if (BASTION_PROBE_ENABLED(name)) STAP_PROBEV(bastion, name, __VA_ARGS__);                  \
    } while (0)

#else

#define BASTION_PROBE_SEMAPHORES(list)
#define BASTION_PROBE_ENABLED(name) 0
/* The arguments stay type-checked (and count as used) but are never evaluated. */
static inline void bastion_probe_off_(int unused, ...) { (void)unused; }
#define BASTION_PROBE(name, ...)                                                                   \
    do {                                                                                           \
        if (0) bastion_probe_off_(0, __VA_ARGS__);                                                 \
    } while (0)

#endif
#endif /* BASTION_PROBES_H */
