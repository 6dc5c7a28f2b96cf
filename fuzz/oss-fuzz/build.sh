#!/bin/bash -eu
# OSS-Fuzz / ClusterFuzzLite build for tcpref. Follows the OSS-Fuzz contract:
# compiles with $CC/$CXX and $CFLAGS/$CXXFLAGS, links each fuzzer with $CXX
# and $LIB_FUZZING_ENGINE, and leaves in $OUT, per fuzzer: the binary (no
# extension), <name>_seed_corpus.zip, <name>.dict and <name>.options.
# What to compile is listed once, in fuzz/oss-fuzz/sources.txt. Bazel is not
# used: OSS-Fuzz's builder image has no offline Bazel.
#
# The repository is $SRC/tcpref (the Dockerfiles put it there).

repo="$SRC/tcpref"
manifest="$repo/fuzz/oss-fuzz/sources.txt"
build="${WORK:-$(mktemp -d)}/tcpref-build"
mkdir -p "$build"

# Paths under $SRC have no spaces; flags is split on purpose.
flags="-std=c++20 -I$repo -isystem $repo/fuzz/vendor"
# libsodium is linked statically: OSS-Fuzz's runner image does not have it.
sodium=$(find /usr/lib /usr/local/lib -name libsodium.a 2>/dev/null | head -n 1)
[[ -n "$sodium" ]] || { echo "build.sh: libsodium.a not found (libsodium-dev)" >&2; exit 1; }

libs=($(awk '$1 == "lib" { print $2 }' "$manifest"))
# One compiler per core; xargs fails if any compile fails.
export CXX CXXFLAGS flags repo build
printf '%s\n' "${libs[@]}" | xargs -P "$(nproc)" -I{} bash -c \
  '$CXX $CXXFLAGS $flags -c "$repo/$1" -o "$build/${1//\//_}.o"' _ {}
objects=()
for path in "${libs[@]}"; do objects+=("$build/${path//\//_}.o"); done
rm -f "$build/libtcpref_fuzz.a"
ar rcs "$build/libtcpref_fuzz.a" "${objects[@]}"

while read -r kind name source; do
  [[ "$kind" == fuzzer ]] || continue
  $CXX $CXXFLAGS $flags "$repo/$source" "$build/libtcpref_fuzz.a" \
    "$sodium" $LIB_FUZZING_ENGINE -o "$OUT/$name"
  cp "$repo/fuzz/$name.dict" "$repo/fuzz/$name.options" "$OUT/"
  rm -f "$OUT/${name}_seed_corpus.zip"
  (cd "$repo/fuzz/corpus/$name" && zip -q -X "$OUT/${name}_seed_corpus.zip" ./*)
done < "$manifest"
