#!/usr/bin/perl
# pmat-rewrite.pl — re-encode a .pmat file: another format minor version, 32-bit UINTs
# and/or pointers, the other byte order, or only its first N SV records.
#
#   pmat-rewrite.pl [--minor 0..5] [--uint32] [--ptr32] [--be] [--keep N] IN OUT
#
# The input is what Devel::MAT::Dumper writes (the field layouts of §1.4 of the format
# reference, any byte order/widths).  Every record is decoded field by field and written
# again with the new widths; the size tables are recomputed.  Down-converting the minor
# version follows §1.10: < 0.4 drops the SV-extension table (MAGIC becomes type, flags,
# obj, ptr; other extension records are dropped), < 0.2 writes the v0.1 context layout,
# 0.0 writes legacy MAGIC (sv, obj, type).  0.5 adds OBJ/CLASS table entries.
# Narrowing a pointer keeps its low 32 bits (dies if two SVs would collide); narrowing a
# UINT keeps its low 32 bits (so all-ones, "undef"/-1, stays all-ones).
use strict;
use warnings;
no warnings "portable";
use FindBin;
use lib $FindBin::Bin;
use Getopt::Long;
use PMATWrite;

my %o;
GetOptions( \%o, "minor=i", "uint32", "ptr32", "be", "keep=i" ) and @ARGV == 2
   or die "usage: pmat-rewrite.pl [--minor N] [--uint32] [--ptr32] [--be] [--keep N] IN OUT\n";
my ( $in, $outpath ) = @ARGV;
open my $fh, "<:raw", $in or die "$in: $!\n";
my $d = do { local $/; <$fh> };
close $fh;

# ---- reader ----
my $pos = 0;
my ( $BE, $IL, $PL );
sub take { my $n = shift; die "truncated input at $pos\n" if $pos + $n > length $d; my $s = substr $d, $pos, $n; $pos += $n; $s }
sub r8   { unpack "C", take( 1 ) }
sub r32  { unpack $BE ? "L>" : "L<", take( 4 ) }
sub rw   { my $w = shift; $w == 8 ? unpack( $BE ? "Q>" : "Q<", take( 8 ) ) : r32() }
sub ruint { rw( $IL ) }
sub rptr  { rw( $PL ) }
sub rnv   { unpack $BE ? "d>" : "d<", take( 8 ) }
sub rstr  { my $l = ruint(); return undef if $l == ( $IL == 8 ? 0xFFFFFFFFFFFFFFFF : 0xFFFFFFFF ); take( $l ) }

take( 4 ) eq "PMAT" or die "$in: not a PMAT file\n";
my $flags = r8();
( $BE, $IL, $PL ) = ( $flags & 1, $flags & 2 ? 8 : 4, $flags & 4 ? 8 : 4 );
die "long-double NVs not supported\n" if $flags & 8;
r8(); r8();
my $minor_in = r8();
my $perlver = r32();
sub rtable { my $n = r8(); [ map { [ r8(), r8(), r8() ] } 1 .. $n ] }
my $svt = rtable();
my $svxt = $minor_in >= 4 ? rtable() : [ [ 2, 2, 0 ] ];
my $ctxt = $minor_in >= 2 ? rtable() : undef;

# Field layouts: header fields ('1' U8, '4' U32, 'I' UINT, 'P' PTR, 'N' NV), ptr count, str count.
my %SVL = ( 0 => [ "P4I", 1, 0 ], 1 => [ "I", 8, 2 ], 2 => [ "1INI", 1, 1 ], 3 => [ "1", 2, 0 ],
   4 => [ "I1", 0, 0 ], 5 => [ "I", 1, 0 ], 6 => [ "I", 5, 1 ], 7 => [ "I1P4", 5, 2 ], 8 => [ "II", 3, 0 ],
   9 => [ "1II", 1, 0 ], ( map { $_ => [ "", 0, 0 ] } 10 .. 15 ), 16 => [ "I", 0, 0 ], 17 => [ "I", 6, 1 ] );
