#!/usr/bin/perl
# bin/pmat-counts against Devel::MAT 0.51's pmat-counts: the count table of each dump with
# the change since the previous one, over the examples/leaky.pl series, series_leak,
# series_diff and unrelated dumps (blessed packages shared between kinds, "(others)",
# C_STRUCTs), with every count option in any position, and the argument errors.
# Compared byte for byte.  --owned goes through the oracle with t/lib/PMATSizesFixes.pm
# as well (docs/compat.md "ownedonce": 0.51's owned sizes follow its hash order).
use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";

use Test::More;
use Digest::SHA qw( sha1_hex );
use File::Path qw( make_path );
use Storable qw( nstore retrieve );
use PMATTest;
use LeakSeries;

PMATTest::need_oracle( "pmat-counts" );
need_ours( "pmat-counts" );

my @ex = example_series();
my @sl = dump_series( "series_leak" );
my @sd = dump_series( "series_diff" );
my %d;
for my $name ( qw( scalars objects stashes helpers magic ) ) { $d{$name} = dump_of( $name ) }

sub same { same_as_oracle_prog( "pmat-counts", [ @_ ] ) }

# pmat-counts --owned: the oracle with the sizes fixes too (cached like run_oracle_prog).
sub same_owned
{
   my @args = @_;
   local $Test::Builder::Level = $Test::Builder::Level + 1;
   my $lib = repo_root() . "/t/lib";
   unless( -f "$lib/PMATSizesFixes.pm" ) {
      SKIP: { skip "t/lib/PMATSizesFixes.pm is not there", 1 }
      return;
   }
   my $key = sha1_hex( join "\0", PMATTest::_oracle_sig(), ( stat "$lib/PMATSizesFixes.pm" )[9],
      map { ( $_, -e $_ ? PMATTest::_dump_id( $_ ) : "" ) } @args );
   my $dir = "$PMATTest::TMP/oracle/progs";
   make_path( $dir );
   my $file = "$dir/pmat-counts-owned-$key.sto";
   my $want;
   if( -f $file ) { $want = retrieve( $file ) }
   else {
      $want = run_cmd( [ $^X, "-I$lib", "-MPMATFixes", "-MPMATSizesFixes",
         "$PMATTest::ORACLE_BINDIR/pmat-counts", @args ] );
      nstore $want, "$file.$$";
      rename "$file.$$", $file;
   }
   my $got = run_ours_prog( "pmat-counts", @args );
   is( $got->{out}, $want->{out},
      "pmat-counts " . join( " ", map { s{.*/}{}r } @args ) . " [sizes oracle]" );
}

subtest "examples/leaky.pl" => sub {
   same( @ex );
   same( "-b", @ex[ 0, 2, 5 ] );
   same( @ex[ 0, 5 ], "-S" );
   same_owned( "--owned", @ex[ 4, 5 ] );
   same( "--struct", @ex[ 0, 1 ] );
   my $res = run_ours_prog( "pmat-counts", @ex[ 0, 1 ] );
   like( $res->{out}, qr/^  \(total\) +\d+\(\+\d+\)/m, "the total grows" );
};

subtest "other series" => sub {
   same( @sl );
   same( "-b", "-S", @sl );
   same( @sd );
   same_owned( "-b", @sd, "--owned" );
};

subtest "unrelated dumps" => sub {
   same( "-b", @d{qw( objects stashes objects )} );
   same( "-b", "-S", @d{qw( scalars objects helpers )} );
   same( "--struct", "-b", @d{qw( magic objects )} );
   same( $d{scalars} );
};

subtest "arguments and errors" => sub {
   # no file: 0.51 prints nothing (exit 0); we print the usage and exit 2 (docs/compat.md,
   # t/cmd-count-packages.t)
   same( $d{scalars}, "0", $d{objects} );   # a false file name ends 0.51's loop
   same_as_oracle_prog( "pmat-counts", [ "-x", $d{scalars} ], stderr => 1 );
   same_as_oracle_prog( "pmat-counts", [ "--bogus", $d{scalars} ], stderr => 1 );
   same_as_oracle_prog( "pmat-counts", [ "--blessed=1", $d{scalars} ], stderr => 1 );
   same( $d{scalars}, "--", "-b" );
   same( "-bS", $d{scalars} );
   same( $d{scalars}, "/nonexistent/x.pmat", $d{objects} );
   my $res = run_ours_prog( "pmat-counts", $d{scalars}, "/nonexistent/x.pmat" );
   like( $res->{err}, qr{^pmat-counts: /nonexistent/x\.pmat: No such file or directory$}m, "load error format" );
   is( $res->{exit}, 2, "... exit 2" );
};

done_testing;
