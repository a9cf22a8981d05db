#!/usr/bin/env bash
# Builds the journal reader fuzz target with libFuzzer + AddressSanitizer and runs it.
#   fuzz/run.sh [seconds]    (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
out=fuzz/out
mkdir -p "$out/src" "$out/corpus" "$out/artifacts"
rm -f "$out"/src/*.swift
# One module: the package's import lines are dropped, swift-crypto's SHA256 is replaced by a shim.
for f in Sources/FlatJSON/*.swift Sources/Journal/*.swift; do
    sed -e '/^import Crypto$/d' -e '/^import FlatJSON$/d' "$f" > "$out/src/$(basename "$(dirname "$f")")_$(basename "$f")"
done
# The C checksums (CRC-32C, SHA-256 with the processor's instructions) as a module of their own.
mkdir -p "$out/cchecksum"
printf 'module CChecksum {\n    header "%s"\n    export *\n}\n' "$PWD/Sources/CChecksum/include/CChecksum.h" > "$out/cchecksum/module.modulemap"
for c in Sources/CChecksum/*.c; do
    clang -O2 -g -fsanitize=fuzzer-no-link,address -I Sources/CChecksum/include -c "$c" -o "$out/cchecksum/$(basename "$c" .c).o"
done
flock /tmp/ardesk-build.lock swiftc -O -g -sanitize=fuzzer,address -parse-as-library -module-name JournalFuzz -I "$out/cchecksum" \
    fuzz/JournalReaderFuzz.swift fuzz/SHA256Shim.swift "$out"/src/*.swift "$out"/cchecksum/*.o -o "$out/journal-reader-fuzz"

# Seeds: a small book in each mode (CRCs and hashes are filled in by modes 1 and 2).
python3 - "$out/corpus" <<'PY'
import sys, os
d = sys.argv[1]
h = '{"format":"ardesk-journal","version":1,"book":"0123456789abcdef0123456789abcdef","created":"2026-11-24T03:40:00.123Z","by":"alice","crc":"00000000"}\n'
z = '0' * 32
def rec(seq, data, batch=None):
    b = f',"batch":[{batch[0]},{batch[1]}]' if batch else ''
    return f'{{"seq":{seq},"ts":"2026-11-24T03:40:00.123Z","by":"alice","type":"note.added","v":1,"data":{data}{b},"prev":"{z}","crc":"00000000"}}\n'
book = h + rec(1, '{"i":1,"text":"called"}') + rec(2, '{"a":[1,-2,{"b":null}],"t":true,"u":"\\u00e9\\n"}', (1, 2)) + rec(3, '{}', (2, 2)) + rec(4, '{"s":"支払"}')
for mode in (0, 1, 2):
    with open(os.path.join(d, f"seed-{mode}"), "wb") as f:
        f.write(bytes([mode]) + book.encode())
    with open(os.path.join(d, f"seed-torn-{mode}"), "wb") as f:
        f.write(bytes([mode]) + book.encode()[:-40])
PY
work="$(mktemp -d /dev/shm/ardesk-fuzz.XXXXXX 2>/dev/null || mktemp -d)"
trap 'rm -rf "$work"' EXIT
ARDESK_FUZZ_DIR="$work" "$out/journal-reader-fuzz" -max_total_time="$seconds" -max_len=4096 -artifact_prefix="$out/artifacts/" \
    -print_final_stats=1 "$out/corpus"