my %SVXL = ( 0 => [ "11", 3, 0 ], 1 => [ "", 1, 0 ], 2 => [ "", 1, 0 ], 3 => [ "", 1, 0 ], 4 => [ "I", 1, 0 ],
   5 => [ "", 2, 0 ], 6 => [ "", 1, 0 ], 7 => [ "", 1, 1 ], 8 => [ "II", 0, 1 ] );
my %CTXL = ( 0 => [ "1I", 0, 1 ], 1 => [ "4", 2, 0 ], 2 => [ "", 0, 0 ], 3 => [ "", 1, 0 ] );
my %W_in = ( 1 => 1, 4 => 4, I => $IL, P => $PL, N => 8 );

# Check the input's tables match the layouts we know (else we cannot re-encode it).
sub check_table
{
   my ( $what, $tab, $lay ) = @_;
   for my $i ( 0 .. $#$tab ) {
      my $l = $lay->{$i} or die "$what entry $i has no known layout\n";
      my $hl = 0; $hl += $W_in{$_} for split //, $l->[0];
      my @want = ( $hl, $l->[1], $l->[2] );
      "@{ $tab->[$i] }" eq "@want" or die "$what entry $i is (@{ $tab->[$i] }), expected (@want)\n";
   }
}
check_table( "SV table", $svt, \%SVL );
check_table( "SVx table", $svxt, \%SVXL ) if $minor_in >= 4;
check_table( "context table", $ctxt, \%CTXL ) if $ctxt;

# A group: [ [hdr values], [ptrs], [strs] ]
sub rgroup
{
   my ( $l ) = @_;
   my @h = map { $_ eq "1" ? r8() : $_ eq "4" ? r32() : $_ eq "I" ? ruint() : $_ eq "P" ? rptr() : rnv() } split //, $l->[0];
   my @p = map { rptr() } 1 .. $l->[1];
   my @s = map { rstr() } 1 .. $l->[2];
   return [ \@h, \@p, \@s ];
}

# ---- writer ----
my $minor = $o{minor} // $minor_in;
my $w = PMATWrite->new( be => $o{be} ? 1 : 0, uint => $o{uint32} ? 4 : $IL, ptr => $o{ptr32} ? 4 : $PL );
my %seen_addr;
sub P
{
   my ( $a, $is_sv ) = @_;
   return $a if $w->{ptr} == 8;
   my $n = $a & 0xFFFFFFFF;
   if( $is_sv && $a ) {
      die sprintf( "pointer 0x%x collides with 0x%x when narrowed\n", $a, $seen_addr{$n} )
         if exists $seen_addr{$n} && $seen_addr{$n} != $a;
      $seen_addr{$n} = $a;
   }
   return $n;
}
sub wgroup
{
   my ( $l, $g, $sv_addr_slot ) = @_;
   my @types = split //, $l->[0];
   for my $i ( 0 .. $#types ) {
      my ( $t, $v ) = ( $types[$i], $g->[0][$i] );
      $t eq "1" ? $w->u8( $v ) : $t eq "4" ? $w->u32( $v ) : $t eq "I" ? $w->uint( $v )
         : $t eq "P" ? $w->ptr( P( $v, defined $sv_addr_slot && $i == $sv_addr_slot ) ) : $w->nv( $v );
   }
   $w->ptr( P( $_ ) ) for @{ $g->[1] };
   $w->str( $_ ) for @{ $g->[2] };
}
sub table_of
{
   my ( $lay, $n ) = @_;
   my %W = ( 1 => 1, 4 => 4, I => $w->{uint}, P => $w->{ptr}, N => 8 );
   $w->u8( $n );
   for my $i ( 0 .. $n - 1 ) {
      my $hl = 0; $hl += $W{$_} for split //, $lay->{$i}[0];
      $w->u8( $hl ); $w->u8( $lay->{$i}[1] ); $w->u8( $lay->{$i}[2] );
   }
}

