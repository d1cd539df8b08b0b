#!/usr/bin/perl
# deepchain.pl - long chains: a 10 000-link linked list of hashes rooted in a package
# variable, a 10 000-deep nest of arrays held by a lexical, and a short registry chain
# (%REG) whose leaf identify reports through several (via RV) hops.
# With PMAT_CHAIN_LENGTH set (see deepchain_1m.pl) the list has that many links.
#   perl t/progs/deepchain.pl OUT.pmat
use strict;
use warnings;
use Devel::MAT::Dumper;
use POSIX ();

my $LINKS = $ENV{PMAT_CHAIN_LENGTH} || 10_000;

our $CHAIN;
for my $i ( reverse 1 .. $LINKS ) {
   $CHAIN = { n => $i, next => $CHAIN };
}
our $TAIL = $CHAIN;
$TAIL = $TAIL->{next} while $TAIL->{next};

my $nest = [ "innermost" ];
$nest = [ $nest ] for 1 .. ( $LINKS < 10_000 ? $LINKS : 10_000 );

our %REG = ( deep => { deeper => { deepest => [ "LEAF OF REG" ] } } );

Devel::MAT::Dumper::dump( $ARGV[0] );

# Freeing a very deep structure is slow and recursive: skip global destruction.
POSIX::_exit( 0 );
