#!/usr/bin/perl
# A heap of more than a million SVs of mixed kinds, dumped back to back by
# Devel::MAT::Dumper and Devel::PMAT; Devel::PMAT::count_svs() at the same
# moment goes to the third file as "KIND COUNT" lines.
#   perl bigheap.pl DMD.pmat PMAT.pmat COUNTS.txt [FORMAT]
use strict;
use warnings;
use Devel::MAT::Dumper;
use Devel::PMAT;
use Scalar::Util qw( weaken );

my ( $dmd, $pmat, $counts, $format ) = @ARGV;
$Devel::PMAT::FORMAT = $format if defined $format;
package Node { sub new { bless { id => $_[1] }, $_[0] } }
my @keep;
for my $i ( 1 .. 110_000 ) {
   my $node = Node->new( $i );                 # REF + HASH + IV
   $node->{name} = "node number $i";           # PV
   $node->{list} = [ $i, $i * 0.5, "s$i" ];    # REF + ARRAY + IV + NV + PV
   $node->{code} = sub { $i } if $i % 100 == 0;
   my $w = $node; weaken $w if $i % 7 == 0;
   push @keep, $node;
}
my %big = map { ( "k$_" => $_ ) } 1 .. 50_000;
open my $cfh, '>', $counts or die;
my $c = Devel::PMAT::count_svs();
Devel::MAT::Dumper::dump( $dmd );
Devel::PMAT::dump( $pmat );
print $cfh "$_ $c->{$_}\n" for sort keys %$c;
close $cfh;
