#!/bin/sh
# Compiles core's MKL dispatch library (core/src/main/resources/native/mona_mkl_dispatch.c, see MklDispatch) into DIR
# under the name MklDispatch looks for before compiling it itself: libmona_mkl_dispatch-<the first 12 hex digits of
# the source's SHA-256>.so. The images run it in their build stage (their runtime stages have no C compiler) and copy
# DIR to ~/.cache/mona/native of the mona user. Usage: infra/docker/build-native.sh DIR   (run from the repository root;
# CC names the compiler, default cc)
set -eu
[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
src=core/src/main/resources/native/mona_mkl_dispatch.c
[ -f "$src" ] || { echo "$0: $src not found; run from the repository root" >&2; exit 2; }
digest=$(sha256sum "$src" | cut -c1-12)
mkdir -p "$1"
"${CC:-cc}" -O2 -shared -fPIC -o "$1/libmona_mkl_dispatch-$digest.so" "$src"
