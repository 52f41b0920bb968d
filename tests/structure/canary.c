/*
 * canary.c — a library that breaks the symbol rule on purpose: structure/symbols_canary expects
 * check_symbols.sh to fail on it (a check that cannot fail proves nothing).  The function is
 * declared with default visibility, as a public function would be, but no header in include/
 * names it.
 */
__attribute__((visibility("default"))) int bastion_canary_leaked_symbol(int x);

int bastion_canary_leaked_symbol(int x) { return x + 1; }
