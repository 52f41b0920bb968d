#!/usr/bin/env bash
# cli.sh — `bastion serve`'s command line and config file (CTest serve/cli): --help, usage
# errors (exit 64), and configs that must be refused with a message naming the problem
# (exit 1): unknown fields, missing or repeated names and tokens, values out of range.
#
#   cli.sh BASTION SCALE
. "$(dirname "$0")/lib.sh"
out=$("$BASTION" serve --help) || fail "--help failed"
printf '%s\n' "$out" | grep -q -- '--listen HOST:PORT' || fail "--help: $out"
"$BASTION" --help | grep -q 'serve --listen' || fail "bastion --help does not list serve"

usage() { # usage ARGS...: exit 64
    local rc=0
    "$BASTION" serve "$@" >/dev/null 2>"$WORK/usage" || rc=$?
    [ "$rc" -eq 64 ] || fail "serve $*: exit $rc, expected 64"
}
echo '{"tenants":[{"name":"a","token":"t"}]}' >"$WORK/ok.json"
usage
usage --listen 127.0.0.1:0 --config "$WORK/ok.json"
usage --listen 127.0.0.1 --config "$WORK/ok.json" --state "$WORK/s"
usage --listen 127.0.0.1:99999 --config "$WORK/ok.json" --state "$WORK/s"
usage --listen 127.0.0.1:0 --config "$WORK/ok.json" --state "$WORK/s" --threads 0
usage --listen 127.0.0.1:0 --config "$WORK/ok.json" --state "$WORK/s" --bogus 1

refused() { # refused CONFIG MESSAGE: exit 1 and the message on stderr
    printf '%s\n' "$1" >"$WORK/bad.json"
    local rc=0
    "$BASTION" serve --listen 127.0.0.1:0 --config "$WORK/bad.json" --state "$WORK/s" \
        >/dev/null 2>"$WORK/refused" || rc=$?
    [ "$rc" -eq 1 ] || fail "config $1: exit $rc, expected 1"
    grep -qF -- "$2" "$WORK/refused" || fail "config $1: '$(cat "$WORK/refused")' lacks '$2'"
}
refused '{"tenants":[{"name":"a","token":"t","max_instance":8}]}' 'unknown field "max_instance"'
refused '{"tenants":[{"name":"a","token":"t"}],"extra":1}' 'unknown field "extra"'
refused '{"tenants":[{"name":"a"}]}' '"token"'
refused '{"tenants":[{"token":"t"}]}' '"name"'
refused '{"tenants":[{"name":"a/b","token":"t"}]}' '"name"'
refused '{"tenants":[{"name":"a","token":"t"},{"name":"a","token":"u"}]}' 'used twice'
refused '{"tenants":[{"name":"a","token":"t"},{"name":"b","token":"t"}]}' 'same token'
refused '{"tenants":[{"name":"a","token":"t","max_instances":0}]}' 'max_instances'
refused '{"tenants":[{"name":"a","token":"t","memory_pages":"64"}]}' 'memory_pages'
refused '{"tenants":[]}' '"tenants"'
refused '{"tenants":[{"name":"a","token":"t"}]' 'bad.json'
echo "cli: ok"
