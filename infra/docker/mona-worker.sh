#!/bin/bash
# Container entry point of the worker images: `mona-worker orchestrator|gpu [CONFIG.yaml]` runs
# dev.mona.workers.WorkerMain (connection settings from TEMPORAL_* and MONA_S3_* in the environment).
# JVM options come from JAVA_TOOL_OPTIONS (the Helm chart sets the heap there) or MONA_JAVA_OPTS.
set -euo pipefail
THREADS="${MONA_THREADS:-$(nproc)}"
exec java ${MONA_JAVA_OPTS:-} -Dai.djl.offline=true \
  -Dai.djl.pytorch.num_threads="$THREADS" -Dai.djl.pytorch.num_interop_threads=1 \
  -cp "/opt/mona/lib/*" dev.mona.workers.WorkerMain "$@"
