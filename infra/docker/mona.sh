#!/bin/bash
# The mona command line inside the images (`docker run --entrypoint mona IMAGE ...`).
set -euo pipefail
# libtorch threads: MONA_THREADS (the Helm chart sets it to the container's CPU request, rounded up), else the
# cores this process may run on; 0 (a container without a CPU request) also means the cores
THREADS="${MONA_THREADS:-0}"
case "$THREADS" in
  *[!0-9]*) echo "mona: MONA_THREADS must be a whole number of threads (0: all cores), got '$THREADS'" >&2; exit 2 ;;
esac
if [ "$THREADS" -eq 0 ]; then THREADS="$(nproc)"; fi
# glibc malloc tuned for libtorch from process start (core's MallocTuning; MONA_MALLOC_TUNING=off keeps the defaults)
case "${MONA_MALLOC_TUNING:-on}:${GLIBC_TUNABLES:-}" in off:*|false:*|0:*|*glibc.malloc.*) ;; *)
  export GLIBC_TUNABLES="${GLIBC_TUNABLES:+$GLIBC_TUNABLES:}glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824:glibc.malloc.arena_max=1" ;;
esac
exec java ${MONA_JAVA_OPTS:-} -Dai.djl.offline=true \
  -Dai.djl.pytorch.num_threads="$THREADS" -Dai.djl.pytorch.num_interop_threads=1 \
  -cp "/opt/mona/lib/*" dev.mona.cli.Main "$@"