$w->raw( "PMAT" );
$w->u8( ( $w->{be} ? 1 : 0 ) | ( $w->{uint} == 8 ? 2 : 0 ) | ( $w->{ptr} == 8 ? 4 : 0 ) | ( $flags & 0x10 ) );
$w->u8( 0 ); $w->u8( 0 ); $w->u8( $minor );
$w->u32( $perlver );
table_of( \%SVL, $minor >= 5 ? 18 : scalar @$svt );
table_of( \%SVXL, 9 ) if $minor >= 4;
table_of( \%CTXL, 4 ) if $minor >= 2;

# roots, stack
$w->ptr( P( rptr() ) ) for 1 .. 3;
my $nroots = r32(); $w->u32( $nroots );
for( 1 .. $nroots ) { $w->str( rstr() ); $w->ptr( P( rptr() ) ) }
my $nstack = ruint(); $w->uint( $nstack );
$w->ptr( P( rptr() ) ) for 1 .. $nstack;

# heap
my %structs;
my $nsv = 0;
my $stop = 0;
HEAP: while( 1 ) {
   my $type = r8();
   last if $type == 0;
   if( $type == 0xF0 ) {
      my ( $id, $nf, $name ) = ( ruint(), ruint(), rstr() );
      my @f = map { [ rstr(), r8() ] } 1 .. $nf;
      $structs{$id} = [ map { $_->[1] } @f ];
      next if $stop;
      $w->u8( 0xF0 ); $w->uint( $id ); $w->uint( $nf ); $w->str( $name );
      for( @f ) { $w->str( $_->[0] ); $w->u8( $_->[1] ) }
      next;
   }
   if( $type >= 0x80 ) {
      my $sva = rptr();
      my $l = $SVXL{ $type - 0x80 } or die sprintf "unknown extension 0x%02x\n", $type;
      my $g;
      if( $minor_in >= 4 ) { $g = rgroup( $l ) }
      elsif( $minor_in >= 1 ) { my $g2 = rgroup( [ "11", 2, 0 ] ); $g = [ $g2->[0], [ @{ $g2->[1] }, 0 ], [] ] }
      else { my $obj = rptr(); my $mt = r8(); $g = [ [ $mt, 1 ], [ $obj, 0, 0 ], [] ] }
      next if $stop;
      if( $minor >= 4 ) { $w->u8( $type ); $w->ptr( P( $sva ) ); wgroup( $l, $g ) }
      elsif( $type == 0x80 ) {
         $w->u8( $type ); $w->ptr( P( $sva ) );
         if( $minor >= 1 ) { $w->u8( $g->[0][0] ); $w->u8( $g->[0][1] ); $w->ptr( P( $g->[1][0] ) ); $w->ptr( P( $g->[1][1] ) ) }
         else { $w->ptr( P( $g->[1][0] ) ); $w->u8( $g->[0][0] ) }
      }
      next;
   }
   my $common = rgroup( $SVL{0} );
   my ( @body_out );
   if( $type == 0x7F ) {
      my $ft = $structs{ $common->[1][0] } // die "STRUCT before its META_STRUCT\n";
      my @vals = map { $_ == 0 ? rptr() : $_ <= 2 ? r8() : $_ == 3 ? r32() : ruint() } @$ft;
      next if $stop;
      $w->u8( $type );
      my @h = @{ $common->[0] };
      $w->ptr( P( $h[0], 1 ) ); $w->u32( $h[1] ); $w->uint( $h[2] ); $w->ptr( $common->[1][0] );
      for my $i ( 0 .. $#$ft ) {
         my ( $t, $v ) = ( $ft->[$i], $vals[$i] );
         $t == 0 ? $w->ptr( P( $v ) ) : $t <= 2 ? $w->u8( $v ) : $t == 3 ? $w->u32( $v ) : $w->uint( $v );
      }
      next;
   }
   my $l = $SVL{$type} or die "unknown SV type $type\n";
   my $g = rgroup( $l );
   my $body = sub {};
   if( $type == 4 || $type == 16 ) {
      my @e = map { rptr() } 1 .. $g->[0][0];
      $body = sub { $w->ptr( P( $_ ) ) for @e };
   }
   elsif( $type == 5 || $type == 6 || $type == 17 ) {
      my @kv = map { [ rstr(), rptr() ] } 1 .. $g->[0][0];
      my @cls;
      if( $type == 17 ) { while( my $t = r8() ) { push @cls, [ ruint(), rstr() ] } }
      $body = sub {
         for( @kv ) { $w->str( $_->[0] ); $w->ptr( P( $_->[1] ) ) }
         if( $type == 17 ) { for( @cls ) { $w->u8( 1 ); $w->uint( $_->[0] ); $w->str( $_->[1] ) } $w->u8( 0 ) }
      };
   }
   elsif( $type == 7 ) {
      my @sub;
      while( ( my $t = r8() ) != 0 ) {
         push @sub, [ $t,
            $t == 1 || $t == 3 || $t == 7 ? [ P => rptr() ] :
            $t == 2 || $t == 4 ? [ I => ruint() ] :
            $t == 5 ? [ I => ruint(), S => rstr(), P => rptr() ] :
            $t == 6 ? [ I => ruint(), I => ruint(), P => rptr() ] :
            $t == 8 ? [ I => ruint(), P => rptr() ] :
            $t == 9 ? [ I => ruint(), 1 => r8() ] :
            $t == 10 ? [ I => ruint(), I => ruint(), P => rptr() ] : die "unknown CODE sub-record $t\n" ];
      }
      $body = sub {
         for my $s ( @sub ) {
            $w->u8( $s->[0] );
            my @f = @{ $s->[1] };
            while( my ( $k, $v ) = splice @f, 0, 2 ) {
               $k eq "P" ? $w->ptr( P( $v ) ) : $k eq "I" ? $w->uint( $v ) : $k eq "S" ? $w->str( $v ) : $w->u8( $v );
            }
         }
         $w->u8( 0 );
      };
   }
   next if $stop;
   $w->u8( $type );
   wgroup( $SVL{0}, $common, 0 );
   wgroup( $l, $g );
   $body->();
   $nsv++;
   $stop = 1 if defined $o{keep} && $nsv >= $o{keep};
}
$w->u8( 0 );

