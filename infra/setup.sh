#!/usr/bin/env bash
# Installs what mona's offline tasks and tests need from the package registries (Debian's archive, npm).
# Idempotent; safe to run before every test run.
set -euo pipefail
echo "mona setup: nothing to install yet" >&2
