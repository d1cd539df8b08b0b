#!/usr/bin/perl
# dominators.pl - shapes for the dominator tree: a container that alone owns a big
# subtree, two containers sharing a subgraph (neither dominates it), a cycle owned by
# one lexical, a weakly-referenced object (the weak ref must not keep it), a long chain,
# an object only on the call stack, and a leaked (unreachable) cycle.
#   perl t/progs/dominators.pl OUT.pmat
use strict;
use warnings;
use Devel::MAT::Dumper;
use Scalar::Util qw( weaken );

package Owner  { sub new { my ( $c, %a ) = @_; bless {%a}, $c } }
package Widget { sub new { my ( $c, %a ) = @_; bless {%a}, $c } }

my $owner = Owner->new( items => [ map { Widget->new( id => $_, buf => "x" x ( 100 * $_ ) ) } 1 .. 20 ] );
my $shared = { data => [ 1 .. 50 ] };
my $left   = { name => "LEFT",  shared => $shared };
my $right  = { name => "RIGHT", shared => $shared };
my $ring = { name => "RING" }; $ring->{next} = { name => "RING2", next => $ring };
my $weakly = Widget->new( id => "weak" );
my $watcher = { target => $weakly }; weaken( $watcher->{target} );
undef $weakly;   # only the weak reference remains: freed, so not in the dump
my $strong = Widget->new( id => "strong" );
my $watcher2 = { target => $strong }; weaken( $watcher2->{target} );
my $chain = {}; { my $c = $chain; $c = $c->{next} = { n => $_ } for 1 .. 300; }
{ my $leak = { name => "LEAKED" }; $leak->{self} = $leak; }
our %REGISTRY = ( owner => $owner );

sub on_stack { my ( $obj ) = @_; Devel::MAT::Dumper::dump( $ARGV[0] ); }
on_stack( Owner->new( name => "ONLY ON THE STACK", blob => "y" x 5000 ) );
