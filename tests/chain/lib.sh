# lib.sh — the setup the `bastion chain` CLI tests share (sourced, not a test itself):
#   . "$(dirname "$0")/lib.sh" "$@"      (the test's arguments: BASTION RUNTIMES_DIR)
# gives $bastion, $spec (node-template-local.json of RUNTIMES_DIR) and $tmp (a fresh mktemp -d,
# removed on exit), the checks of tests/support/expect.sh (run, check, expect_run, fail,
# finish), ok/bad for the checks a test writes out itself, and `field DB NAME`.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/../support/expect.sh"
bastion=$1
spec=$2/node-template-local.json
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

ok() { echo "ok: $*"; }
bad() { fail "$@"; }
# field DB NAME: a line of `chain head`
field() { "$bastion" chain head --db "$1" | awk -v k="$2" '$1 == k { print $2 }'; }
