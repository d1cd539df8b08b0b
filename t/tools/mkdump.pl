#!/usr/bin/perl
# mkdump.pl — write a tiny, valid, hand-made .pmat file exercising every record kind.
#
#   mkdump.pl [--minor N] [--uint32] [--ptr32] [--be] [--nothreads] [--mortals]
#             [--boundaries FILE] OUT
#
# --minor 0..5 picks the format version (0.4 = what Devel::MAT::Dumper 0.46 writes;
# 0.5 adds OBJ/CLASS/PADNAME_FIELD; 0.6 adds shared-HEK pointers (GLOB and CODE headers,
# hash bodies, SVx 0x89) and, in the extension table, MAGICv2 (0x8A, Devel::MAT::Dumper
# 0.52) and an SVx type no reader knows (0x8B) with records of both; < 0.4 has no SV-extension table, so only MAGIC
# records; < 0.2 has no context table and the v0.1 context layout; 0.0 has legacy
# MAGIC records).  --boundaries writes "OFFSET LABEL" for the start of every section and
# record (used by t/bad-input.t to truncate the file at each one).
use strict;
use warnings;
no warnings "portable";
use FindBin;
use lib $FindBin::Bin;
use Getopt::Long;
use PMATWrite;

my %o = ( minor => 4 );
GetOptions( \%o, "minor=i", "uint32", "ptr32", "be", "nothreads", "mortals", "boundaries=s" )
   and @ARGV == 1 or die "usage: mkdump.pl [options] OUT\n";
my $minor = $o{minor};
my $w = PMATWrite->new( be => $o{be}, uint => $o{uint32} ? 4 : 8, ptr => $o{ptr32} ? 4 : 8 );
my ( $I, $P, $N ) = ( $w->{uint}, $w->{ptr}, 8 );
my $threads = !$o{nothreads};

# ---- header ----
$w->mark( "header" );
$w->raw( "PMAT" );
$w->u8( $w->flags( $threads ) );
$w->u8( 0 ); $w->u8( 0 ); $w->u8( $minor );
$w->u32( ( 5 << 24 ) | ( 36 << 16 ) | 0 );
my @svt = ( [ $P + 4 + $I, 1, 0 ], [ $I, 8, 2 ], [ 1 + 2 * $I + $N, 1, 1 ], [ 1, 2, 0 ],
            [ $I + 1, 0, 0 ], [ $I, 1, 0 ], [ $I, 5, 1 ], [ $I + 1 + $P + 4, 5, 2 ],
            [ 2 * $I, 3, 0 ], [ 1 + 2 * $I, 1, 0 ], [ 0, 0, 0 ], [ 0, 0, 0 ], [ 0, 0, 0 ],
            [ 0, 0, 0 ], [ 0, 0, 0 ], [ 0, 0, 0 ] );
push @svt, [ $I, 0, 0 ], [ $I, 6, 1 ] if $minor >= 5;
if( $minor >= 6 ) { $svt[1][0] += $P; $svt[7][0] += $P }   # GLOB, CODE: + PTR NAME_HEK
sub table { my @t = @_; $w->u8( scalar @t ); $w->u8( $_ ) for map { @$_ } @t }
table( @svt );
table( [ 2, 3, 0 ], [ 0, 1, 0 ], [ 0, 1, 0 ], [ 0, 1, 0 ], [ $I, 1, 0 ], [ 0, 2, 0 ], [ 0, 1, 0 ],
       [ 0, 1, 1 ], [ 2 * $I, 0, 1 ], ( $minor >= 6 ? ( [ $P, 0, 0 ], [ 4 + 2 * $I, 5, 0 ], [ 3, 1, 1 ] ) : () ) )
   if $minor >= 4;
table( [ 1 + $I, 0, 1 ], [ 4, 2, 0 ], [ 0, 0, 0 ], [ 0, 1, 0 ] ) if $minor >= 2;

