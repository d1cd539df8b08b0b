#!/usr/bin/perl
# Fifty objects of a `use feature 'class'` class (on perls before 5.38, where
# there is none, fifty blessed hashes), dumped back to back by
# Devel::MAT::Dumper and by Devel::PMAT in each format, with count_svs()
# taken just before:
#   perl points.pl DIR
# writes DIR/dmd.pmat, DIR/pmat.pmat (our default format), DIR/pmat-0.5.pmat,
# DIR/pmat-0.4.pmat and DIR/count_svs.txt ("KIND COUNT" lines).
use strict;
use warnings;
use Devel::MAT::Dumper;
use Devel::PMAT;

my ( $dir ) = @ARGV;
our @POINTS;
if( $] >= 5.038 ) {
   eval q{
      use feature 'class'; no warnings 'experimental::class';
      class Point {
         field $x :param;
         field $y :param;
         method coords { return ( $x, $y ) }
      }
      1;
   } or die $@;
   @POINTS = map { Point->new( x => $_, y => 2 * $_ ) } 1 .. 50;
}
else {
   @POINTS = map { bless { x => $_, y => 2 * $_ }, "Point" } 1 .. 50;
}
# Devel::MAT::Dumper caches the linear @ISA of each object's class as it
# dumps; do it first so that every dump sees the same heap
require mro;
mro::get_linear_isa( "Point" );

my $counts = Devel::PMAT::count_svs();
Devel::MAT::Dumper::dump( "$dir/dmd.pmat" );
Devel::PMAT::dump( "$dir/pmat.pmat" );
Devel::PMAT::dump( "$dir/pmat-0.5.pmat", format => "0.5" );
Devel::PMAT::dump( "$dir/pmat-0.4.pmat", format => "0.4" );
open my $fh, ">", "$dir/count_svs.txt" or die "Cannot write $dir/count_svs.txt - $!";
print $fh "$_ $counts->{$_}\n" for sort keys %$counts;
close $fh or die;
