#!/usr/bin/perl
# refs.pl - REF in all its forms: references to every kind, refs to refs, refs to the
# immortals, weak references (single back-reference, a back-reference list, weakened
# array/hash elements), blessed referents of several kinds, and nested containers.
#   perl t/progs/refs.pl OUT.pmat
use strict;
use warnings;
use Devel::MAT::Dumper;
use Scalar::Util qw( weaken );

sub target_sub { return "target" }

our $SREF   = \"a constant string";
our $NREF   = \42;
our $RREF   = \\"ref to ref";
our $RRREF  = \\\"three deep";
our $AREF   = [ 1, 2, 3 ];
our $HREF   = { a => 1, b => [ 2 ], c => { d => 3 } };
our $CREF   = \&target_sub;
our $ANONSUB = sub { "anon" };
our $GREF   = \*STDOUT;
our $IOREF  = *STDERR{IO};
our $UNDEFREF = \undef;                 # reference to the undef immortal
our $YESREF = \!!1;
our $NOREF  = \!!0;
our $EMPTYAREF = [];
our $EMPTYHREF = {};
our $REFREF_TO_PKG = \$main::AREF;
our @REFS_TO_SAME = ( $AREF, $AREF, $AREF );
our %REFS_BY_NAME = ( one => $HREF, two => $HREF );

# --- weak references ---
our $STRONG_ONE = { name => "has one weak ref" };
our $WEAK_ONE = $STRONG_ONE; weaken( $WEAK_ONE );          # a single backref

our $STRONG_MANY = { name => "has several weak refs" };
our @WEAK_MANY = ( $STRONG_MANY ) x 3; weaken( $_ ) for @WEAK_MANY;   # a backrefs ARRAY
our %WEAK_IN_HASH = ( w => $STRONG_MANY ); weaken( $WEAK_IN_HASH{w} );

our $STRONG_ARR = [ "weakly referenced array" ];
our $WEAK_ARR = $STRONG_ARR; weaken( $WEAK_ARR );

our $STRONG_CODE = sub { "weakly referenced code" };
our $WEAK_CODE = $STRONG_CODE; weaken( $WEAK_CODE );

our $STRONG_SCALAR = "weakly referenced scalar";
our $WEAK_SCALAR = \$STRONG_SCALAR; weaken( $WEAK_SCALAR );   # '<' magic on the scalar

our $WEAK_TO_OBJ;
{
   my $obj = bless { id => 99 }, "Weak::Target";
   our $KEEP_OBJ = $obj;
   $WEAK_TO_OBJ = $obj;
   weaken( $WEAK_TO_OBJ );
}

# --- blessed referents of several kinds ---
our $OBJ_HASH   = bless { id => 1, name => "hash object" }, "My::Obj";
our $OBJ_HASH2  = bless { id => 2 }, "My::Obj";
our $OBJ_ARRAY  = bless [ 1, 2 ], "My::ArrayObj";
our $OBJ_SCALAR = bless \( my $s = "scalar object" ), "My::ScalarObj";
our $OBJ_CODE   = bless sub { "code object" }, "My::CodeObj";
our $OBJ_REGEXP = bless qr/^blessed$/, "My::Regexp";
our $OBJ_GLOB   = do { no warnings 'once'; bless \*main::GLOBOBJ, "My::GlobObj" };
our $OBJ_REF    = bless \\"ref object", "My::RefObj";
our $OBJ_DEEP   = bless {}, "Deeply::Nested::Class::Name";
our $OBJ_EMPTY  = bless [], "My::ArrayObj";

# --- nesting for previews ---
our $NEST = { list => [ 10, 20 ], nested => { x => 1 }, name => "nest", obj => $OBJ_HASH };
our @AOA  = ( [ 1, 2 ], [ 3 ], [] );
our %HOH  = ( first => { a => 1 }, second => {} );

# --- lexicals holding refs (pad "via RV" edges) ---
my $lex_href = { lex => "hash" };
my $lex_aref = [ "lex array" ];
my $lex_obj  = bless { lex => 1 }, "My::Obj";
my $lex_weak = $lex_obj; weaken( $lex_weak );

Devel::MAT::Dumper::dump( $ARGV[0] );
