#!/usr/bin/perl
# stashes.pl - STASHes with MRO caches (@ISA, method calls, SUPER::, next::method under
# mro c3, can/isa), nested package names, $VERSIONs of different forms (packages -V),
# AUTOLOAD/DESTROY, symbols whose names need quoting (control characters, spaces,
# UTF-8), and a stash whose glob was removed from the symbol table.
#   perl t/progs/stashes.pl OUT.pmat
use strict;
use warnings;
use Devel::MAT::Dumper;

package Animal {
   our $VERSION = '1.02';
   sub new { my ( $class, %args ) = @_; return bless { %args }, $class }
   sub speak { my $self = shift; return ref( $self ) . " speaks" }
   sub name  { $_[0]{name} }
}

package Dog {
   our @ISA = ( 'Animal' );
   our $VERSION = 2.5;
   sub speak { my $self = shift; return $self->SUPER::speak() . " woof" }
}

package Puppy {
   use parent -norequire, 'Dog';
   our $VERSION = 3;
}

package Base { use mro 'c3'; sub hello { "Base" } sub new { bless {}, shift } }
package Left { use mro 'c3'; our @ISA = ( 'Base' ); sub hello { "Left>" . $_[0]->next::method } }
package Right { use mro 'c3'; our @ISA = ( 'Base' ); sub hello { "Right>" . $_[0]->next::method } }
package Diamond {
   use mro 'c3';
   our @ISA = ( 'Left', 'Right' );
   our $VERSION = 'v1.2.3';
   sub hello { "Diamond>" . $_[0]->next::method }
}

package Auto {
   our $AUTOLOAD;
   sub new { bless [], shift }
   sub AUTOLOAD { my $n = $AUTOLOAD; $n =~ s/.*:://; return if $n eq "DESTROY"; return "auto $n" }
}

package With::Destroy {
   our $DESTROYED = 0;
   sub new { bless {}, shift }
   sub DESTROY { $DESTROYED++ }
}

package Deep::Name::Space::Leaf {
   our $VERSION = '0.001_002';
   our @LIST = ( 1 );
   sub leaf { "leaf" }
}

package Empty::Package { }

package main;

our $DOG    = Dog->new( name => "Rex" );
our $PUPPY  = Puppy->new( name => "Bit" );
our $SPEAK  = $PUPPY->speak;
our $CAN    = Puppy->can( "name" );
our $ISA    = Puppy->isa( "Animal" );
our $DIAMOND = Diamond->new;
our $HELLO  = $DIAMOND->hello;
our $LINEAR = mro::get_linear_isa( "Diamond" );
our $AUTO   = Auto->new;
our $AUTORES = $AUTO->whatever;
our $DESTR  = With::Destroy->new;
{ my $tmp = With::Destroy->new; }
our $LEAF   = Deep::Name::Space::Leaf::leaf();

# Symbols with awkward names.
{
   no strict 'refs';
   ${"main::a b"} = "space in name";
   @{"main::\$x"} = ( "dollar in name" );
   ${"main::\x{263a}"} = "wide name";
   ${"main::caf\x{e9}"} = "latin-1 name";
   ${^MYVAR} = "caret var";
   ${"main::9lives"} = "digit-first name";
   %{"Weird Package::"} = ();
   ${"Weird Package::x"} = 1;
}

# A stash whose name glob was deleted from %main::.
our $ORPHAN_OBJ = bless {}, "Doomed::Class";
delete $main::{"Doomed::"};

Devel::MAT::Dumper::dump( $ARGV[0] );
