#!/usr/bin/perl
# kinds.pl - the less common SV kinds: LVALUEs (\substr, \vec, \pos, a defelem from
# passing a missing hash element, \keys), REGEXPs (qr//, with flags, named captures,
# code blocks, blessed into another class, and one held only in a pad), FORMATs, extra
# INVLISTs (Unicode property classes), and PADs of several depths.
#   perl t/progs/kinds.pl OUT.pmat
use strict;
use warnings;
use Devel::MAT::Dumper;

our $STR = "Hello, world";
our $SUBSTR_LV = \substr( $STR, 7, 5 );
our $BITS = "\x0f\xf0";
our $VEC_LV = \vec( $BITS, 1, 8 );
our $POSSTR = "abcabc";
$POSSTR =~ m/abc/g;
our $POS_LV = \pos( $POSSTR );
our %MAYBE;
sub take_ref { return \$_[0] }
our $DEFELEM_LV = take_ref( $MAYBE{missing} );    # element not created yet: a defelem
our %KEYS_OF = ( a => 1, b => 2 );
our $KEYS_LV = \keys( %KEYS_OF );
our @LVS = ( \substr( $STR, 0, 1 ), \substr( $STR, -1 ) );

our $RE_PLAIN   = qr/ab+c/;
our $RE_FLAGS   = qr/^\s*hello\s+(world)$/imsx;
our $RE_NAMED   = qr/(?<year>\d{4})-(?<month>\d\d)/;
our $RE_UNICODE = qr/\p{Greek}+\x{263a}/;
our $RE_CODE_COUNT = 0;
our $RE_CODE    = do { use re 'eval'; qr/a(?{ $RE_CODE_COUNT++ })b/ };
"ab" =~ $RE_CODE;
our $RE_BLESSED = bless qr/blessed/, "My::Pattern";
our $RE_INTERP  = qr/$RE_PLAIN|xyz/;
our @MATCHES    = ( "2024-05" =~ $RE_NAMED );
our $HAS_GREEK  = ( "\x{3b1}\x{3b2}" =~ m/\p{Greek}/ ) ? 1 : 0;
our $HAS_ALNUM  = ( "x" =~ m/[[:alnum:]\p{Lu}\p{Han}]/ ) ? 1 : 0;
our $TR_COUNT   = ( my $t = "hello" ) =~ tr/a-y/b-z/;

sub pad_holder {
   my $re = qr/only in a pad/;
   my $lv = \substr( $STR, 1, 2 );
   return ( $re, $lv );
}
our @FROM_PAD = pad_holder();

format KINDS_FORMAT =
@<<<<<<<<< @>>>>>>>
$STR,      $POSSTR
.
format STDOUT =
@||||||||||||
"centered"
.
our $FMT = *KINDS_FORMAT{FORMAT};

Devel::MAT::Dumper::dump( $ARGV[0] );
