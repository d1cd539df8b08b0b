#!/usr/bin/env bash
# Make sure the Debian packages pmat needs to build and test are present.
# As root, installs what is missing; otherwise prints the one apt-get line needed
# and fails, so `make demo` / `make check` stop with a clear instruction.
set -u
pkgs="gcc make pkg-config perl libperl-dev zlib1g-dev libzstd-dev zstd libedit-dev libpcre2-dev
      libdevel-mat-perl libdevel-mat-dumper-perl time libio-pty-perl mmdebstrap clang-format"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "deps: installing$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq $missing >/dev/null || {
        echo "deps: apt-get install failed for:$missing" >&2; exit 1; }
    exit 0
fi
echo "deps: missing Debian packages. Run:" >&2
echo "  sudo apt-get install -y$missing" >&2
exit 1
