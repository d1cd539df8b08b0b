#!/usr/bin/perl
# `count` on every corpus dump with every option combination, against the oracle.
#
# count's output is deterministic in Devel::MAT 0.51 (rows sorted by kind, packages by
# count then name), so every comparison is exact.  With --owned the sums use owned sizes,
# which pmat defines with each SV counted once (docs/compat.md "owned size"): those are
# compared exactly with the sizes oracle (t/lib/PMATSizes.pm: Devel::MAT with that one
# change), and with the plain oracle too wherever no owned set can count an SV twice.
use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";

use Test::More;
use PMATTest;
use PMATSizes;

PMATTest::need_oracle();
need_ours();

my @COUNT = (
   [ "count" ],
   [ "count", "-b" ],
   [ "count", "--blessed" ],
   [ "count", "-S" ],
   [ "count", "--scalars", "--blessed" ],
   [ "count", "-b", "-S" ],
   [ "count", "--struct" ],
   [ "count", "--struct", "-b", "-S" ],
   [ "count", "--owned" ],
   [ "count", "--owned", "-S", "-b" ],
   [ "count", "--struct", "--owned" ],   # owned wins
);

my %total = ( exact => 0, ties => 0, dups => 0 );
my $ncmds = 0;
my $prog_no = 0;
foreach my $prog ( all_progs() ) {
   my $dump = dump_of( $prog );
   # (under CI each dump takes its turn of the variants: share_of)
   my @cmds = share_of( $prog_no++, @COUNT );
   if( $prog =~ m/^deepchain/ ) {
      # Devel::MAT computes every owned set separately: quadratic on a 10 000-link chain
      # (hours).  Our whole-heap owned sizes on this dump are checked against per-SV
      # walks by t/unit/sizes.c (run from t/cmd-sizes.t), and those against the oracle.
      @cmds = grep { !grep { $_ eq "--owned" } @$_ } @cmds;
   }
   if( @{ sv_list( $dump ) } > 50_000 ) {
      # ~25 s of Devel::MAT CPU per --owned command and oracle on a 100 000-SV dump
      my $kept = 0;
      @cmds = grep { !( grep { $_ eq "--owned" } @$_ ) or !$kept++ } @cmds;
   }
   $ncmds += @cmds;
   subtest $prog => sub {
      my $stats = same_as_sizes_oracle( $dump, \@cmds );
      $total{$_} += $stats->{$_} for keys %$stats;
      is( $stats->{ties}, 0, "count never ranks by size" );
   };
}

# Devel::MAT's own order for package rows: count descending, then name (sizes.pl has 13
# packages with tied counts, so "(others)" appears too).
{
   my $dump = dump_of( "sizes" );
   my $res = run_ours( $dump, "count", "-b" );
   my @pkgs = $res->{out} =~ m/^      (Sz::Pkg\d+)\s+0\s+(\d+)/mg;
   my @pairs;
   push @pairs, [ splice @pkgs, 0, 2 ] while @pkgs;
   cmp_ok( scalar @pairs, ">=", 8, "Sz:: packages listed under HASH" );
   is_deeply( [ map { $_->[0] } @pairs ],
              [ map { $_->[0] } sort { $b->[1] <=> $a->[1] or $a->[0] cmp $b->[0] } @pairs ],
              "sorted by count descending, then name" );
   like( $res->{out}, qr/^      \(others\)\s+0\s+\d+\s+0 bytes\s/m, "(others) after 10 packages" );
}

# our --retained option is an addition (docs/compat.md "extensions")
same_as_oracle( dump_of( "refs" ), [ "help", "count" ], filter => \&PMATTest::without_extensions );
same_as_oracle( dump_of( "refs" ), [ "count", "--nope" ], stderr => 1 );

note "$ncmds commands; plain oracle compared exactly: $total{exact}; not comparable (an owned set reaching an SV twice): $total{dups}";
cmp_ok( $total{exact}, ">=", 0.6 * $ncmds, "most commands compared with the plain oracle too" );

done_testing;
