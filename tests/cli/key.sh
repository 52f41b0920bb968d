#!/bin/sh
# key.sh BASTION — CTest cli/key: `bastion key inspect` against published `subkey inspect`
# outputs (the dev account //Alice in the three schemes, subkey's README examples: a mnemonic
# on Polkadot, a hex seed, a --password), the layout line for line, and the usage errors.
set -u
bastion=$1
. "$(dirname "$0")/../support/expect.sh"

# expect NAME EXPECTED_OUTPUT ARGS...: `key inspect ARGS` exits 0 and prints exactly that.
expect() {
    n=$1 want=$2
    shift 2
    expect_run "$n" 0 exact "$want" "$bastion" key inspect "$@"
}

# expect_line NAME LINE ARGS...: `key inspect ARGS` exits 0 and prints LINE among its lines.
expect_line() {
    n=$1 line=$2
    shift 2
    expect_run "$n" 0 line "$line" "$bastion" key inspect "$@"
}

# expect_rc NAME RC PATTERN ARGS...: `key ARGS` exits RC with a message matching PATTERN.
expect_rc() {
    n=$1 rc=$2 pattern=$3
    shift 3
    expect_run "$n" "$rc" re "$pattern" "$bastion" key "$@"
}

expect "sr25519 //Alice" "Secret Key URI \`//Alice\` is account:
  Network ID:        substrate
  Secret seed:       0xe5be9a5092b81bca64be81d212e7f2f9eba183bb7a90954f7b76361f6edb5c0a
  Public key (hex):  0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d
  Account ID:        0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d
  Public key (SS58): 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY
  SS58 Address:      5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY" //Alice

expect "Polkadot mnemonic" "Secret phrase:       hotel forest jar hover kite book view eight stuff angle legend defense
  Network ID:        polkadot
  Secret seed:       0xa05c75731970cc7868a2fb7cb577353cd5b31f62dccced92c441acd8fee0c92d
  Public key (hex):  0xfec70cfbf1977c6965b5af10a4534a6a35d548eb14580594d0bc543286892515
  Account ID:        0xfec70cfbf1977c6965b5af10a4534a6a35d548eb14580594d0bc543286892515
  Public key (SS58): 16m4J167Mptt8UXL8aGSAi7U2FnPpPxZHPrCgMG9KJzVoFqM
  SS58 Address:      16m4J167Mptt8UXL8aGSAi7U2FnPpPxZHPrCgMG9KJzVoFqM" \
    --network polkadot "hotel forest jar hover kite book view eight stuff angle legend defense"

expect_line "ed25519 //Alice" "  Public key (hex):  0x88dc3417d5058ec4b4503e0c12ea1a0a89be200fe98922423d4334014fa6b0ee" \
    --scheme ed25519 //Alice
expect_line "ecdsa //Alice" "  Public key (hex):  0x020a1091341fe5664bfa1782d5e04779689068c916b04cb365ec3153755684d9a1" \
    --scheme ecdsa //Alice
expect_line "//Alice//stash" "  SS58 Address:      5GNJqTPyNqANBkUVMN1LPPrxXnFouWXoe2wNSmmEoLctxiZY" //Alice//stash
expect_line "soft junction has no seed" "  Secret seed:       n/a" //Alice/stash
expect_line "Kusama by number" "  SS58 Address:      JLNozAv8QeLSbLFwe2UvWeKKE4yvmDbfGxTuiYkF2BUMx4M" \
    --ss58-prefix 2 0xa05c75731970cc7868a2fb7cb577353cd5b31f62dccced92c441acd8fee0c92d
expect_line "hex seed" "Secret Key URI \`0xa05c75731970cc7868a2fb7cb577353cd5b31f62dccced92c441acd8fee0c92d\` is account:" \
    0xa05c75731970cc7868a2fb7cb577353cd5b31f62dccced92c441acd8fee0c92d
expect_line "--password" "  SS58 Address:      5He5pZpc7AJ8evPuab37vJF6KkFDqq9uDq2WXh877Qw6iaVC" \
    --password extra_secret "soup lyrics media market way crouch elevator put moon useful question wide"
expect_line "custom network by number" "  Network ID:        1284" --network 1284 //Alice

expect_rc "bad phrase" 1 "invalid phrase" inspect "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo"
expect_rc "soft ed25519" 1 "hard // junctions" inspect --scheme ed25519 //Alice/stash
expect_rc "bad URI" 1 "invalid secret URI" inspect "//Alice/"
expect_rc "bad scheme" 64 "--scheme takes" inspect --scheme rsa //Alice
expect_rc "bad network" 64 "takes polkadot" inspect --network 16384 //Alice
expect_rc "no URI" 64 "usage:" inspect
expect_rc "two URIs" 64 "unexpected argument" inspect //Alice //Bob
expect_rc "unknown subcommand" 64 "unknown key command" sign //Alice
expect_rc "help" 0 "subkey inspect" --help
expect_rc "inspect help" 0 "ss58-prefix" inspect --help

finish cli/key
