#!/usr/bin/env bash
# make mutants: prove the suite can fail.  Each t/mutants/NN-name.patch is a small semantic
# mutation of lib/ or cli/ whose header names the tests expected to kill it:
#     Mutant: what the change breaks
#     Tests: t/a.t t/b.t
# For each: apply it to a scratch copy of the sources, build it there, run its tests
# (from this checkout, with CI=true, on the scratch build: PMAT_BIN / PMAT_BUILD point
# there, so the oracle's cached answers are shared) -- a failing test file kills it --
# and revert.  The named tests must first pass on the unmutated scratch build (else a
# "kill" proves nothing).  The last line is "N mutants, K killed".
# MUTANT_DIR: the scratch directory (default /tmp/pmat-mutants-<user>-<checkout name>);
# MUTANTS="03 17": only those; MUTANTS_BASELINE=0: no baseline run (see below).  PMAT_SRC tells source-reading tests (t/format.t) to read the
# scratch copy.
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
dir=${MUTANT_DIR:-/tmp/pmat-mutants-$(id -un)-$(basename "$src")}
tree=$dir/tree
log=$dir/log
mkdir -p "$dir" "$log"
# the checkout's sources (tracked and new, not ignored), as they are now; the scratch
# build directory is kept, so only what a mutant touches is rebuilt
[ -d "$tree/build" ] && mv "$tree/build" "$dir/build.keep"
rm -rf "$tree" && mkdir -p "$tree"
(cd "$src" && git ls-files -z -co --exclude-standard -- Makefile lib cli t/unit t/bin |
    tar --null -T - -cf -) | tar -C "$tree" -xf - || exit 1
[ -d "$dir/build.keep" ] && mv "$dir/build.keep" "$tree/build"
progs=$(cd "$tree" && ls cli/main_*.c | sed 's|^cli/main_|bin/|; s|\.c$||')
cd "$src" || exit 1
export CI=true PMAT_BIN="$tree/bin/pmat" PMAT_SRC="$tree"
# PMAT_BUILD is taken relative to the checkout by some tests
PMAT_BUILD=$(realpath -m --relative-to="$src" "$tree/build/rel")
export PMAT_BUILD

build() { make -C "$tree" -j2 units $progs >"$log/build.txt" 2>&1; }
tests_of() { sed -n 's/^Tests: *//p' "$1" | head -1; }
# run the named test files, stopping at the first that fails; prints it
first_failing() {
    local t
    for t in "$@"; do
        prove "$t" >"$log/last-prove.txt" 2>&1 || { echo "$t"; return 0; }
    done
    return 1
}

build || { echo "mutants: the unmutated tree does not build (see $log/build.txt)" >&2; exit 1; }

patches=()
for p in "$src"/t/mutants/*.patch; do
    n=$(basename "$p"); n=${n%%-*}
    if [ -n "${MUTANTS:-}" ] && ! [[ " $MUTANTS " == *" $n "* ]]; then continue; fi
    patches+=("$p")
done

# baseline: every named test passes on the unmutated build (MUTANTS_BASELINE=0 skips it,
# for shards run in parallel after a `make check` of the same sources has passed)
all_tests=$(for p in "${patches[@]}"; do tests_of "$p"; done | tr ' ' '\n' | sed '/^$/d' | sort -u)
if [ "${MUTANTS_BASELINE:-1}" = 0 ]; then
    echo "baseline: skipped (MUTANTS_BASELINE=0)"
elif bad=$(first_failing $all_tests); then
    echo "mutants: $bad fails on the unmutated tree (see $log/last-prove.txt)" >&2
    exit 1
else
    echo "baseline: $(echo $all_tests | wc -w) test files pass unmutated"
fi

total=0 killed=0
for p in "${patches[@]}"; do
    name=$(basename "$p" .patch)
    total=$((total + 1))
    if ! patch -d "$tree" -s -p1 --dry-run <"$p" >/dev/null 2>&1; then
        echo "$name: SURVIVED (patch does not apply)"; continue
    fi
    patch -d "$tree" -s -p1 <"$p"
    if ! build; then
        echo "$name: SURVIVED (does not build; see $log/$name.build.txt)"
        cp "$log/build.txt" "$log/$name.build.txt"
    elif by=$(first_failing $(tests_of "$p")); then
        echo "$name: killed by $by"
        killed=$((killed + 1))
        cp "$log/last-prove.txt" "$log/$name.prove.txt"
    else
        echo "$name: SURVIVED ($(tests_of "$p") pass)"
    fi
    patch -d "$tree" -s -R -p1 <"$p"
done
build
echo "$total mutants, $killed killed"
[ "$total" = "$killed" ]
