#!/bin/sh
# mkseeds.sh DIR — generate the seed corpus (never committed): tiny hand-made dumps of
# every format version and encoding (t/tools/mkdump.pl), compressed copies, and a real
# dump from Devel::MAT::Dumper cut down to its first few hundred records in several
# encodings (t/tools/pmat-rewrite.pl).
set -e
out=$1
top=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
mk="perl $top/t/tools/mkdump.pl"
rw="perl $top/t/tools/pmat-rewrite.pl"
for m in 0 1 2 3 4 5; do
    $mk --minor $m "$out/tiny-m$m.bin"
    $mk --minor $m --uint32 --ptr32 "$out/tiny-m$m-32.bin"
    $mk --minor $m --be "$out/tiny-m$m-be.bin"
done
$mk --nothreads --mortals "$out/tiny-nothreads-mortals.bin"
$mk --uint32 "$out/tiny-uint32.bin"
$mk --ptr32 --be "$out/tiny-ptr32-be.bin"
gzip -9c "$out/tiny-m4.bin" > "$out/tiny-m4.gz.bin"
if command -v zstd >/dev/null 2>&1; then zstd -q -19 -c "$out/tiny-m4.bin" > "$out/tiny-m4.zst.bin"; fi
if perl -MDevel::MAT::Dumper -e1 2>/dev/null && [ -f "$top/t/tools/pmat-rewrite.pl" ]; then
    real="$out/real.pmat.tmp"
    perl -MDevel::MAT::Dumper -e 'my %h = (a => [1, 2], b => \"x"); sub f { my $x = shift; sub { $x } }
        my $c = f(3); Devel::MAT::Dumper::dump(shift)' "$real"
    $rw --keep 400 "$real" "$out/real-400.bin"
    $rw --keep 400 --minor 5 "$real" "$out/real-400-m5.bin"
    $rw --keep 400 --minor 1 "$real" "$out/real-400-m1.bin"
    $rw --keep 400 --minor 0 --uint32 --ptr32 "$real" "$out/real-400-m0-32.bin"
    $rw --keep 400 --be "$real" "$out/real-400-be.bin"
    $rw --keep 2000 --minor 3 "$real" "$out/real-2000-m3.bin"
    rm -f "$real"
fi

# past finds and hand-made hazards are good starting points too
cp "$top"/t/data/fuzz-regress/* "$out/" 2>/dev/null || true
ls "$out" | wc -l | sed "s/^/seeds: /"
