#!/usr/bin/perl
# `elems [--count|-c N] ARRAY [STARTIDX]` and `values [--count|-c N] HASH [SKIPCOUNT]`
# against Devel::MAT 0.51 on every corpus dump: every array and hash the test program
# names, three SVs of each array/hash kind, --count and start/skip arguments (values
# pages of --count rows, all printed in batch mode), and every error message (wrong
# kind, bad option values, missing SV).  HASH previews and alias names follow hash
# order in 0.51 (PMATInspect::compare_inspect); where 0.51 dies previewing a NULL
# element we print NULL (docs/compat.md).
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use PMATTest;
use PMATInspect;

need_ours();

# Batch `elems`/`values` with an explicit -c N print one page, up to its "... (M more)"
# line (docs/compat.md "batch -c N"); 0.51 pages on to the end.  Those commands compare
# the first page, and t/cli-conventions.t checks that ours stops there.
sub first_page { my ( $t ) = @_; $t =~ s/^(  \.\.\. \(\d+ more\)\n).*\z/$1/ms; $t }
sub with_c { grep( { $_ eq "-c" or $_ eq "--count" } @{ $_[0] } ) ? ( filter => \&first_page ) : () }

# (under CI each case takes its turn of the variants: share_of; a wrong kind tries elems
# or values in turn)
my $seed = 0;
foreach my $prog ( all_progs() ) {
   my $dump = dump_of( $prog );
   my @cmds;
   foreach my $sym ( prog_symbols( $prog, $dump ) ) {
      if( $sym =~ m/^\@/ ) {
         push @cmds, share_of( $seed++, [ "elems", $sym ], [ "elems", "-c", 2, $sym ], [ "elems", $sym, 1 ],
            [ "elems", "--count", 1, $sym, 2 ] );
      }
      elsif( $sym =~ m/^%/ ) {
         push @cmds, share_of( $seed++, [ "values", $sym ], [ "values", "-c", 2, $sym ], [ "values", $sym, 1 ],
            [ "values", "--count", 3, $sym, 2 ] );
      }
   }
   foreach my $addr ( svs_of_kinds( $dump, 3, kinds => [ qw( ARRAY HASH STASH ) ] ) ) {
      push @cmds, [ "elems", $addr ], [ "values", $addr ], [ "values", "-c", 7, $addr ];
   }
   # the wrong kinds: one of each
   foreach my $addr ( svs_of_kinds( $dump, 1 ) ) {
      my @both = ( [ "elems", $addr ], [ "values", $addr ] );
      push @cmds, PMATTest::test_scale() < 1 ? $both[ $seed++ % 2 ] : @both;
   }
   push @cmds, [ "values", "defstash" ], [ "values", "-c", 3, "strtab" ],
      [ "elems", "mainstack" ], [ "elems", "-c", 0, "mainstack" ];
   oracle_many( $dump, \@cmds );
   compare_inspect( $dump, $_, stderr => 1, with_c( $_ ) ) for @cmds;
}

{
   my $dump = dump_of( "hashes" );
   same_as_oracle_many( $dump, [
      [ "elems" ], [ "values" ],
      [ "elems", "-c", "x", '@main::ARGV' ],
      [ "elems", "-c" ],
      [ "values", "--count", "1.5", "defstash" ],
      { cmd => [ "elems", "-c", "-1", "mainstack" ], filter => \&first_page },
      [ "elems", "defstash" ], [ "elems", "strtab" ], [ "values", "mainstack" ],
      [ "values", "main_cv" ], [ "elems", "main_cv" ],
      [ "elems", "mainstack", "10" ],
      [ "values", "defstash", "100000" ],
   ], stderr => 1 );
}

# A page size that cannot advance (--count 0, or negative: Perl's splice keeps that many
# keys back) makes 0.51 print the same "... (N more)" page forever in batch mode; we
# print the first page and stop (docs/compat.md).
{
   my $dump = dump_of( "hashes" );
   my ( $n ) = run_oracle( $dump, "show", "defstash" )->{out} =~ m/(\d+) values/;
   my $zero = run_cmd( [ $ENV{PMAT_BIN} // repo_root() . "/bin/pmat", "-q", $dump,
      "values", "-c", "0", "defstash" ], timeout => 60 );
   is( $zero->{out}, "  ... ($n more)\n", "hashes: values -c 0 defstash prints one page and stops" );
   my $neg = run_cmd( [ $ENV{PMAT_BIN} // repo_root() . "/bin/pmat", "-q", $dump,
      "values", "-c", "-2", "defstash" ], timeout => 60 );
   my @rows = $neg->{out} =~ m/^  \{/mg;
   is( scalar @rows, $n - 2, "hashes: values -c -2 defstash shows all but 2 keys" );
   like( $neg->{out}, qr/  \.\.\. \(2 more\)\n\z/, "... then stops after one '(2 more)'" );
}

done_testing;
