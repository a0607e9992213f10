#!/usr/bin/env bash
# The browser check of a sweep report page (mona results SWEEP --html): opens it in headless Chromium with every
# host unresolvable, so a page that needed anything from the network would show broken images, and saves a
# screenshot to look at. Run by activities' SweepReportTest where /usr/bin/chromium exists.
#
#   infra/check-report.sh REPORT.html OUT.png
#
# The browser is $CHROMIUM, else chromium or chromium-browser on PATH (Debian: apt-get install -y chromium).
# Exit 0 with the screenshot's path on stdout; 2 on bad arguments; 3 without a browser; 1 when no screenshot came.
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 REPORT.html OUT.png" >&2
  exit 2
fi
if [ ! -f "$1" ]; then
  echo "$0: no report file '$1'" >&2
  exit 2
fi
report="$(realpath "$1")"
out="$(realpath -m "$2")"
browser="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
if [ -z "$browser" ]; then
  echo "$0: no Chromium: install it (apt-get install -y chromium) or set CHROMIUM to its path" >&2
  exit 3
fi

profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
rm -f "$out"
mkdir -p "$(dirname "$out")"
# the flags keep a root, GPU-less, offline machine's Chromium from hanging on sandboxing, GPU or network set-up
timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync --host-resolver-rules="MAP * ~NOTFOUND" \
  --user-data-dir="$profile" --hide-scrollbars --screenshot="$out" --window-size=1280,2000 "file://$report" \
  >"$profile/chromium.log" 2>&1 || true
if [ ! -s "$out" ]; then
  echo "$0: Chromium wrote no screenshot; its output:" >&2
  cat "$profile/chromium.log" >&2
  exit 1
fi
echo "$out"
