#!/usr/bin/env bash
# The other two perls we serve, as minimal Debian root file systems made once with
# mmdebstrap from the Debian registry and cached outside the checkout:
#
#   trixie  perl 5.40, Devel::MAT 0.53, Devel::MAT::Dumper 0.50
#   sid     perl 5.42, Devel::MAT 0.56, Devel::MAT::Dumper 0.52
#
# The host (Debian 12: perl 5.36, Devel::MAT 0.51) is the third.  Tests run perl and
# Devel::MAT inside a root with chroot (t/lib/PMATRoots.pm), so this needs root.
#
#   scripts/perls.sh            make the missing roots; print one line per root
#   scripts/perls.sh --check    print what is there, make nothing
#
# PMAT_ROOTS (default /var/cache/pmat-roots) holds them; a root is complete when its
# .ok stamp exists, so an interrupted build is remade, never half-used.  When a root
# cannot be made (not root, no registry) this says why and exits 0: the tests that
# need it then skip with that reason, except under CI, where they fail.
set -u
ROOTS=${PMAT_ROOTS:-/var/cache/pmat-roots}
MIRROR=${PMAT_DEBIAN_MIRROR:-http://deb.debian.org/debian}
PKGS="perl,libperl-dev,build-essential,zlib1g-dev,libzstd-dev,libdevel-mat-perl,libdevel-mat-dumper-perl"
PKGS="$PKGS,libjson-pp-perl,libio-pty-perl,ca-certificates"
# the stamp names what went in, so a changed package list remakes the root
STAMP_TEXT="pkgs=$PKGS"

status() {
    local suite=$1 dir="$ROOTS/$1"
    if [ -f "$dir.ok" ] && [ "$(cat "$dir.ok")" = "$STAMP_TEXT" ]; then
        local pv mv
        pv=$(chroot "$dir" perl -e 'printf "%vd", $^V' 2>/dev/null)
        mv=$(chroot "$dir" perl -MDevel::MAT -e 'print $Devel::MAT::VERSION' 2>/dev/null)
        echo "perls: $suite ready at $dir (perl $pv, Devel::MAT $mv)"
        return 0
    fi
    return 1
}

make_root() {
    local suite=$1 dir="$ROOTS/$1" t0=$SECONDS
    rm -rf "$dir" "$dir.ok" "$dir.tmp"
    mkdir -p "$ROOTS"
    echo "perls: making the $suite root in $dir (once; about a minute)" >&2
    if ! mmdebstrap --quiet --variant=apt --include="$PKGS" \
        --aptopt='Acquire::Check-Valid-Until "false"' \
        "$suite" "$dir.tmp" "$MIRROR" >"$ROOTS/$suite.log" 2>&1; then
        echo "perls: could not make the $suite root (see $ROOTS/$suite.log)" >&2
        rm -rf "$dir.tmp"
        return 1
    fi
    mv "$dir.tmp" "$dir"
    echo "$STAMP_TEXT" >"$dir.ok"
    echo "perls: $suite made in $((SECONDS - t0)) s" >&2
}

check_only=0
[ "${1:-}" = "--check" ] && check_only=1
for suite in trixie sid; do
    status "$suite" && continue
    if [ $check_only = 1 ]; then
        echo "perls: $suite missing"
        continue
    fi
    if [ "$(id -u)" != 0 ]; then
        echo "perls: $suite skipped: making a root needs root (mmdebstrap, chroot)" >&2
        continue
    fi
    if ! command -v mmdebstrap >/dev/null; then
        echo "perls: $suite skipped: mmdebstrap is not installed" >&2
        continue
    fi
    make_root "$suite" && status "$suite"
done
exit 0
