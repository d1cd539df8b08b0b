#!/usr/bin/perl
# scalars.pl - every SCALAR form: IV/UV/NV/PV/UTF-8, dualvars, Inf/NaN, booleans,
# undef scalars, strings around the 64-char display and 256-byte capture limits,
# and arrays of mixed / sparse contents.
#   perl t/progs/scalars.pl OUT.pmat
use strict;
use warnings;
use Devel::MAT::Dumper;
use Scalar::Util qw( dualvar );

# --- integers (Devel::MAT shows IV-as-UV quirks on these) ---
our $ZERO   = 0;
our $ONE    = 1;
our $POS    = 3;
our $NEG    = -5;
our $IVMAX  = 9223372036854775807;
our $IVMIN  = -9223372036854775808;
our $UVBIG  = 9223372036854775808;      # > IV_MAX: an UV
our $UVMAX  = 18446744073709551615;     # all ones: an UV
our $LARGE  = 123456789012345678;

# --- floating point ---
our $TENTH  = 0.1;
our $HALF   = 2.5;
our $NEGNV  = -2.5;
our $THIRD  = 1 / 3;
our $E20    = 1e20;
our $SMALL  = 1e-5;
our $TINY   = 1.5e-300;
our $HUGE   = 1.7976931348623157e308;
our $INTNV  = 3.0;
our $BIGNV  = 9007199254740993.0;
our $INF    = 9**9**9;
our $NINF   = -9**9**9;
our $NAN    = $INF - $INF;
our $NEGZERO = -0.0;
our $PI     = 3.14159265358979;

# --- strings ---
our $EMPTY  = "";
our $STRZERO = "0";
our $SPACE  = " ";
our $HELLO  = "hello world";
our $LATIN1 = "caf\x{e9}";                       # bytes, not UTF-8
our $UPGRADED = "caf\x{e9}"; utf8::upgrade( $UPGRADED );   # UTF-8 flag, chars <= 0xFF
our $UTF    = "caf\x{e9} \x{263a}";               # UTF-8 flag, wide char
our $ESCAPES = "a\000b\001c\n\r\t\"'\\\177\200\377\e\a\b\f\013\$\@end";
our $UESCAPES = "\x{100}a\000b\n\r\t\"\\\e\a\b\f\013\177\$\@\x{10ffff}";
our $NUL    = "nul\0inside";
our $S63    = "a" x 63;
our $S64    = "b" x 64;
our $S65    = "c" x 65;
our $MID    = "y" x 100;
our $S255   = "d" x 255;
our $S256   = "e" x 256;
our $S257   = "f" x 257;
our $LONG   = "x" x 300;                          # longer than the 256-byte capture
our $ULONG  = "\x{263a}" x 100;                   # 300 UTF-8 bytes: capture cuts a character
our $BIGBUF = "B" x ( 2 * 1024 * 1024 );          # size shown in MiB
our $KBUF   = "K" x 5000;                         # size shown in KiB
our $QUOTES = q{it's a "quote" \ back};
our $MULTILINE = "line one\nline two\n";

# --- mixed numeric/string forms ---
our $FORTY  = "42";    { no warnings; my $x = $FORTY + 0; }         # PV, then IV
our $NVSTR  = "2.5";   { no warnings; my $x = $NVSTR + 0; }         # PV, then NV
our $IVSTR  = 42;      { my $s = "$IVSTR"; }                        # IV, then PV
our $NVPV   = 0.25;    { my $s = "$NVPV"; }                         # NV, then PV
our $JUNK   = "42abc"; { no warnings; my $x = $JUNK + 0; }          # non-numeric PV
our $FORTYTWO = "forty-two"; { no warnings; my $x = $FORTYTWO + 0; } $FORTYTWO = dualvar( 42, "forty-two" );
our $DUAL   = dualvar( 5, "five" );
our $DUALNV = dualvar( 2.75, "two and three quarters" );
our $UVSTR  = 18446744073709551615; { my $s = "$UVSTR"; }             # UV, then PV
our $NEGSTR = "-17";   { no warnings; my $x = $NEGSTR + 0; }
our $VSTRING = v1.22.333;

# --- booleans (perl 5.36 keeps the bool flag on copies) ---
our $TRUE   = !!1;
our $FALSE  = !!0;
our $CMP    = ( 1 == 2 );

# --- undefined scalars ---
our $UNDEF;                                      # never assigned: SVt_NULL
our $WASSTR = "was a string"; undef $WASSTR;     # has a PV body, but not OK
our $WASNUM = 12.5; $WASNUM = undef;

# --- arrays ---
our @EMPTYA = ();
our @LIST   = ( 1, 2.5, "three" );
our @MIXED  = ( -7, 18446744073709551609, "str", 1.5, undef, \"x", [1], { a => 1 },
                *STDOUT, \*STDOUT, sub { 1 }, qr/re/, !!1, !!0, "caf\x{e9} \x{263a}" );
our @SPARSE; $SPARSE[3] = "x";                   # elements 0..2 are NULL
our @HOLES  = ( 1 ); $#HOLES = 9;                # trailing NULLs
our @DELETED = ( 1, 2, 3 ); delete $DELETED[1];  # a NULL in the middle
our @HOLDS_SPARSE = ( \@SPARSE, \@LIST );        # preview of element 0 is NULL
our @BIG    = map { $_ * 3 } 0 .. 119;           # more than 50 elements (elems paging)
our @NESTED = ( [ [ [ "deep" ] ] ], [ ], { } );
our @STRS   = ( "a" .. "e" );
our @NUMS   = ( 0.1, 1e20, -1, 9**9**9, 1 / 7 );

my $lexical_scalar = "a lexical";
my @lexical_array  = ( 10, 20, 30 );
my %lexical_hash   = ( one => 1 );
my $lexical_num    = 7.5;

Devel::MAT::Dumper::dump( $ARGV[0] );
