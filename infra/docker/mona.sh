#!/bin/bash
# The mona command line inside the images (`docker run --entrypoint mona IMAGE ...`).
set -euo pipefail
THREADS="${MONA_THREADS:-$(nproc)}"
exec java ${MONA_JAVA_OPTS:-} -Dai.djl.offline=true \
  -Dai.djl.pytorch.num_threads="$THREADS" -Dai.djl.pytorch.num_interop_threads=1 \
  -cp "/opt/mona/lib/*" dev.mona.cli.Main "$@"
