#!/usr/bin/env bash
# check_format.sh CLANG_FORMAT ROOT — every C source and header under src/, include/, tests/ and
# bench/ is formatted as ROOT/.clang-format says.  One clang-format process checks them all
# (--dry-run --Werror) and names each line it would change; exits 1 when there is any.
# To format the tree:  clang-format -i $(git ls-files '*.c' '*.h')
set -euo pipefail
if [ "$#" -ne 2 ]; then
    echo "usage: $0 CLANG_FORMAT ROOT" >&2
    exit 64
fi
clang_format=$1
cd "$2"
mapfile -d '' files < <(find src include tests bench -name '*.[ch]' -print0 | sort -z)
if [ "${#files[@]}" -eq 0 ]; then
    echo "check_format: no sources found under $2" >&2
    exit 1
fi
if out=$("$clang_format" --style=file --dry-run --Werror "${files[@]}" 2>&1); then
    echo "check_format: ${#files[@]} files, all formatted"
    exit 0
fi
bad=$(grep -oE '^[^:]+\.[ch]:' <<<"$out" | sort -u)
echo "$out" | head -n 40
echo "check_format: ${#files[@]} files, $(wc -l <<<"$bad") not formatted:"
sed 's/:$//; s/^/    /' <<<"$bad"
exit 1
