#!/usr/bin/perl
# classes.pl - `use feature 'class'` (perl >= 5.38): classes with fields of every sigil,
# field initialisers, :param, ADJUST blocks, inheritance (:isa), methods, 50 instances of
# one class, objects held by lexicals, arrays and hashes, an object referring to another,
# and the booleans of builtin (true/false values in fields, arrays and a hash).
#   perl t/progs/classes.pl OUT.pmat
# pmat-test: min-perl 5.038
use v5.38;
use experimental qw( class builtin );
use Devel::MAT::Dumper;

class Point {
   field $x :param = 0;
   field $y :param = 0;
   field @history;
   field %tags = ( kind => "point" );
   field $flag = builtin::true;
   ADJUST { push @history, "made" }
   method coords { return ( $x, $y ) }
   method move ( $dx, $dy ) { $x += $dx; $y += $dy; push @history, "moved"; return $self }
}

class Point3D :isa(Point) {
   field $z :param = 0;
   field $label = "p3";
   method z { $z }
}

class Node {
   field $value :param;
   field $next :param = undef;
   field $off = builtin::false;
   method value { $value }
}

our @POINTS = map { Point->new( x => $_, y => -$_ ) } 1 .. 50;
our $P3     = Point3D->new( x => 1, y => 2, z => 3 );
our $LIST   = Node->new( value => "a", next => Node->new( value => "b", next => Node->new( value => "c" ) ) );
our %BY_NAME = ( origin => Point->new, far => Point->new( x => 1e6, y => 1e6 ) );
our @BOOLS = ( builtin::true, builtin::false, !!1, !!0 );
our %FLAGS = ( on => builtin::true, off => builtin::false );
my $lexical = Point3D->new( z => 9 );
$POINTS[0]->move( 1, 1 );

Devel::MAT::Dumper::dump( $ARGV[0] );
print STDERR "" if $lexical;
