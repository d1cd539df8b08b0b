#!/usr/bin/perl
# Builds a heap with every SV kind (on perl 5.38 and later also classes,
# fields and objects of `use feature 'class'`), then (3 subs deep, with
# `local`s, inside eval {} and eval "") dumps it back to back with
# Devel::MAT::Dumper and Devel::PMAT:
#   perl allkinds.pl DMD.pmat PMAT.pmat [FORMAT]
# FORMAT ("0.4", "0.5", "0.6") goes into $Devel::PMAT::FORMAT (so that both
# calls have the same arguments); without it the module's default is used.
use strict;
use warnings;
use Scalar::Util qw( weaken );
use POSIX ();
use Devel::MAT::Dumper;
use Devel::PMAT;

package My::Obj { sub new { my ( $c, %a ) = @_; bless {%a}, $c } sub DESTROY {} }
package My::Sub { our @ISA = ('My::Obj'); }
package My::Tie {
   sub TIEHASH { bless {}, shift } sub FETCH { 1 } sub STORE {}
   sub FIRSTKEY { } sub NEXTKEY { } sub DESTROY {}
}
package main;

our ( $DMD, $PMAT, $FORMAT ) = @ARGV;
$Devel::PMAT::FORMAT = $FORMAT if defined $FORMAT;

our $IV     = -5;
our $UV     = 18446744073709551615;
our $NV     = 3.25;
our $PV     = "hello world";
our $UTF8   = "caf\x{e9} \x{263a}";
our $LONG   = "x" x 1000;
our $DUAL   = POSIX::strtol("42", 10);
our $NUMSTR = "17"; { no warnings; my $n = $NUMSTR + 0; }
our $UNDEF  = undef;
our $TRUE   = !!1;
our $FALSE  = !!0;
our @LIST   = ( 1, 2.5, "three", undef, [ 4, 5 ] );
our %CONF   = ( name => "demo", list => [ 10, 20 ], nested => { x => 1 } );
our $OBJ    = My::Obj->new( id => 7 );
our $SUBOBJ = My::Sub->new( id => 8 );
our $CODEOBJ = bless sub { 1 }, 'My::Code';
our $WEAK   = $OBJ; weaken $WEAK;
our $CYCLE; $CYCLE = \$CYCLE;
our $STR    = "abcdefghij";
our $LV     = \substr( $STR, 2, 3 );
our $RE     = qr/^a(b+)c$/i;
our %TIED;  tie %TIED, 'My::Tie';
our @SPARSE; $SPARSE[5] = 1;
our $GLOBREF = \*STDOUT;
open our $FH, '<', $0 or die;
open our $OUT, '>', '/dev/null' or die;
use constant PI => 3.14159;
use constant LIST => ( 1, 2, 3 );
sub counter { my $n = shift; return sub { return $n++ } }
our $CLOSURE = counter(10);
sub state_user { use feature 'state'; state $seen = 0; return ++$seen }
state_user();
my %lexhash = ( a => 1, b => 2 );
my @lexarr  = ( 1 .. 10 );
our $S = "global S"; our @A = ( 1, 2, 3 ); our %H = ( k => "v" );
sub f { "orig f" }

# `use feature 'class'`: classes with scalar/array/hash fields, :param,
# ADJUST, a subclass, and 50 points. A class without fields only where the
# installed Devel::MAT::Dumper survives it (0.50 crashes on it).
our ( @POINTS, $EMPTY );
if( $] >= 5.038 ) {
   eval q{
      use feature 'class'; no warnings 'experimental::class';
      class My::Point {
         field $x :param = 0;
         field $y :param = 0;
         field @trail;
         field %seen = ( origin => 1 );
         ADJUST { push @trail, $x, $y }
         method coords { return ( $x, $y ) }
      }
      class My::Point3D :isa(My::Point) {
         field $z :param = 0;
         method z { $z }
      }
      1;
   } or die $@;
   @POINTS = ( ( map { My::Point->new( x => $_, y => -$_ ) } 1 .. 50 ),
               My::Point3D->new( x => 1, y => 2, z => 3 ) );
   if( Devel::MAT::Dumper->VERSION >= 0.51 ) {
      eval q{
         use feature 'class'; no warnings 'experimental::class';
         class My::Empty { method hello { "hi" } }
         1;
      } or die $@;
      $EMPTY = My::Empty->new;
   }
}

# Devel::MAT::Dumper 0.47 and later compute (and so cache) the linear @ISA
# of every object's class while they dump; do that first, so that both dumps
# see the same heap
require mro;
mro::get_linear_isa( $_ ) for qw( My::Obj My::Sub My::Tie My::Code IO::File ),
   $] >= 5.038 ? qw( My::Point My::Point3D ) : (), $EMPTY ? "My::Empty" : ();

format STDOUT =
@<<<<<< @>>>>>
$PV, $NV
.

sub level3 {
   my ( $x, $y ) = @_;
   local $S = "local S";
   local @A = ( 9 );
   local %H = ( lk => "lv" );
   local $A[0] = "elem";
   local $H{k} = "helem";
   no warnings 'redefine';
   local *f = sub { "local f" };
   local $_ = "underscore";
   # both calls in one statement after map's results, so that the same
   # mortals are alive for both
   my @mortal = ( map( { "tmp$_" } 1 .. 3 ),
      Devel::MAT::Dumper::dump( $DMD ), Devel::PMAT::dump( $PMAT ) );
   return $x + $y + scalar( keys %lexhash ) + @lexarr;
}
sub level2 { my $r = eval { level3( @_, 1 ) }; die $@ if $@; $r }
sub level1 { my @r = eval q{ level2( $_[0] ) }; die $@ if $@; @r }
level1( 41 );
