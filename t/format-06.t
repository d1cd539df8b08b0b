#!/usr/bin/perl
# Format 0.6 (Devel::MAT::Dumper 0.48 and later) and the records no available perl writes.
#
# * The tiny hand-made dump of t/tools/mkdump.pl at --minor 6, in three encodings: shared-HEK
#   pointers in GLOB and CODE headers and hash bodies, SVx 0x89 (PV_SHARED_HEK), SVx 0x8A
#   (MAGICv2, Devel::MAT::Dumper 0.52) with a strong and a weak AUXSV, and SVx 0x8B, a type
#   no reader knows, which must be skipped by its size-table entry with one warning.  It
#   loads; the references it implies (MagicV2 auxsv/keysv/userstruct, saved values) are
#   those of Devel::MAT 0.56 (the sid root) on the same file.
# * Damage: every truncation of it fails with exit 2 and a byte offset; an SVx type beyond
#   the size table is refused as Devel::MAT refuses it.
# * Real dumps by Devel::MAT::Dumper 0.50 (trixie, perl 5.40) and 0.52 (sid, perl 5.42)
#   load, and `count`/`summary` equal that root's Devel::MAT.
use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";
use File::Path qw( make_path );
use Test::More;
use PMATTest;
use PMATRoots;

need_ours();
my $ROOT = repo_root();
my $DIR  = "$ROOT/t/tmp/format-06";
make_path( $DIR );
my $MK = "$ROOT/t/tools/mkdump.pl";

sub slurp { open my $fh, "<:raw", $_[0] or die "$_[0]: $!"; local $/; scalar <$fh> }
sub spew  { open my $fh, ">:raw", $_[0] or die "$_[0]: $!"; print $fh $_[1]; close $fh or die; $_[0] }

my $WARN = "Support for class features in PMAT file is experimental\nSkipping unrecognised SVx 0x8B\n";

my %tiny;
for my $enc ( [ "le64", [] ], [ "32", [ "--uint32", "--ptr32" ] ], [ "be", [ "--be" ] ] ) {
   my ( $name, $args ) = @$enc;
   my $f = "$DIR/tiny-$name.pmat";
   system( $^X, $MK, "--minor", 6, "--boundaries", "$f.b", @$args, $f ) == 0 or BAIL_OUT( "mkdump.pl failed" );
   $tiny{$name} = $f;
   my $r = run_ours( $f, "count" );
   is( $r->{exit}, 0, "tiny 0.6 $name: loads" );
   is( $r->{err}, $WARN, "tiny 0.6 $name: one warning for the unknown SVx type, one for the class records" );
   like( $r->{out}, qr/^  \(total\)\s+42\s/m, "tiny 0.6 $name: every SV read" );
}

# the same heap, whatever the encoding: every SV's outgoing references
{
   # mkdump.pl's addresses: 0x10000 + 0x18 * N (a few N are no SV: both say so alike)
   my @addrs = map { sprintf "0x%x", 0x10000 + 0x18 * $_ } 1 .. 48;
   for my $a ( @addrs ) {
      my $le = run_ours( $tiny{le64}, "outrefs", "--all", $a )->{out};
      is( run_ours( $tiny{be}, "outrefs", "--all", $a )->{out}, $le, "big-endian: outrefs --all $a" );
   }
}

# MagicV2 references, shared HEK pointers: a known shape, then the oracle
{
   my $out = run_ours( $tiny{le64}, "outrefs", "--all", "0x10330" )->{out};
   like( $out, qr/^s  MagicV2 auxsv\s+SCALAR\(PV\) at 0x10360$/m, "MagicV2 auxsv is strong" );
   like( $out, qr/^s  MagicV2 keysv\s+SCALAR\(PV\) at 0x10378$/m, "MagicV2 keysv" );
   like( $out, qr/^s  MagicV2 userstruct\s+SCALAR\(PV\) at 0x10468$/m, "MagicV2 userstruct" );
   like( run_ours( $tiny{le64}, "outrefs", "--all", "0x10378" )->{out},
      qr/^w  MagicV2 auxsv\s+SCALAR\(UV,PV\) at 0x100d8=-weak root$/m, "a WEAK_AUXSV auxsv is weak" );
   unlike( run_ours( $tiny{le64}, "outrefs", "0x10378" )->{out}, qr/MagicV2/,
      "... and not listed among the strong ones" );
}

# ---- damage ----
{
   my $B = slurp( $tiny{le64} );
   my @marks = map { [ split ' ', $_, 2 ] } split m/\n/, slurp( "$tiny{le64}.b" );
   my $bad = 0;
   for my $m ( @marks ) {
      my $cut = $m->[0] + 1;
      next if $cut >= length $B || $m->[1] eq "contexts end";
      my $f = spew( "$DIR/cut.pmat", substr( $B, 0, $cut ) );
      my $r = run_ours( $f, "summary" );
      $bad++, diag( "cut in $m->[1] at $cut: exit $r->{exit} signal $r->{signal}: $r->{err}" )
         unless !$r->{signal} && $r->{exit} == 2 && $r->{err} =~ m/ at byte (\d+)\n\z/ && $1 <= $cut;
   }
   is( $bad, 0, "every truncation of the 0.6 dump fails with exit 2 and a byte offset (" . @marks . " cuts)" );

   # an SVx record of a type beyond the file's own size table cannot be skipped
   my ( $at ) = map { $_->[0] } grep { $_->[1] eq "SVx 8B record" } @marks;
   my $f = spew( "$DIR/svx-8c.pmat", substr( $B, 0, $at ) . "\x8C" . substr( $B, $at + 1 ) );
   my $r = run_ours( $f, "summary" );
   is( $r->{exit}, 2, "SVx 0x8C beyond the size table: exit 2" );
   is( $r->{err}, "pmat: $f: Unrecognised SV extension type 8c at byte $at\n", "... with Devel::MAT's message" );
}

# ---- the oracle: Devel::MAT 0.56 in the sid root ----
SKIP: {
   skip PMATRoots::why_missing( "sid" ), 1 unless PMATRoots::present( "sid" );
   local $PMATTest::SUITE = "sid";
   my @addrs = map { $_->{addr} } @{ sv_list( $tiny{le64} ) };
   same_as_oracle_many( $tiny{le64}, [ [ "summary" ],
      map { ( [ "outrefs", $_ ], [ "outrefs", "--all", $_ ],
              { cmd => [ "inrefs", "--all", $_ ], sorted => "Devel::MAT lists inrefs in its heap-hash order" } ) } @addrs ] );
}

# ---- real dumps of today's dumpers ----
for my $suite ( @PMATRoots::SUITES ) {
   SKIP: {
      skip PMATRoots::why_missing( $suite ), 1 unless PMATRoots::present( $suite );
      local $PMATTest::SUITE = $suite;
      my $dump = dump_of( "refs", suite => $suite );
      is( unpack( "x7 C", slurp( $dump ) ), 6, "[$suite] Devel::MAT::Dumper writes format 0.6" );
      same_as_oracle_many( $dump, [ [ "summary" ], [ "count" ] ] );
      # Devel::MAT 0.56 warns about mortals naming freed SVs on every such dump; we do
      # not (docs/compat.md "mortals")
      is( run_ours( $dump, "summary" )->{err}, "", "[$suite] no warnings on the real dumps" );
   }
}

done_testing;
