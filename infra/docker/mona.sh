#!/bin/bash
# Container entry point: runs the mona command line on the jars in /opt/mona/lib.
# JVM options come from JAVA_TOOL_OPTIONS (the Helm chart sets the heap there) or MONA_JAVA_OPTS.
set -euo pipefail
THREADS="${MONA_THREADS:-$(nproc)}"
exec java ${MONA_JAVA_OPTS:-} -Dai.djl.offline=true \
  -Dai.djl.pytorch.num_threads="$THREADS" -Dai.djl.pytorch.num_interop_threads=1 \
  -cp "/opt/mona/lib/*" dev.mona.cli.Main "$@"