# contexts
while( 1 ) {
   my $type = r8();
   last if $type == 0;
   my ( $c, $t );
   if( $minor_in >= 2 ) { $c = rgroup( $CTXL{0} ); $t = rgroup( $CTXL{$type} ) }
   else {
      my $gimme = r8(); my $file = rstr(); my $line = ruint();
      $c = [ [ $gimme, $line ], [], [ $file ] ];
      $t = $type == 1 ? [ [ 0xFFFFFFFF ], [ rptr(), rptr() ], [] ] : $type == 3 ? [ [], [ rptr() ], [] ] : [ [], [], [] ];
   }
   $w->u8( $type );
   if( $minor >= 2 ) { wgroup( $CTXL{0}, $c ); wgroup( $CTXL{$type}, $t ) }
   else {
      $w->u8( $c->[0][0] ); $w->str( $c->[2][0] ); $w->uint( $c->[0][1] );
      $w->ptr( P( $_ ) ) for @{ $t->[1] };
   }
}
$w->u8( 0 );
# mortals trailer, if any
if( $pos < length $d ) {
   my $n = ruint();
   $w->uint( $n );
   if( $n ) { $w->ptr( P( rptr() ) ) for 1 .. $n; $w->uint( ruint() ) }
}

open my $out, ">:raw", $outpath or die "$outpath: $!\n";
print $out $w->bytes;
close $out or die;
