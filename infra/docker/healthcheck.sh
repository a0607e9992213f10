#!/bin/bash
# Liveness / readiness of a mona worker container: `healthcheck [live|ready]` (Docker HEALTHCHECK, Kubernetes
# exec probes). When the worker serves its health endpoints on MONA_HEALTH_PORT, GET /healthz (live) or /readyz
# (ready) must answer 200. A worker build without them is judged by its JVM (PID 1) being alive.
set -uo pipefail
mode="${1:-live}"
path=/healthz
[ "$mode" = ready ] && path=/readyz
if { exec 3<>"/dev/tcp/127.0.0.1/${MONA_HEALTH_PORT:-8081}"; } 2>/dev/null; then
  printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$path" >&3
  IFS= read -r -t 4 status <&3 || exit 1
  [[ "$status" == *" 200"* ]]
  exit $?
fi
kill -0 1 2>/dev/null
