#!/usr/bin/perl
# refgraph.pl - shapes for outrefs/inrefs/identify: an object reachable only from the
# value stack (an argument of the sub that dumps), mortals, a REF held by two pads (not
# elided), a hash holding both a REF and a ref to that REF (0.51's "value {k} via RV"
# bookkeeping), weak references (single and in a back-reference list), a cycle through a
# closure's captured variable, a recursive sub whose deeper pads are not at the CV's
# current depth ("at depth  of"), a node reached at two depths (EDEPTH cut-offs that
# depend on traversal order), a ladder of shared parents (several *ID labels) and a
# 200-link chain of arrays (identify -d 3 / -d 10 cut-offs).
#   perl t/progs/refgraph.pl OUT.pmat
use strict;
use warnings;
use Devel::MAT::Dumper;
use Scalar::Util qw( weaken );

our $FILE = $ARGV[0];

# A REF held by two pads: identify cannot elide it.
our $SHARED_REF_TARGET = { name => "TWO PAD REF TARGET" };
sub hold_twice
{
   my $r = shift;
   my $again = $r;
   return sub { $again };
}
my $held = hold_twice( \$SHARED_REF_TARGET );

# A hash whose value is a REF, and another value that is a ref to that REF.
my $inner = [ "VIA RV INNER" ];
my %via;
$via{direct} = $inner;
$via{refref} = \$via{direct};
our $VIA = \%via;

# Weak references: a single back-reference, and a list of them.
our $WEAK_TARGET = { name => "WEAK TARGET" };
our $WEAK_ONE = $WEAK_TARGET;
weaken( $WEAK_ONE );
our $MANY_TARGET = { name => "MANY WEAK" };
our @WEAK_MANY = map { my $w = $MANY_TARGET; weaken( $w ); $w } 1 .. 3;

# A closure capturing the variable that holds it, with data hanging off it.
my $cb;
my $cb_data = { name => "CLOSURE CYCLE DATA" };
$cb = sub { return ( $cb, $cb_data ) };

# A ladder: every rung shared by two parents, so identify hands out several *IDs.
my $ladder_leaf = "LADDER LEAF";
my @rungs = ( [ \$ladder_leaf ] );
push @rungs, [ $rungs[-1], [ $rungs[-1] ] ] for 1 .. 5;
our $LADDER = $rungs[-1];

# A node reached at two depths.
my $deep_node = { name => "TWO DEPTHS" };
our $SHORT = [ $deep_node ];
our $LONG = [ [ [ [ [ $deep_node ] ] ] ] ];

# A 200-link chain of arrays held by a package variable.
our $CHAIN = [ "CHAIN END" ];
$CHAIN = [ $CHAIN ] for 1 .. 200;

# An object reachable only from the value stack, and mortals, while dumping from a
# recursive sub (its deeper pads are not the CV's pad at depth 1).
sub recurse
{
   my $n = $_[0];
   my $local_copy = "RECURSE $n";
   return recurse( $n - 1, $_[1] ) if $n > 0;
   Devel::MAT::Dumper::dump( $FILE );
   return $local_copy;
}
recurse( 3, bless( { name => "ON THE STACK ONLY" }, "Stack::Only" ) );
