#!/usr/bin/perl
# cycles.pl - reference cycles: a self-referencing hash, a two-node cycle, a cycle through
# a closure (a sub capturing the variable that holds it), an object holding a callback
# that closes over the object, a self-containing array, a cycle broken by a weak link,
# unreachable (leaked) cycles of hashes and of closures, a value reached through two
# parents (identify's *A labels), and objects kept only by a lexical or only by a closure.
#   perl t/progs/cycles.pl OUT.pmat
use strict;
use warnings;
use Devel::MAT::Dumper;
use Scalar::Util qw( weaken );

# Reachable cycles.
my $self_cycle = { name => "SELF CYCLE" };
$self_cycle->{self} = $self_cycle;

my $c1 = { leaf => "TWO CYCLE LEAF" };
my $c2 = { back => $c1 };
$c1->{fwd} = $c2;

my $recursive_cb;
$recursive_cb = sub { my $n = shift; return $n <= 0 ? 0 : $recursive_cb->( $n - 1 ) };

my $obj_with_cb = bless { name => "OBJ WITH CALLBACK" }, "Has::Callback";
$obj_with_cb->{cb} = sub { return $obj_with_cb->{name} };

our @SELF_ARRAY;
push @SELF_ARRAY, \@SELF_ARRAY, "SELF ARRAY";

my $parent = { name => "WEAK PARENT" };
my $child  = { name => "WEAK CHILD", parent => $parent };
$parent->{child} = $child;
weaken( $child->{parent} );

# A value reachable via two parents, each reachable twice.
my $target = "SHARED TARGET";
my $h1 = { a => \$target };
my $h2 = { b => \$target };
my $p  = { h1 => $h1, h2 => $h2 };
my $holder = [ $p ];

# Unreachable cycles: nothing outside refers to them once the block ends.
{
   my $u1 = { name => "LEAKED CYCLE" };
   my $u2 = { u1 => $u1 };
   $u1->{u2} = $u2;
}
{
   my $leaked_cb;
   my $data = [ "LEAKED CLOSURE DATA" ];
   $leaked_cb = sub { my $me = $leaked_cb; return $data };
}
{
   my @ring;
   push @ring, { idx => $_ } for 0 .. 4;
   $ring[$_]{next} = $ring[ ( $_ + 1 ) % 5 ] for 0 .. 4;
}

# Objects held only by a lexical / only by a closure.
my $lexical_only = bless { name => "ONLY IN A LEXICAL" }, "Lonely::Object";
our $CLOSURE_ONLY_GETTER = do {
   my $hidden = bless { name => "ONLY IN A CLOSURE" }, "Hidden::Object";
   sub { $hidden };
};

our $USE = $recursive_cb->( 3 ) . $obj_with_cb->{cb}->();

Devel::MAT::Dumper::dump( $ARGV[0] );
