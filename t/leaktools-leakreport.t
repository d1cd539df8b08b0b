#!/usr/bin/perl
# bin/pmat-leakreport against Devel::MAT 0.51's pmat-leakreport: the dump series of
# examples/leaky.pl (a self-referencing closure, an unreachable cycle, an UNDEF kept by a
# forgotten container and an IO held by a closure cycle leaked per iteration) and of
# t/progs/series_leak.pl,
# subsets of them, unrelated dumps as a "series", -1/--onefile anywhere on the line,
# option errors and load errors.
#
# Within one LEAK[n] index Devel::MAT prints in Perl hash order (random per run), so
# outputs are compared as sorted lines; a separate check pins our own order (by index,
# then by address).
use strict;
use warnings;
no warnings "portable";

use FindBin;
use lib "$FindBin::Bin/lib";

use Test::More;
use PMATTest;
use LeakSeries;

PMATTest::need_oracle( "pmat-leakreport" );
need_ours( "pmat-leakreport" );

my $HASH_ORDER = "within one LEAK[n] index 0.51 prints in Perl hash order";

sub same_sorted
{
   my ( $args, %opt ) = @_;
   local $Test::Builder::Level = $Test::Builder::Level + 1;
   same_as_oracle_prog( "pmat-leakreport", $args, sorted => $HASH_ORDER, %opt );
}

# Our own order: indices ascending, addresses ascending within an index.
sub our_order_ok
{
   my ( $args, $name ) = @_;
   my $res = run_ours_prog( "pmat-leakreport", @$args );
   my @keys = map { m/^LEAK\[(\d+)\] .* at 0x([0-9a-f]+)$/ ? [ $1, hex $2 ] : [ -1, -1 ] }
      split m/\n/, $res->{out};
   my $sorted = 1;
   for my $i ( 1 .. $#keys ) {
      my ( $p, $c ) = @keys[ $i - 1, $i ];
      $sorted = 0 if $c->[0] < $p->[0] or ( $c->[0] == $p->[0] and $c->[1] <= $p->[1] );
   }
   ok( $sorted && !grep( { $_->[0] < 0 } @keys ) && @keys, $name )
      or diag $res->{out} . $res->{err};
}

my @ex = example_series();
my @sl = dump_series( "series_leak" );
my @sd = dump_series( "series_diff" );

