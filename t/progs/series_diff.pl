#!/usr/bin/perl
# series_diff.pl - two dumps for pmat-diff: the second adds a subclass (new STASH with
# MRO caches), new data structures, and frees some data that existed in the first.
#   perl t/progs/series_diff.pl OUT-TEMPLATE      (writes %d = 1 and 2)
# pmat-test: series
use strict;
use warnings;
use Devel::MAT::Dumper;

my $template = shift @ARGV // die "usage: series_diff.pl OUT-%d.pmat\n";

package Base { sub new { bless {}, shift } sub hello { "hello" } }

package main;

our %DATA = ( before => [ 1, 2, 3 ], doomed => { gone => "soon" } );
our $OBJ = Base->new;

Devel::MAT::Dumper::dump( sprintf $template, 1 );

eval q{
   package Derived { our @ISA = ( 'Base' ); sub extra { "extra" } }
   1;
} or die $@;
our $DERIVED = Derived->new;
our $HELLO = $DERIVED->hello;
delete $DATA{doomed};
$DATA{after} = [ 4, [ 5 ], \"six" ];
our $NEW_SCALAR = 7;

Devel::MAT::Dumper::dump( sprintf $template, 2 );
