#!/usr/bin/perl
# bin/pmat-list-orphans against Devel::MAT 0.51's pmat-list-orphans on every corpus dump
# and on the example series: the SVs with no incoming reference of any strength, no root
# and no stack entry, in the order of their decimal addresses compared as strings.
# Deterministic in 0.51 (sorted output), so compared byte for byte.
use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";

use Test::More;
use PMATTest;
use LeakSeries;

PMATTest::need_oracle( "pmat-list-orphans" );
need_ours( "pmat-list-orphans" );

for my $prog ( all_progs() ) {
   same_as_oracle_prog( "pmat-list-orphans", [ dump_of( $prog ) ] );
}
my @ex = example_series();
same_as_oracle_prog( "pmat-list-orphans", [ $_ ] ) for @ex[ 0, $#ex ];
same_as_oracle_prog( "pmat-list-orphans", [ dump_series( "series_diff" ) ],
   name => "extra arguments are ignored" );

my $res = run_ours_prog( "pmat-list-orphans", dump_of( "leaked" ) );
like( $res->{out}, qr/^HASH\(1\) at 0x/m, "leaked.pl: the hash leaked by refcount is an orphan" );

same_as_oracle_prog( "pmat-list-orphans", [], stderr => 1, name => "no file: Need dumpfile" );
same_as_oracle_prog( "pmat-list-orphans", [ "/nonexistent/x.pmat" ] );
same_as_oracle_prog( "pmat-list-orphans", [ "/" ], name => "a directory" );
{
   my $empty = "$PMATTest::TMP/leaktools-empty.pmat";
   open my $fh, ">", $empty or die; close $fh;
   same_as_oracle_prog( "pmat-list-orphans", [ $empty ], name => "an empty file" );
   # 0.51 reads a truncated dump without complaint (and reports garbage); we refuse it
   my $trunc = "$PMATTest::TMP/leaktools-truncated.pmat";
   open my $in, "<:raw", dump_of( "leaked" ) or die;
   read $in, my $buf, 100_000;
   open my $out, ">:raw", $trunc or die; print $out $buf; close $out;
   my $res = run_ours_prog( "pmat-list-orphans", $trunc );
   # (where the cut lands depends on the dump's bytes -- its PVs hold the checkout's path --
   # so the record it cuts may be one whose element count is checked first)
   like( $res->{err}, qr{^pmat-list-orphans: \S+truncated\.pmat: (?:unexpected end of file reading [^\n]+|[a-z ]+ count \d+ is larger than the file) at byte (\d+)$}m,
      "a truncated dump is a load error (docs/compat.md: Load errors)" );
   my ( $at ) = $res->{err} =~ m/ at byte (\d+)$/m;
   ok( defined $at && $at < 100_000 && $at > 100_000 - 4096, "... at a byte offset inside its last record" );
   is( $res->{out}, "", "... with no output" );
}
$res = run_ours_prog( "pmat-list-orphans", "$FindBin::Bin/progs/leaked.pl" );
like( $res->{err}, qr{^pmat-list-orphans: \S+leaked\.pl: File magic signature not found at byte 0$}m, "load error format" );
is( $res->{exit}, 2, "... exit 2" );

done_testing;