subtest "examples/leaky.pl" => sub {
   same_sorted( [ @ex ] );
   same_sorted( [ "-1", @ex ] );
   same_sorted( [ @ex, "--onefile" ], name => "pmat-leakreport FILES... --onefile (options anywhere)" );
   same_sorted( [ @ex[ 0 .. 2 ] ] );
   same_sorted( [ @ex[ 1 .. 5 ] ] );
   same_sorted( [ @ex[ 0, 2, 4, 5 ] ] );
   same_sorted( [ @ex[ 0, 5 ] ], name => "two files: nothing can be reported" );
   same_sorted( [ $ex[3] ], name => "one file" );
   same_sorted( [ reverse @ex ], name => "the series backwards" );
   our_order_ok( [ @ex ], "our order: by index, then by address" );

   my $res = run_ours_prog( "pmat-leakreport", @ex );
   my %per_index;
   $per_index{$1}++ while $res->{out} =~ m/^LEAK\[(\d+)\]/mg;
   is_deeply( [ sort keys %per_index ], [ 2 .. $#ex ], "leaks reported for every middle iteration" );
   like( $res->{out}, qr/^LEAK\[2\] CODE\(PP,closure\) at 0x/m, "the self-referencing closure is found" );
   like( $res->{out}, qr/^LEAK\[2\] UNDEF\(\) at 0x/m, "... and UNDEF scalars" );
   like( $res->{out}, qr/^LEAK\[2\] HASH\(2\) at 0x/m, "... and the cycle's hashes" );
   like( $res->{out}, qr/^LEAK\[2\] IO\(\) at 0x/m, "... and the file handle" );
};

subtest "t/progs/series_leak.pl" => sub {
   same_sorted( [ @sl ] );
   same_sorted( [ "-1", @sl ] );
   same_sorted( [ "--ONE", @sl ], name => "pmat-leakreport --ONE (abbreviated, any case)" );
   same_sorted( [ @sl[ 0, 1, 3, 4 ] ] );
   same_sorted( [ @sl[ 2 .. 4 ] ] );
   our_order_ok( [ @sl ], "our order on series_leak" );
};

subtest "unrelated dumps as a series" => sub {
   my @d;
   for my $prog ( qw( scalars hashes refs cycles code ) ) { push @d, dump_of( $prog ) }
   same_sorted( [ @d ] );
   same_sorted( [ "-1", @d ] );
   same_sorted( [ $sd[0], $sl[0], $ex[0], $sd[1] ] );
};

subtest "C_STRUCTs (docs/compat.md: 0.51 dies on them)" => sub {
   my $h = dump_of( "helpers" );
   my $s = dump_of( "scalars" );
   my $res = run_ours_prog( "pmat-leakreport", $s, $h, $h );
   is( $res->{exit}, 0, "a series with C_STRUCTs is reported" ) or diag $res->{err};
   like( $res->{out}, qr/^LEAK\[2\] C_STRUCT\(\S+\) at 0x/m, "... C_STRUCTs included" );
   my $want = run_oracle_prog( "pmat-leakreport", $s, $h, $h );
   like( PMATTest::strip_perl_locations( $want->{err} ),
      qr/^Can't locate object method "basetype" via package "Devel::MAT::SV::C_STRUCT"$/m,
      "(0.51 dies)" );
};

subtest "arguments and errors" => sub {
   # a file name that is false to Perl ("0", "") ends 0.51's file loop
   same_sorted( [ @ex[ 0 .. 2 ], "0", $ex[3] ], name => "a file named 0 ends the list" );
   same_sorted( [ @ex[ 0 .. 3 ], "", "/nonexistent" ], name => "so does an empty name" );
   same_as_oracle_prog( "pmat-leakreport", [ "-x", @ex ], stderr => 1 );
   same_as_oracle_prog( "pmat-leakreport", [ "-X", "--bogus", $ex[0] ], stderr => 1 );
   same_as_oracle_prog( "pmat-leakreport", [ "--onefile=1", $ex[0] ], stderr => 1 );
   same_as_oracle_prog( "pmat-leakreport", [ "-1=yes", $ex[0] ], stderr => 1 );
   same_as_oracle_prog( "pmat-leakreport", [ "--", "-1", $ex[0] ], name => "-- ends the options" );
   same_as_oracle_prog( "pmat-leakreport", [], name => "no files" );
   same_as_oracle_prog( "pmat-leakreport", [ "/nonexistent/a.pmat", @ex ] );
   same_as_oracle_prog( "pmat-leakreport", [ @ex[ 0 .. 2 ], "/nonexistent/a.pmat", @ex[ 3 .. 5 ] ] );
   same_as_oracle_prog( "pmat-leakreport", [ @ex, "$FindBin::Bin/progs/series_leak.pl" ],
      name => "a file that is not a dump, last" );

   my $res = run_ours_prog( "pmat-leakreport", @ex[ 0 .. 1 ], "/nonexistent/a.pmat" );
   like( $res->{err}, qr{^pmat-leakreport: /nonexistent/a\.pmat: No such file or directory$}m, "load error names program and file" );
   is( $res->{exit}, 2, "... exit status 2" );
   $res = run_ours_prog( "pmat-leakreport", "$FindBin::Bin/progs/series_leak.pl" );
   like( $res->{err}, qr{^pmat-leakreport: \S+series_leak\.pl: File magic signature not found at byte 0$}m, "... with the byte offset" );
   $res = run_ours_prog( "pmat-leakreport" );
   is( $res->{err}, "Need dumpfile\n", "no files: Need dumpfile" );
};

done_testing;
