#!/usr/bin/perl
# code.pl - CODE in all forms: named subs (in a glob, and stored as a code ref directly in
# the stash), XSUBs, closures and their protosubs, constant subs (scalar and list, inlined
# and `use constant`), state variables, our variables, lexical (my/state) subs, recursion
# that leaves pads at depths 2..5, subs compiled by eval STRING, forward declarations,
# prototypes and attributes, aliased subs, named anon subs, a blessed CODE ref, subs
# whose glob was removed, sort blocks (*a / *b), and inactive lexicals for `find lexical -I`.
#   perl t/progs/code.pl OUT.pmat
use strict;
use warnings;
use feature qw( state lexical_subs );
no warnings qw( experimental::lexical_subs );
use Devel::MAT::Dumper;
use Scalar::Util qw( blessed reftype );
use List::Util qw( sum max );
use Sub::Util qw( set_subname );

use constant PI    => 3.14159;
use constant LIST  => ( 1, 2, 3 );
use constant EMPTY => ();
use constant NAME  => "constant name";
use constant { ALPHA => 1, BETA => 2 };
sub ANSWER() { 42 }
sub UNDEF_CONST() { undef }

my $file_lexical = "captured by a named sub";
my $unused_lexical = "not captured";

# A named sub defined before any other mention: perl stores it as a code ref in %main::.
sub stored_as_ref { return "stored as ref" }

# A named sub whose glob exists because it is referenced before it is defined.
our $EARLY_REF = \&globbed;
sub globbed { my ( $x, $y ) = @_; return $x + $y + 1 }

sub uses_file_lexical { return $file_lexical . " " . PI }

sub with_state {
   state $calls = 0;
   state @seen;
   state %by_name;
   my $arg = shift // "none";
   push @seen, $arg;
   $by_name{$arg}++;
   return ++$calls;
}

sub with_our {
   our $PKG_IN_SUB;
   our @PKG_LIST_IN_SUB;
   $PKG_IN_SUB = "set in sub";
   @PKG_LIST_IN_SUB = ( 1, 2 );
   return $PKG_IN_SUB;
}

sub factorial {
   my ( $n ) = @_;
   my $tmp = "depth $n";
   return $n <= 1 ? 1 : $n * factorial( $n - 1 );
}

sub make_counter {
   my ( $start ) = @_;
   my $count = $start;
   return sub { return $count++ };
}

sub make_adders {
   return map { my $n = $_; sub { return $_[0] + $n } } 1 .. 3;
}

sub with_proto($$;@) { return scalar @_ }
sub with_lvalue :lvalue { my $dummy; our $LV_TARGET }
sub empty_body { }
sub forward_declared;
sub uses_sort { my @l = sort { $a <=> $b } @_; return \@l }
sub by_number { $a <=> $b }
sub goto_target { return "goto target @_" }
sub goes_to { goto &goto_target }
sub with_inactive_lexical { my $inactive_var = shift; my @inactive_list = @_; return $inactive_var }

package Other::Pkg {
   sub method { my $self = shift; return "method" }
   sub other_sub { return "other" }
   our $PKGVAR = "other package var";
}

# Lexical subs.
my sub lexical_sub { return "lexical sub" }
state sub state_sub { return "state sub" }
our $LEXSUB_RESULT = lexical_sub() . state_sub();

# A sub compiled from a string.
eval q{
   sub from_string_eval { my $e = shift; return "from eval $e" }
   1;
} or die $@;

# Closures and their protosubs.
our $COUNTER  = make_counter( 10 );
our $COUNTER2 = make_counter( 20 );
$COUNTER->() for 1 .. 3;
our @ADDERS   = make_adders();
our $ANON     = sub { return "anon, no captures" };
our $ANON_CAPTURE = do { my $captured = "in do block"; sub { $captured } };
our $NAMED_ANON = set_subname( "My::named_anon", sub { "named by Sub::Util" } );
our $ANON_PROTO = sub ($) { $_[0] };

# XSUBs.
our $XSUB_REF = \&Scalar::Util::blessed;
our $XSUB2    = \&List::Util::sum;

# A blessed CODE reference.
our $BLESSED_CODE = bless sub { "blessed code" }, "Callable";

# Aliased subs and subs held only in variables.
{ no warnings 'once'; *alias_of_globbed = \&globbed; }
our %DISPATCH = ( add => \&globbed, anon => sub { "dispatch" }, xs => \&List::Util::max );

# A sub whose glob has been deleted from the stash.
{ no strict 'refs'; *{"main::doomed"} = sub { "doomed" }; }
our $DOOMED = \&main::doomed;
delete $main::{doomed};

# Calls, so pads have been used.
our @RESULTS = (
   stored_as_ref(), globbed( 1, 2 ), uses_file_lexical(), with_state( "a" ), with_state( "b" ),
   with_our(), factorial( 5 ), with_proto( 1, 2 ), goes_to( "x" ), from_string_eval( 1 ),
   with_inactive_lexical( "gone", 1, 2 ), Other::Pkg->method, ANSWER, PI, LIST, NAME,
   $ADDERS[1]->( 10 ), $NAMED_ANON->(), $BLESSED_CODE->(), ALPHA + BETA,
);
our $SORTED  = uses_sort( 3, 1, 2 );
our @SORTED2 = sort by_number ( 9, 7, 8 );
our $SUM     = sum( 1, 2, 3 );

Devel::MAT::Dumper::dump( $ARGV[0] );
