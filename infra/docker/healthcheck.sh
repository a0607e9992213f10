#!/bin/bash
# Docker HEALTHCHECK: GET /healthz on the worker's health port with bash's /dev/tcp (no curl in the image).
set -euo pipefail
exec 3<>"/dev/tcp/127.0.0.1/${MONA_HEALTH_PORT:-8081}"
printf 'GET /healthz HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
IFS= read -r -t 4 status <&3
[[ "$status" == *" 200"* ]]
