#!/usr/bin/env bash
# Installs what mona's offline tasks and tests need from the package registries (Debian's archive, npm).
# Idempotent; safe to run before every test run.
set -euo pipefail

# Debian packages that write reference files for the reader tests (numpy: npy/npz/pickle; h5py: chunked and
# compressed HDF5 and MATLAB v7.3; scipy: MATLAB v5). Those tests skip cleanly without them.
APT_PACKAGES=(python3-numpy python3-h5py python3-scipy)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
  else
    echo "mona setup: not root (or no apt-get): install these Debian packages, then run this again:" >&2
    echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    echo "mona setup: continuing; the tests that need them will be skipped" >&2
  fi
fi
