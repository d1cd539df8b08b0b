package PMATWrite;

# A tiny encoder for .pmat primitives, parameterised by the header flags (byte order,
# UINT width, PTR width, NV width).  Used by t/tools/mkdump.pl and t/tools/pmat-rewrite.pl.
#
#   my $w = PMATWrite->new( be => 0, uint => 8, ptr => 8 );
#   $w->u8(1); $w->u32(5); $w->uint(3); $w->ptr($addr); $w->nv(1.5); $w->str("x");
#   $w->mark("a record");   # remember a boundary (offset + label)
#   $w->bytes               # the file so far

use strict;
use warnings;
no warnings "portable";

sub new
{
   my ( $class, %o ) = @_;
   my $self = bless { be => $o{be} // 0, uint => $o{uint} // 8, ptr => $o{ptr} // 8,
                      buf => "", marks => [] }, $class;
   return $self;
}

sub flags
{
   my ( $self, $ithreads ) = @_;
   return ( $self->{be} ? 1 : 0 ) | ( $self->{uint} == 8 ? 2 : 0 ) | ( $self->{ptr} == 8 ? 4 : 0 )
        | ( ( $ithreads // 1 ) ? 0x10 : 0 );
}

sub _int
{
   my ( $self, $v, $w ) = @_;
   $v = 0 unless defined $v;
   my $fmt = $w == 8 ? "Q" : $w == 4 ? "L" : $w == 2 ? "S" : "C";
   $fmt .= $self->{be} ? ">" : "<" if $w > 1;
   $v &= 0xFFFFFFFF if $w == 4;
   $self->{buf} .= pack $fmt, $v;
}

sub u8   { $_[0]{buf} .= pack "C", $_[1] // 0 }
sub u32  { $_[0]->_int( $_[1], 4 ) }
sub uint { $_[0]->_int( $_[1], $_[0]{uint} ) }
sub ptr  { $_[0]->_int( $_[1], $_[0]{ptr} ) }
sub nv   { $_[0]{buf} .= pack( $_[0]{be} ? "d>" : "d<", $_[1] // 0 ) }
sub raw  { $_[0]{buf} .= $_[1] }

sub minus1 { $_[0]{uint} == 8 ? 0xFFFFFFFFFFFFFFFF : 0xFFFFFFFF }

sub str
{
   my ( $self, $s ) = @_;
   if( !defined $s ) { $self->uint( $self->minus1 ); return }
   $self->uint( length $s );
   $self->{buf} .= $s;
}

sub mark { push @{ $_[0]{marks} }, [ length $_[0]{buf}, $_[1] ] }
sub marks { @{ $_[0]{marks} } }
sub pos { length $_[0]{buf} }
sub bytes { $_[0]{buf} }

1;
