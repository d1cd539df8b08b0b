#!/usr/bin/perl
# objects.pl - blessed objects of several classes and shapes: a small class hierarchy,
# objects inside containers (arrays of objects, hashes of objects), objects referring to
# each other, a blessed CODE ref, blessed scalars/arrays/regexps/globs, an object with
# overloading, objects held only by a lexical, a singleton held by a class variable, an
# inside-out object registry, and many instances of one class (count -b, find blessed).
#   perl t/progs/objects.pl OUT.pmat
use strict;
use warnings;
use Devel::MAT::Dumper;

package Shape {
   our $COUNT = 0;
   sub new { my ( $class, %a ) = @_; $COUNT++; return bless { %a }, $class }
   sub area { 0 }
}
package Shape::Circle { our @ISA = ( 'Shape' ); sub area { 3.14159 * $_[0]{r} ** 2 } }
package Shape::Square { our @ISA = ( 'Shape' ); sub area { $_[0]{side} ** 2 } }
package Point { sub new { my ( $c, $x, $y ) = @_; return bless [ $x, $y ], $c } }
package Counter { sub new { my $v = $_[1]; return bless \$v, $_[0] } }
package Callable { sub new { my $n = $_[1]; return bless sub { "called $n" }, $_[0] } }
package Stringy {
   use overload '""' => sub { "Stringy(" . $_[0]{v} . ")" }, fallback => 1;
   sub new { return bless { v => $_[1] }, $_[0] }
}
package Singleton { my $instance; sub instance { $instance //= bless { one => 1 }, shift } }
package Registry {
   my %data;    # inside-out storage keyed by refaddr
   sub new { my $self = bless \( my $dummy ), shift; $data{ 0 + $self } = { secret => "inside-out" }; return $self }
}
package Node {
   sub new { my ( $c, $name ) = @_; return bless { name => $name, children => [] }, $c }
   sub add { my ( $self, $child ) = @_; push @{ $self->{children} }, $child; $child->{parent} = $self; return $child }
}

package main;

our @SHAPES = ( map( { Shape::Circle->new( r => $_ ) } 1 .. 5 ),
                map( { Shape::Square->new( side => $_ ) } 1 .. 3 ) );
our %BY_NAME = ( origin => Point->new( 0, 0 ), unit => Point->new( 1, 1 ) );
our $COUNTER = Counter->new( 7 );
our $CALLABLE = Callable->new( "cb" );
our $STRINGY = Stringy->new( "v" );
our $STRINGIFIED = "$STRINGY";
our $SINGLETON = Singleton->instance;
our @REGISTERED = map { Registry->new } 1 .. 3;
our $RE_OBJ = bless qr/pattern/, "Pattern::Object";
our $GLOB_OBJ = do { no warnings 'once'; bless \*main::GLOB_FOR_OBJ, "Glob::Object" };
our @MANY = map { Shape->new( id => $_ ) } 1 .. 50;

our $TREE = Node->new( "root" );
$TREE->add( Node->new( "child$_" ) )->add( Node->new( "grandchild$_" ) ) for 1 .. 3;

my $only_lexical = Shape::Circle->new( r => 99, note => "only in a lexical" );

Devel::MAT::Dumper::dump( $ARGV[0] );
