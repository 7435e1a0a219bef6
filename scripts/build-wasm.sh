#!/usr/bin/env bash
# Builds wasm/nativefile-pool.wasm and its embedded copy src/memory/wasm/pool-module.generated.ts
# with Debian's rustc (apt-get install rustc libstd-rust-dev-wasm32 lld), and fails if any
# function of it uses the shadow stack (scripts/check-wasm-stack.mjs). With --check, fails
# if the committed files differ from what the source builds to. The initial memory holds the
# allocator's static state (thread caches and the slab map); src/memory/wasm/pool-module.ts
# creates memories with as many pages (INITIAL_PAGES).
set -euo pipefail
cd "$(dirname "$0")/.."
RUSTC=${RUSTC:-/usr/bin/rustc}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

"$RUSTC" --edition 2021 --target wasm32-unknown-unknown --crate-type cdylib --crate-name nativefile_pool \
  -C opt-level=s -C panic=abort -C lto=fat -C codegen-units=1 -C strip=symbols \
  -C target-feature=+atomics,+bulk-memory,+mutable-globals \
  -C link-arg=--shared-memory -C link-arg=--import-memory \
  -C link-arg=--max-memory=4294967296 -C link-arg=--initial-memory=196608 \
  -C link-arg=-zstack-size=0 -C link-arg=--stack-first \
  --remap-path-prefix="$PWD=/nativefile" \
  -o "$out/nativefile-pool.wasm" wasm/src/lib.rs

node scripts/check-wasm-stack.mjs "$out/nativefile-pool.wasm"
node scripts/embed-wasm.mjs "$out/nativefile-pool.wasm" "$out/pool-module.generated.ts"

if [ "${1:-}" = "--check" ]; then
  cmp "$out/nativefile-pool.wasm" wasm/nativefile-pool.wasm
  cmp "$out/pool-module.generated.ts" src/memory/wasm/pool-module.generated.ts
  echo "wasm: the committed binary matches the source"
else
  mkdir -p src/memory/wasm
  cp "$out/nativefile-pool.wasm" wasm/nativefile-pool.wasm
  cp "$out/pool-module.generated.ts" src/memory/wasm/pool-module.generated.ts
  echo "wasm: built $(stat -c %s wasm/nativefile-pool.wasm) bytes"
fi