# ---- addresses ----
my $next = 0x10000;
my %A;
$A{$_} = ( $next += 0x18 ) for qw(
   undef yes no main_cv defstash mainstack strtab
   gv_x sv_x av_x hv_x gv_foo cv_foo padlist pad1 argsav gv_Foo st_Foo gv_IO st_IO io lv rx fmt
   inv und bool_no nv utf8 rv rvw cv_proto cv_clo hv_br br_av magobj annotsv struct1 st_main
   ix_sv cv_xs custom_root saved_sv obj cls gv_obj hek_sv );

# the (made-up) address of the shared HEK of a string, 0 for undef
my %HEK;
my $next_hek = 0x7e0000;
sub hek { defined $_[0] ? ( $HEK{ $_[0] } //= ( $next_hek += 0x20 ) ) : 0 }

# ---- roots and stack ----
$w->mark( "roots" );
$w->ptr( $A{undef} ); $w->ptr( $A{yes} ); $w->ptr( $A{no} );
my @roots = ( [ main_cv => $A{main_cv} ], [ defstash => $A{defstash} ],
              [ mainstack => $A{mainstack} ], [ strtab => $A{strtab} ], [ envgv => 0 ],
              [ "+my root" => $A{custom_root} ], [ "-weak root" => $A{sv_x} ] );
$w->u32( scalar @roots );
for( @roots ) { $w->str( $_->[0] ); $w->ptr( $_->[1] ) }
$w->mark( "stack" );
$w->uint( 2 ); $w->ptr( $A{undef} ); $w->ptr( $A{sv_x} );

# ---- heap ----
my %T = ( GLOB => 1, SCALAR => 2, REF => 3, ARRAY => 4, HASH => 5, STASH => 6, CODE => 7,
          IO => 8, LVALUE => 9, REGEXP => 10, FORMAT => 11, INVLIST => 12, UNDEF => 13,
          YES => 14, NO => 15, OBJ => 16, CLASS => 17 );
sub sv
{
   my ( $type, $addr, %c ) = @_;
   $w->mark( "$type record" );
   $w->u8( $T{$type} // $type );
   $w->ptr( $A{$addr} // $addr ); $w->u32( $c{refcnt} // 1 ); $w->uint( $c{size} // 24 );
   $w->ptr( $c{blessed} ? $A{ $c{blessed} } : 0 );
}
sub glob_
{
   my ( $addr, $stash, $name, %s ) = @_;
   sv( GLOB => $addr, size => 64 );
   $w->uint( 7 );
   $w->ptr( hek( $name ) ) if $minor >= 6;
   $w->ptr( $A{$stash} ); $w->ptr( $A{ $s{$_} // "" } // 0 ) for qw( scalar array hash code egv io form );
   $w->str( $name ); $w->str( "t.pl" );
}
sub hash_
{
   my ( $type, $addr, $pairs, %c ) = @_;
   sv( $type => $addr, size => 100, blessed => $c{blessed} );
   $w->uint( scalar @$pairs );
   $w->ptr( $c{backrefs} ? $A{ $c{backrefs} } : 0 );
   if( $type ne "HASH" ) { $w->ptr( 0 ) for 1 .. ( $type eq "CLASS" ? 5 : 4 ); $w->str( $c{name} ) }
   for( @$pairs ) { $w->str( $_->[0] ); $w->ptr( hek( $_->[0] ) ) if $minor >= 6; $w->ptr( defined $_->[1] ? $A{ $_->[1] } // $_->[1] : 0 ) }
}
sub scalar_
{
   my ( $addr, $flags, $iv, $nv, $pv, %c ) = @_;
   sv( SCALAR => $addr, %c );
   $w->u8( $flags ); $w->uint( $iv ); $w->nv( $nv ); $w->uint( defined $pv ? length $pv : 0 );
   $w->ptr( 0 ); $w->str( $pv );
}
sub array_
{
   my ( $addr, $flags, @e ) = @_;
   sv( ARRAY => $addr, size => 40 + 8 * @e );
   $w->uint( scalar @e ); $w->u8( $flags );
   $w->ptr( defined $_ ? $A{$_} // $_ : 0 ) for @e;
}
sub code_
{
   my ( $addr, %c ) = @_;
   sv( CODE => $addr, size => 128, blessed => $c{blessed} );
   $w->uint( $c{line} // 0 ); $w->u8( $c{flags} // 0 ); $w->ptr( $c{oproot} // 0 ); $w->u32( $c{depth} // 0 );
   $w->ptr( hek( $c{name} ) ) if $minor >= 6;
   $w->ptr( $A{ $c{$_} // "" } // 0 ) for qw( stash glob outside padlist constval );
   $w->str( "t.pl" ); $w->str( $c{name} );
   for my $r ( @{ $c{body} // [] } ) {
      my ( $t, @a ) = @$r;
      $w->u8( $t );
      if( $t == 1 || $t == 3 || $t == 7 ) { $w->ptr( $A{ $a[0] } // $a[0] ) }
      elsif( $t == 2 || $t == 4 ) { $w->uint( $a[0] ) }
      elsif( $t == 5 ) { $w->uint( $a[0] ); $w->str( $a[1] ); $w->ptr( 0 ) }
      elsif( $t == 6 ) { $w->uint( 0 ); $w->uint( 0 ); $w->ptr( 0 ) }
      elsif( $t == 8 ) { $w->uint( $a[0] ); $w->ptr( $A{ $a[1] } ) }
      elsif( $t == 9 ) { $w->uint( $a[0] ); $w->u8( $a[1] ) }
      elsif( $t == 10 ) { $w->uint( $a[0] ); $w->uint( $a[1] ); $w->ptr( $A{ $a[2] } // 0 ) }
   }
   $w->u8( 0 );
}
sub ext
{
   my ( $type, $sv, @f ) = @_;
   return if $minor < 4 && $type != 0x80;
   $w->mark( sprintf "SVx %02X record", $type );
   $w->u8( $type ); $w->ptr( $A{$sv} );
   if( $type == 0x80 ) {
      my ( $mt, $flags, $obj, $ptr ) = @f;
      if( $minor == 0 ) { $w->ptr( $A{$obj} ); $w->u8( ord $mt ); return }
      $w->u8( ord $mt ); $w->u8( $flags ); $w->ptr( $A{$obj} ); $w->ptr( $ptr ? $A{$ptr} : 0 );
      $w->ptr( 0x7f0000001234 & ( $P == 8 ? ~0 : 0xFFFFFFFF ) ) if $minor >= 4;
   }
   elsif( $type == 0x84 ) { $w->uint( $f[0] ); $w->ptr( $A{ $f[1] } ) }
   elsif( $type == 0x85 ) { $w->ptr( $A{ $f[0] } ); $w->ptr( $A{ $f[1] } ) }
   elsif( $type == 0x87 ) { $w->ptr( $A{ $f[0] } ); $w->str( $f[1] ) }
   elsif( $type == 0x88 ) { $w->uint( 42 ); $w->uint( 7 ); $w->str( "t.pl" ) }
   elsif( $type == 0x89 ) { $w->ptr( hek( $f[0] ) ) }
   elsif( $type == 0x8A ) {
      my ( $flags, $aux, $key, $user ) = @f;
      $w->u8( 3 ); $w->u8( $flags ); $w->raw( pack $w->{be} ? "n" : "v", 0x1234 );
      $w->uint( 16 ); $w->uint( 77 );
      $w->ptr( 0x7f0000005678 & ( $P == 8 ? ~0 : 0xFFFFFFFF ) ); $w->ptr( $aux ? $A{$aux} : 0 ); $w->ptr( 0x1000 );
      $w->ptr( $key ? $A{$key} : 0 ); $w->ptr( $user ? $A{$user} : 0 );
   }
   elsif( $type == 0x8B ) { $w->raw( "abc" ); $w->ptr( $A{ $f[0] } ); $w->str( "unknown" ) }
   else { $w->ptr( $A{ $f[0] } ) }
}

$w->mark( "heap" );
hash_( STASH => "defstash", [ [ "x" => "gv_x" ], [ "foo" => "gv_foo" ], [ "Foo::" => "gv_Foo" ],
                              [ "IO::File::" => "gv_IO" ], [ "obj" => "gv_obj" ], [ "\x{1}" => undef ] ],
       name => "main" );
glob_( gv_x => "defstash", "x", scalar => "sv_x", array => "av_x", hash => "hv_x", egv => "gv_x" );
scalar_( sv_x => 0x0b, 3, 0, "abc" );
array_( av_x => 0, "rv", "und", "yes", "bool_no", undef, 0xdead0000 );
hash_( HASH => "hv_x", [ [ "k1" => "nv" ], [ "a b" => "utf8" ] ], backrefs => "br_av" );
ext( 0x80, "hv_x", "P", 1, "magobj", "sv_x" );
ext( 0x80, "hv_x", "\0", 0, "magobj" );
glob_( gv_foo => "defstash", "foo", code => "cv_foo" );
code_( cv_foo => line => 3, flags => 0x10, oproot => 0x9000, depth => 1, stash => "defstash",
       glob => "gv_foo", outside => "main_cv", name => undef,
       body => [ [ 4, 2 ], [ 2, 3 ], [ 2, 3 ], [ 7, 0 ], [ 5, 1, '$x' ], [ 5, 2, "" ], [ 5, 3, '@y' ],
                 [ 9, 1, 0x12 ], [ 6 ], [ 8, 1, "pad1" ] ] );
array_( pad1 => 0, "argsav", "sv_x", "gv_x", "ix_sv" );
array_( argsav => 1 );
scalar_( ix_sv => 0x01, 0xFFFFFFFFFFFFFFFB & ( $I == 8 ? ~0 : 0xFFFFFFFF ), 0, undef );
glob_( gv_Foo => "defstash", "Foo::", hash => "st_Foo" );
hash_( STASH => "st_Foo", [ [ "new" => "cv_xs" ] ], name => "Foo" );
code_( cv_xs => flags => 0x04, stash => "st_Foo", name => "new" );
glob_( gv_IO => "defstash", "IO::File::", hash => "st_IO" );
hash_( STASH => "st_IO", [], name => "IO::File" );
sv( IO => "io", size => 160, blessed => "st_IO" ); $w->uint( 1 ); $w->uint( $w->minus1 ); $w->ptr( 0 ) for 1 .. 3;
sv( LVALUE => "lv" ); $w->u8( ord "x" ); $w->uint( 1 ); $w->uint( 2 ); $w->ptr( $A{sv_x} );
sv( REGEXP => "rx" ); sv( FORMAT => "fmt" ); sv( INVLIST => "inv" ); sv( UNDEF => "und" );
sv( NO => "bool_no" );
scalar_( nv => 0x04, 0, 1.5, undef );
scalar_( utf8 => 0x18, 0, 0, "caf\xc3\xa9 \xe2\x98\xba" );
sv( REF => "rv" ); $w->u8( 0 ); $w->ptr( $A{hv_x} ); $w->ptr( 0 );
sv( REF => "rvw" ); $w->u8( 1 ); $w->ptr( $A{rv} ); $w->ptr( 0 );
code_( cv_proto => flags => 0x01, oproot => 0x9100, outside => "cv_foo", body => [ [ 5, 1, '$c' ] ] );
code_( cv_clo => flags => 0x02, oproot => 0x9100, outside => "cv_foo", body => [ [ 5, 1, '$c' ] ] );
hash_( HASH => "hv_br", [ [ "z" => "rvw" ] ], backrefs => "br_av" );
array_( br_av => 0, "rvw" );
scalar_( magobj => 0x08, 0, 0, "obj" );
scalar_( annotsv => 0x08, 0, 0, "annotated" );
ext( 0x87, "annotsv", "hv_x", "the annotation" );
ext( 0x88, "annotsv" );
code_( main_cv => flags => 0, body => [ [ 3, "gv_x" ], [ 1, "sv_x" ] ] );
array_( mainstack => 1, "sv_x" );
hash_( HASH => "strtab", [ [ "x" => undef ], [ "foo" => undef ] ] );
scalar_( custom_root => 0x01, 9, 0, undef );
if( $minor >= 4 ) {
   $w->mark( "META_STRUCT record" );
   $w->u8( 0xF0 ); $w->uint( 1 ); $w->uint( 3 ); $w->str( "Test/Struct" );
   $w->str( "the sv" ); $w->u8( 0 ); $w->str( "the count" ); $w->u8( 4 ); $w->str( "is on" ); $w->u8( 1 );
   $w->mark( "STRUCT record" );
   $w->u8( 0x7F ); $w->ptr( $A{struct1} ); $w->u32( 0xFFFFFFFF ); $w->uint( 24 ); $w->ptr( 1 );
   $w->ptr( $A{sv_x} ); $w->uint( 5 ); $w->u8( 1 );
   ext( 0x87, "sv_x", "struct1", "a struct" );
}
if( $minor >= 5 ) {
   sv( OBJ => "obj", blessed => "cls" ); $w->uint( 2 ); $w->ptr( $A{sv_x} ); $w->ptr( $A{nv} );
   hash_( CLASS => "cls", [ [ "m" => "cv_foo" ] ], name => "Cls" );
   $w->u8( 1 ); $w->uint( 0 ); $w->str( '$f' ); $w->u8( 1 ); $w->uint( 1 ); $w->str( '$g' ); $w->u8( 0 );
   glob_( gv_obj => "defstash", "obj", scalar => "saved_sv" );
   code_( cv_clo => flags => 0x02, oproot => 0x9100, outside => "cv_foo",
          body => [ [ 5, 1, '$c' ], [ 10, 1, 0, "cls" ] ] );
}
else {
   glob_( gv_obj => "defstash", "obj", scalar => "saved_sv" );
}
scalar_( saved_sv => 0x08, 0, 0, "saved" );
ext( 0x81, "gv_obj", "sv_x" );
ext( 0x82, "gv_obj", "av_x" );
ext( 0x83, "gv_obj", "hv_x" );
ext( 0x84, "av_x", 1, "nv" );
ext( 0x85, "hv_x", "magobj", "nv" );
ext( 0x86, "gv_foo", "cv_foo" );
if( $minor >= 6 ) {
   scalar_( hek_sv => 0x08, 0, 0, "foo" );
   ext( 0x89, "hek_sv", "foo" );
   ext( 0x8A, "hv_br", 0, "magobj", "annotsv", "hek_sv" );
   ext( 0x8A, "annotsv", 1, "sv_x" );
   ext( 0x8B, "sv_x", "nv" );
   ext( 0x8B, "nv", "sv_x" );
}
$w->mark( "heap end" );
$w->u8( 0 );

# ---- contexts ----
$w->mark( "contexts" );
my @ctx = ( [ 1, 1, 5, "t.pl", 0, "cv_foo", 0 ], [ 2, 2, 6, "t.pl" ], [ 3, 3, 7, "(eval 1)", "annotsv" ],
            [ 1, 1, 8, "t.pl", 0, "cv_foo", "argsav" ] );
for my $c ( @ctx ) {
   my ( $type, $gimme, $line, $file, @x ) = @$c;
   $w->mark( "context record" );
   $w->u8( $type );
   if( $minor >= 2 ) {
      $w->u8( $gimme ); $w->uint( $line ); $w->str( $file );
      if( $type == 1 ) { $w->u32( $x[0] ); $w->ptr( $A{ $x[1] } ); $w->ptr( $x[2] ? $A{ $x[2] } : 0 ) }
      elsif( $type == 3 ) { $w->ptr( $A{ $x[0] } ) }
   }
   else {
      $w->u8( $gimme ); $w->str( $file ); $w->uint( $line );
      if( $type == 1 ) { $w->ptr( $A{ $x[1] } ); $w->ptr( $x[2] ? $A{ $x[2] } : 0 ) }
      elsif( $type == 3 ) { $w->ptr( $A{ $x[0] } ) }
   }
}
$w->mark( "contexts end" );
$w->u8( 0 );
if( $o{mortals} ) {
   $w->mark( "mortals" );
   $w->uint( 2 ); $w->ptr( $A{nv} ); $w->ptr( 0xbad000 ); $w->uint( 0 );
}
$w->mark( "end of file" );

open my $fh, ">:raw", $ARGV[0] or die "$ARGV[0]: $!\n";
print $fh $w->bytes;
close $fh or die;
if( $o{boundaries} ) {
   open my $bf, ">", $o{boundaries} or die "$o{boundaries}: $!\n";
   printf $bf "%d %s\n", @$_ for $w->marks;
   close $bf;
}
