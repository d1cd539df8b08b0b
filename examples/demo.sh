#!/bin/sh
# demo.sh - pmat finding a leak: runs examples/leaky.pl for 6 iterations (one heap dump
# each, into examples/out/), then looks at the dumps with pmat's own tools.
# Usage: examples/demo.sh          (PMAT_DUMPER=mat to dump with Devel::MAT::Dumper)
# Always exits 0; programs that are not built yet are reported as such.
cd "$(dirname "$0")/.." || exit 0
# dump with our own Devel::PMAT (built into perl/blib by make); PMAT_DUMPER=mat uses
# Devel::MAT::Dumper instead
export PMAT_DUMPER="${PMAT_DUMPER:-pmat}"

OUT=examples/out
rm -f "$OUT"/leaky-*.pmat

run() {
   printf '$ %s\n' "$*"
   if [ -x "$1" ]; then
      "$@" 2>&1
   else
      echo "(not built yet)"
   fi
   echo
}

printf '$ %s\n' "perl examples/leaky.pl --iterations 6 --out $OUT"
if ! perl examples/leaky.pl --iterations 6 --out "$OUT"; then
   echo "(leaky.pl failed: is the dumper installed? PMAT_DUMPER=$PMAT_DUMPER)"
   exit 0
fi
echo

LAST=$(ls "$OUT"/leaky-*.pmat 2>/dev/null | tail -n 1)
[ -n "$LAST" ] || { echo "(no dumps written)"; exit 0; }

run bin/pmat -q "$LAST" largest
# what keeps the most alive: the growing container comes first
run bin/pmat -q "$LAST" largest --retained 3 2
TOP=$(bin/pmat -q "$LAST" largest --retained 1 0 2>/dev/null | sed -n '1s/.* at \(0x[0-9a-f]*\).*/\1/p')
[ -n "$TOP" ] && run bin/pmat -q "$LAST" identify "$TOP"
run bin/pmat -q "$LAST" count
run bin/pmat -q "$LAST" find io
# leaked reference cycles: what no root reaches, grouped by class
run bin/pmat -q "$LAST" unreachable -v -c 3
run bin/pmat-leakreport --summary "$OUT"/leaky-*.pmat

printf '$ %s\n' "bin/pmat-leakreport -1 $OUT/leaky-*.pmat"
if [ -x bin/pmat-leakreport ]; then
   REPORT=$(bin/pmat-leakreport -1 "$OUT"/leaky-*.pmat 2>&1)
   printf '%s\n' "$REPORT"
   echo
   # Pick one leaked SV to explain: the file handle if listed, else a closure, else a hash.
   ADDR=""
   for kind in 'IO()' 'CODE(' 'HASH('; do
      ADDR=$(printf '%s\n' "$REPORT" | grep -F " $kind" | head -n 1 | sed -n 's/.* at \(0x[0-9a-f]*\).*/\1/p')
      [ -n "$ADDR" ] && break
   done
   [ -n "$ADDR" ] || ADDR=$(printf '%s\n' "$REPORT" | sed -n 's/.* at \(0x[0-9a-f]*\).*/\1/p' | head -n 1)
   if [ -n "$ADDR" ]; then
      run bin/pmat -q "$LAST" identify "$ADDR"
   fi
else
   echo "(not built yet)"
   echo
fi
exit 0
