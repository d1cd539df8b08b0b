#!/usr/bin/perl
# mkhostile.pl — tiny hand-made hostile .pmat files, one per hazard the loader must
# survive.  `mkhostile.pl DIR` writes every case as DIR/NAME.bin; `mkhostile.pl --list`
# prints the names.  The files are structurally valid (pmat must load them, exit 0)
# unless the case name starts with "bad-".  Used to (re)make t/data/fuzz-regress/ and by
# t/bad-input.t for the large "must not be quadratic" cases (--big).
use strict;
use warnings;
no warnings "portable";
use FindBin;
use lib $FindBin::Bin;
use PMATWrite;

my $big = 0;
if( @ARGV && $ARGV[0] eq "--big" ) { $big = 1; shift }

# A minimal 0.4 file around a heap given as a sub; 64-bit LE threaded unless %o says.
sub dumpfile
{
   my ( %o ) = @_;
   my $w = PMATWrite->new( uint => $o{uint} // 8, ptr => $o{ptr} // 8 );
   my ( $I, $P ) = ( $w->{uint}, $w->{ptr} );
   $w->raw( "PMAT" ); $w->u8( $w->flags( 1 ) ); $w->u8( 0 ); $w->u8( 0 ); $w->u8( $o{minor} // 4 );
   $w->u32( $o{perlver} // 0x05240000 );
   my @svt = @{ $o{svt} // [ [ $P + 4 + $I, 1, 0 ], [ $I, 8, 2 ], [ 1 + 2 * $I + 8, 1, 1 ], [ 1, 2, 0 ],
            [ $I + 1, 0, 0 ], [ $I, 1, 0 ], [ $I, 5, 1 ], [ $I + 1 + $P + 4, 5, 2 ],
            [ 2 * $I, 3, 0 ], [ 1 + 2 * $I, 1, 0 ], map { [ 0, 0, 0 ] } 10 .. 15 ] };
   $w->u8( scalar @svt ); $w->u8( $_ ) for map { @$_ } @svt;
   my @svx = @{ $o{svx} // [ [ 2, 3, 0 ], [ 0, 1, 0 ], [ 0, 1, 0 ], [ 0, 1, 0 ], [ $I, 1, 0 ], [ 0, 2, 0 ],
            [ 0, 1, 0 ], [ 0, 1, 1 ], [ 2 * $I, 0, 1 ] ] };
   $w->u8( scalar @svx ); $w->u8( $_ ) for map { @$_ } @svx;
   my @ctx = @{ $o{ctx} // [ [ 1 + $I, 0, 1 ], [ 4, 2, 0 ], [ 0, 0, 0 ], [ 0, 1, 0 ] ] };
   $w->u8( scalar @ctx ); $w->u8( $_ ) for map { @$_ } @ctx;
   $w->ptr( 0x100 ); $w->ptr( 0x118 ); $w->ptr( 0x130 );
   my @roots = @{ $o{roots} // [] };
   $w->u32( scalar @roots ); for( @roots ) { $w->str( $_->[0] ); $w->ptr( $_->[1] ) }
   $w->uint( 0 );
   $o{heap}->( $w ) if $o{heap};
   $w->u8( 0 );
   $o{contexts}->( $w ) if $o{contexts};
   $w->u8( 0 );
   return $w->bytes;
}
sub common { my ( $w, $type, $addr, $bl ) = @_; $w->u8( $type ); $w->ptr( $addr ); $w->u32( 1 ); $w->uint( 24 ); $w->ptr( $bl // 0 ) }
sub ref_  { my ( $w, $addr, $rv ) = @_; common( $w, 3, $addr ); $w->u8( 0 ); $w->ptr( $rv ); $w->ptr( 0 ) }
sub code_ { my ( $w, $addr, $body ) = @_; common( $w, 7, $addr ); $w->uint( 1 ); $w->u8( 0 ); $w->ptr( 0 ); $w->u32( 1 );
            $w->ptr( 0 ) for 1 .. 5; $w->str( "f" ); $w->str( undef ); $body->( $w ); $w->u8( 0 ) }
sub array_ { my ( $w, $addr, @e ) = @_; common( $w, 4, $addr ); $w->uint( scalar @e ); $w->u8( 0 ); $w->ptr( $_ ) for @e }

sub padlist_not_array
{
   my ( $pv ) = @_;
   dumpfile( perlver => $pv, heap => sub { my $w = shift;
      common( $w, 7, 0xC000 ); $w->uint( 1 ); $w->u8( 0 ); $w->ptr( 0 ); $w->u32( 1 );
      $w->ptr( 0 ) for 1 .. 3; $w->ptr( 0xC018 ); $w->ptr( 0 ); $w->str( "f" ); $w->str( undef );
      $w->u8( 7 ); $w->ptr( 0xC018 ); $w->u8( 8 ); $w->uint( 1 ); $w->ptr( 0xC030 ); $w->u8( 0 );
      common( $w, 2, 0xC018 ); $w->u8( 1 ); $w->uint( 0x7FFFFFFFFFFFFFFF ); $w->nv( 0 ); $w->uint( 0 ); $w->ptr( 0 ); $w->str( undef );
      common( $w, 5, 0xC030 ); $w->uint( 0 ); $w->ptr( 0 ) } );
}

my $N = $big ? 300_000 : 50;
my %case;
%case = (
   # two REFs referring to each other: format_sv_with_value must not recurse forever
   "ref-cycle" => sub { dumpfile( heap => sub { ref_( $_[0], 0x1000, 0x1018 ); ref_( $_[0], 0x1018, 0x1000 ) } ) },
   # a long chain of REFs (from the root "+chain"), ending in a cycle back to its middle
   "ref-chain" => sub { my $n = $big ? 1_000_000 : 200; dumpfile( roots => [ [ "+chain" => 0x1000 ] ], heap => sub {
      ref_( $_[0], 0x1000 + 0x18 * $_, 0x1000 + 0x18 * ( $_ < $n - 1 ? $_ + 1 : $n / 2 ) ) for 0 .. $n - 1 } ) },
   # META_STRUCT redefined with more fields after a STRUCT used the short layout
   "struct-redefined" => sub { dumpfile( heap => sub {
      my $w = shift;
      $w->u8( 0xF0 ); $w->uint( 7 ); $w->uint( 1 ); $w->str( "S" ); $w->str( "a" ); $w->u8( 0 );
      $w->u8( 0x7F ); $w->ptr( 0x2000 ); $w->u32( 0xFFFFFFFF ); $w->uint( 8 ); $w->ptr( 7 ); $w->ptr( 0x2000 );
      $w->u8( 0xF0 ); $w->uint( 7 ); $w->uint( 40 ); $w->str( "S" ); for( 1 .. 40 ) { $w->str( "f$_" ); $w->u8( 4 ) }
   } ) },
   # a CODE whose PADNAME index and PAD depth are enormous
   "code-huge-padix" => sub { dumpfile( heap => sub { code_( $_[0], 0x3000, sub {
      my $w = shift;
      $w->u8( 5 ); $w->uint( 0x7FFFFFFFFFFFFFFF ); $w->str( '$x' ); $w->ptr( 0 );
      $w->u8( 5 ); $w->uint( 1 << 23 ); $w->str( '$y' ); $w->ptr( 0 );
      $w->u8( 8 ); $w->uint( 1 << 19 ); $w->ptr( 0x3100 );
      $w->u8( 9 ); $w->uint( 0xFFFFFFFFFFFFFFFF ); $w->u8( 1 );
      $w->u8( 2 ); $w->uint( 0xFFFFFFFFFFFFFFFF );
   } ) } ) },
   # every size-table entry zero: every SV record is one byte, with address 0
   "zero-sizes" => sub { dumpfile( svt => [ map { [ 0, 0, 0 ] } 0 .. 17 ], svx => [], ctx => [ map { [ 0, 0, 0 ] } 0 .. 3 ],
      heap => sub { for( ( 1 .. 17 ) x 3 ) { $_[0]->u8( $_ ); $_[0]->u8( 0 ) if $_ == 7 || $_ == 17 } }, contexts => sub { $_[0]->u8( 1 ) for 1 .. $N } ) },
   # size tables declaring fewer header bytes / pointers than the fields need
   "short-tables" => sub { dumpfile( svt => [ [ 8, 0, 0 ], map { [ 1, 0, 0 ] } 1 .. 17 ],
      heap => sub { my $w = shift; for my $t ( 1 .. 17 ) { $w->u8( $t ); $w->ptr( 0x4000 + 0x18 * $t ); $w->u8( $t == 2 ? 0x0f : $t == 3 ? 1 : 0 );
                                                        $w->u8( 0 ) if $t == 7; $w->u8( 0 ) if $t == 17 } } ) },
   # huge NPTRS/NSTRS in the tables (more than the fixed decode buffers hold)
   "wide-tables" => sub { dumpfile( svt => [ [ 20, 1, 0 ], [ 8, 255, 255 ], [ 25, 200, 100 ] ],
      heap => sub { my $w = shift;
         common( $w, 1, 0x5000 ); $w->uint( 1 ); $w->ptr( 0x5018 ) for 1 .. 255; $w->str( "n$_" ) for 1 .. 255;
         common( $w, 2, 0x5018 ); $w->u8( 8 ); $w->uint( 0 ); $w->nv( 0 ); $w->uint( 1 ); $w->ptr( 0 ) for 1 .. 200; $w->str( "v" ) for 1 .. 100 } ) },
   # an extension record for an SV that does not exist, and one before its SV
   "ext-orphan" => sub { dumpfile( heap => sub { my $w = shift;
      $w->u8( 0x80 ); $w->ptr( 0x6000 ); $w->u8( ord "P" ); $w->u8( 1 ); $w->ptr( 0x6018 ); $w->ptr( 0 ); $w->ptr( 0 );
      $w->u8( 0x87 ); $w->ptr( 0x6018 ); $w->ptr( 0x6018 ); $w->str( "note" );
      array_( $w, 0x6018, 0x6018, 0x6018 ) } ) },
   # pointers to nowhere everywhere; a CODE whose NPTRS is 0
   "dangling" => sub { dumpfile( roots => [ [ main_cv => 0xdead ], [ defstash => 0x7000 ] ],
      svt => [ [ 20, 1, 0 ], [ 8, 8, 2 ], [ 25, 1, 1 ], [ 1, 2, 0 ], [ 9, 0, 0 ], [ 8, 1, 0 ], [ 8, 5, 1 ], [ 21, 0, 0 ] ],
      heap => sub { my $w = shift;
         common( $w, 6, 0x7000, 0xbeef ); $w->uint( 2 ); $w->ptr( 0xfeed ); $w->ptr( 0xf00d ) for 1 .. 4; $w->str( "main" );
         $w->str( "x" ); $w->ptr( 0x12345 ); $w->str( "y" ); $w->ptr( 0x7018 );
         common( $w, 7, 0x7018 ); $w->uint( 1 ); $w->u8( 3 ); $w->ptr( 0x99 ); $w->u32( 2 ); $w->u8( 8 ); $w->uint( 1 ); $w->ptr( 0xabc ); $w->u8( 0 );
         array_( $w, 0x7030, 0x1, 0x2, 0x7018 ) },
      contexts => sub { my $w = shift; $w->u8( 1 ); $w->u8( 1 ); $w->uint( 1 ); $w->str( "f" ); $w->u32( 0 ); $w->ptr( 0xdead ); $w->ptr( 0 ) } ) },
   # the same root name many times, and many distinct roots
   "many-roots" => sub { dumpfile( roots => [ ( map { [ "r$_" => 0x8000 ] } 1 .. $N ), ( map { [ main_cv => 0x8000 ] } 1 .. 20 ) ],
      heap => sub { ref_( $_[0], 0x8000, 0x8000 ) } ) },
   # many threaded CONSTIX records in one CODE with a depth-1 pad
   "many-constix" => sub { dumpfile( heap => sub { my $w = shift;
      code_( $w, 0x9000, sub { my $w = shift; for( 1 .. $N ) { $w->u8( 2 ); $w->uint( $_ ) } $w->u8( 8 ); $w->uint( 1 ); $w->ptr( 0x9018 ) } );
      array_( $w, 0x9018, 0x9000 ) } ) },
   # many META_STRUCT types, each used
   "many-structs" => sub { dumpfile( heap => sub { my $w = shift;
      for( 1 .. $N ) { $w->u8( 0xF0 ); $w->uint( $_ ); $w->uint( 1 ); $w->str( "S" ); $w->str( "p" ); $w->u8( 0 ) }
      for( 1 .. $N ) { $w->u8( 0x7F ); $w->ptr( 0x10000 + 0x18 * $_ ); $w->u32( 0xFFFFFFFF ); $w->uint( 8 ); $w->ptr( $_ ); $w->ptr( 0x10000 ) } } ) },
   # a SUB context per CV, many CVs
   "many-contexts" => sub { dumpfile( heap => sub { code_( $_[0], 0xA000, sub {} ) }, contexts => sub { my $w = shift;
      for( 1 .. $N ) { $w->u8( 1 ); $w->u8( 1 ); $w->uint( 1 ); $w->str( "f" ); $w->u32( 0 ); $w->ptr( $_ ); $w->ptr( 0 ) } } ) },
   # CODEs whose padlist / PADNAMES / PAD point at SVs that are not ARRAYs (a SCALAR's
   # header must not be read as an element count), on perl 5.16 and 5.36
   "padlist-not-array" => sub { padlist_not_array( 0x05100000 ) },
   "padlist-not-array-536" => sub { padlist_not_array( 0x05240000 ) },
   # many extension records for SVs that do not exist (warned about, in bounded number)
   "many-orphans" => sub { dumpfile( heap => sub { my $w = shift;
      for( 1 .. $N ) { $w->u8( 0x81 ); $w->ptr( 0x100000 + 8 * $_ ); $w->ptr( 0 ) } } ) },
   # one big HASH (at 0xD000): naming its value edges must stay linear
   "big-hash" => sub { dumpfile( heap => sub { my $w = shift;
      common( $w, 5, 0xD000 ); $w->uint( $N ); $w->ptr( 0 ); for( 1 .. $N ) { $w->str( "k$_" ); $w->ptr( 0xD018 ) }
      common( $w, 13, 0xD018 ) } ) },
   # an OBJ whose CLASS declares fields out of range (format 0.5)
   "obj-fields" => sub { dumpfile( minor => 5, svt => [ [ 20, 1, 0 ], map( { [ 0, 0, 0 ] } 1 .. 15 ), [ 8, 0, 0 ], [ 8, 6, 1 ] ],
      heap => sub { my $w = shift;
         common( $w, 16, 0xB000, 0xB018 ); $w->uint( 1 ); $w->ptr( 0xB000 );
         common( $w, 17, 0xB018 ); $w->uint( 0 ); $w->ptr( 0 ) for 1 .. 6; $w->str( "C" );
         for( 0 .. $N ) { $w->u8( 1 ); $w->uint( $_ * 1000 ); $w->str( "\$f$_" ) } $w->u8( 0 ) } ) },
);

if( @ARGV && $ARGV[0] eq "--list" ) { print "$_\n" for sort keys %case; exit 0 }
my $dir = shift // die "usage: mkhostile.pl [--big] DIR | --list\n";
mkdir $dir;
for my $name ( sort keys %case ) {
   open my $fh, ">:raw", "$dir/$name.bin" or die "$dir/$name.bin: $!";
   print $fh $case{$name}->();
   close $fh;
}
