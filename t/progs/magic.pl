#!/usr/bin/perl
# magic.pl - SVs with magic: tied hash/array/scalar/handle (P/q magic and tiedelem
# LVALUEs), %ENV and its elements (E/e), %SIG (S/s), weak-ref backrefs (<), pos (g),
# v-strings (V), $#array (#), @ISA (I/i), the UTF-8 length cache (w), named captures
# (%+), a uvar magic hash (Hash::Util::FieldHash), $0, and local'ised %SIG entries.
#   perl t/progs/magic.pl OUT.pmat
use strict;
use warnings;
use Devel::MAT::Dumper;
use Scalar::Util qw( weaken );
use Tie::Hash;
use Tie::Array;
use Tie::Scalar;
use Tie::Handle;
use Hash::Util::FieldHash qw( fieldhash );

package Counting::Hash {
   our @ISA = ( 'Tie::StdHash' );
   our $FETCHES = 0;
   sub FETCH { $FETCHES++; my ( $self, $k ) = @_; return $self->{$k} }
}

package Tracing::Handle {
   our @ISA = ( 'Tie::StdHandle' );
}

package main;

tie our %TIED_HASH, 'Counting::Hash';
%TIED_HASH = ( a => 1, b => 2 );
our $TIED_FETCH = $TIED_HASH{a};
our $TIED_ELEM_REF = \$TIED_HASH{b};        # a tied-element LVALUE

tie our @TIED_ARRAY, 'Tie::StdArray';
@TIED_ARRAY = ( 10, 20, 30 );
our $TIED_AELEM_REF = \$TIED_ARRAY[1];

tie our $TIED_SCALAR, 'Tie::StdScalar', "tied value";
our $TIED_SCALAR_VALUE = $TIED_SCALAR;

{ no warnings 'once'; tie *TIED_FH, 'Tracing::Handle', "<", $0 or die; }

$ENV{PMAT_TEST_VAR} = "set by magic.pl";
our $ENV_COPY = $ENV{PATH};
$SIG{USR1} = sub { "usr1 handler" };
$SIG{USR2} = 'IGNORE';

our $WEAK_TARGET = "target of weak refs";
our @WEAK_REFS = ( \$WEAK_TARGET, \$WEAK_TARGET );
weaken( $_ ) for @WEAK_REFS;

our $POS_STR = "aaaa bbbb";
$POS_STR =~ m/aaaa/g;                       # pos() magic

our $VSTR = v5.36.0;
our @ARYLEN = ( 1, 2, 3 );
our $ARYLEN_REF = \$#ARYLEN;                # $# magic

our $UTF8_CACHED = "\x{263a}" x 20 . "end";
our $U_LEN = length( $UTF8_CACHED );
our $U_SUB = substr( $UTF8_CACHED, 10, 2 );

our $NAMED;
if( "key=value" =~ m/(?<key>\w+)=(?<value>\w+)/ ) {
   $NAMED = $+{key};
}

fieldhash our %FIELDS;
our $FIELD_OBJ = bless {}, "Field::Owner";
$FIELDS{$FIELD_OBJ} = "field value";

package ISA::Child { our @ISA = ( 'ISA::Parent' ); }
package ISA::Parent { sub m1 { 1 } }
package main;
our $ISA_CALL = ISA::Child->m1;

$0 = "magic.pl (renamed)";

sub dump_with_local_sig {
   local $SIG{ALRM} = sub { "alarm" };
   local $ENV{PMAT_LOCAL} = "local env";
   Devel::MAT::Dumper::dump( $ARGV[0] );
}
dump_with_local_sig();
