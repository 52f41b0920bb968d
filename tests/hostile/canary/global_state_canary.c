/*
 * global_state_canary.c — deliberately holds mutable global state, so hostile/no_global_state_canary
 * can prove that no_global_state.sh notices it (that test is expected to fail).
 */
int bst_canary_counter;           /* .bss */
static int bst_canary_seeded = 1; /* .data */

int bst_canary_bump(void) {
    bst_canary_seeded++;
    return ++bst_canary_counter + bst_canary_seeded;
}
