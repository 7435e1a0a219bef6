#!/usr/bin/env bash
# Builds the codec modules (wasm/codecs/*.c over the reference C libraries) to wasm with
# Debian's clang and wasi-libc (apt-get install clang lld wasi-libc libclang-rt-14-dev-wasm32),
# and embeds each as src/codecs/wasm/<name>.generated.ts. The libraries' sources are Debian's
# (apt-get source libzstd lz4 bzip2 brotli, through a private deb-src list), or the folder
# NATIVEFILE_CODEC_SOURCES when set. With --check, fails if the committed files differ.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

src=${NATIVEFILE_CODEC_SOURCES:-}
if [ -z "$src" ]; then
  src=$out/sources
  mkdir -p "$src/lists/partial"
  echo "deb-src http://deb.debian.org/debian bookworm main" >"$src/sources.list"
  apt_opts=(-o "Dir::Etc::SourceList=$src/sources.list" -o Dir::Etc::SourceParts=/dev/null -o "Dir::State::Lists=$src/lists"
    -o APT::Sandbox::User=root)
  apt-get "${apt_opts[@]}" update >/dev/null
  (cd "$src" && apt-get "${apt_opts[@]}" source --download-only libzstd lz4 bzip2 brotli >/dev/null 2>&1)
  (cd "$src" && for archive in *.orig.tar.gz *.orig.tar.xz; do tar xf "$archive"; done)
fi
zstd=$(ls -d "$src"/zstd-*/lib)
lz4=$(ls -d "$src"/lz4-*/lib)
bzip2=$(ls -d "$src"/bzip2-*)
brotli=$(ls -d "$src"/brotli-*/c)

# -O3 with SIMD: about 2x the speed of -Os for zstd and lz4 decoding (bench/codecs.bench.ts).
cc=(clang --target=wasm32-wasi -O3 -flto -DNDEBUG -msimd128 -mbulk-memory -nostartfiles
  -Wl,--no-entry -Wl,--strip-all -Wl,--gc-sections -Wl,-z,stack-size=262144
  "-ffile-prefix-map=$src=/src" "-ffile-prefix-map=$root=/nativefile" -Iwasm/codecs)

zstd_flags=(-DZSTD_DISABLE_ASM -DZSTD_LEGACY_SUPPORT=0 -DZSTD_NO_TRACE -DZSTD_STRIP_ERROR_STRINGS -DXXH_NAMESPACE=ZSTD_
  "-I$zstd" "-I$zstd/common")
zstd_common=$(ls "$zstd"/common/*.c | grep -v -e /pool.c -e /threading.c)
"${cc[@]}" "${zstd_flags[@]}" -DNF_NO_ENCODER -o "$out/zstd-decoder.wasm" wasm/codecs/zstd.c $zstd_common "$zstd"/decompress/*.c
"${cc[@]}" "${zstd_flags[@]}" -DNF_NO_DECODER -o "$out/zstd-encoder.wasm" wasm/codecs/zstd.c $zstd_common \
  $(ls "$zstd"/compress/*.c | grep -v zstdmt)
"${cc[@]}" -DXXH_NAMESPACE=LZ4_ "-I$lz4" -o "$out/lz4.wasm" wasm/codecs/lz4.c "$lz4"/lz4.c "$lz4"/lz4frame.c "$lz4"/lz4hc.c "$lz4"/xxhash.c
"${cc[@]}" -DBZ_NO_STDIO "-I$bzip2" -o "$out/bz2.wasm" wasm/codecs/bz2.c \
  "$bzip2"/{blocksort,huffman,crctable,randtable,compress,decompress,bzlib}.c
"${cc[@]}" "-I$brotli/include" -DNF_NO_ENCODER -o "$out/brotli-decoder.wasm" wasm/codecs/brotli.c "$brotli"/common/*.c "$brotli"/dec/*.c
"${cc[@]}" "-I$brotli/include" -DNF_NO_DECODER -o "$out/brotli-encoder.wasm" wasm/codecs/brotli.c "$brotli"/common/*.c "$brotli"/enc/*.c

status=0
for wasm in "$out"/*.wasm; do
  name=$(basename "$wasm" .wasm)
  node scripts/embed-wasm.mjs "$wasm" "$out/$name.generated.ts" "$name"
  if [ "${1:-}" = "--check" ]; then
    cmp "$out/$name.generated.ts" "src/codecs/wasm/$name.generated.ts" || status=1
  else
    mkdir -p src/codecs/wasm
    cp "$out/$name.generated.ts" "src/codecs/wasm/$name.generated.ts"
    echo "codecs: $name.wasm $(stat -c %s "$wasm") bytes, $(gzip -9 <"$wasm" | wc -c) gzipped"
  fi
done
exit $status
