#!/usr/bin/env bash
# check_format.sh CLANG_FORMAT ROOT — every C source and header under src/, include/, tests/ and
# bench/ is formatted as ROOT/.clang-format says.  Prints the files clang-format would change
# (with the first lines of the difference) and exits 1 when there is any.
# To format the tree:  clang-format -i $(git ls-files '*.c' '*.h')
set -euo pipefail
if [ "$#" -ne 2 ]; then
    echo "usage: $0 CLANG_FORMAT ROOT" >&2
    exit 64
fi
clang_format=$1
root=$2
cd "$root"
bad=0
count=0
while IFS= read -r -d '' f; do
    count=$((count + 1))
    if ! out=$("$clang_format" --style=file "$f" | diff -u "$f" - 2>&1); then
        bad=$((bad + 1))
        echo "not formatted: $f"
        head -n 12 <<<"$out" | sed 's/^/    /'
    fi
done < <(find src include tests bench -name '*.[ch]' -print0 | sort -z)
echo "check_format: $count files, $bad not formatted"
[ "$bad" -eq 0 ]
