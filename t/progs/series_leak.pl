#!/usr/bin/perl
# series_leak.pl - a series of dumps of one process for pmat-leakreport / pmat-counts:
# each of 5 loop iterations does some work that is freed again, and on odd iterations
# also leaks a hash (and its contents) into a forgotten cycle; a dump is taken at the end
# of every iteration.
#   perl t/progs/series_leak.pl OUT-TEMPLATE      (OUT-TEMPLATE contains %d: 1..5)
# pmat-test: series
use strict;
use warnings;
use Devel::MAT::Dumper;

my $template = shift @ARGV // die "usage: series_leak.pl OUT-%d.pmat\n";
our @KEEP;

for my $iter ( 1 .. 5 ) {
   # Temporary work, freed at the end of the iteration.
   my %work = map { $_ => [ $_ x 3 ] } 1 .. 20;
   my $joined = join ",", map { @$_ } values %work;

   if( $iter % 2 ) {
      my $leak = { iteration => $iter, payload => "leaked in iteration $iter" };
      $leak->{self} = $leak;                  # a cycle: never freed
   }
   push @KEEP, "kept $iter" if $iter == 3;   # a deliberate, reachable survivor

   Devel::MAT::Dumper::dump( sprintf $template, $iter );
}
