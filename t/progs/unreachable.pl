#!/usr/bin/perl
# unreachable.pl - the most common Perl leak: objects in reference cycles that nothing
# alive refers to (IO::Async style).  Each Conn holds a callback closing over the Conn
# itself and one end of a socketpair (an anonymous glob named after the lexical,
# *Conn::$a); 40 of them are dropped while still in their cycle (leaked), 3 stay in a
# reachable cache (%main::CONNS).  Also: a leaked ring of 4 plain hashes, a leaked
# closure capturing itself, a hash kept alive only by a raised reference count (no
# cycle), two leaked Conns sharing one leaked buffer (shared between components), and a
# string held from 30 arrays kept by raised reference counts (identify --fold).
#   perl t/progs/unreachable.pl OUT.pmat
use strict;
use warnings;
use Devel::MAT::Dumper;
use Socket qw( AF_UNIX SOCK_STREAM PF_UNSPEC );

package Conn {
   sub new
   {
      my ( $class, %args ) = @_;
      socketpair( my $a, my $b, Socket::AF_UNIX(), Socket::SOCK_STREAM(), Socket::PF_UNSPEC() )
         or die "socketpair: $!";
      my $self = bless { id => $args{id}, buf => "b" x ( 30_000 + $args{id} ), sock => $a }, $class;
      $self->{cb} = sub { return $self->{id} };
      return $self;
   }
}

our %CONNS;   # the reachable cache (%main::CONNS)
$CONNS{"c$_"} = Conn->new( id => $_ ) for 1 .. 3;

# 40 leaked Conns: each dropped with its cycle intact
Conn->new( id => 1000 + $_ ) for 1 .. 40;

# two leaked Conns sharing one leaked buffer
{
   my $shared = [ "SHARED LEAKED BUFFER" x 20 ];
   for my $i ( 1 .. 2 ) {
      my $c = Conn->new( id => 2000 + $i );
      $c->{shared} = $shared;
   }
}

# a leaked ring of 4 plain hashes
{
   my @ring = map { { idx => "RING $_" } } 0 .. 3;
   $ring[$_]{next} = $ring[ ( $_ + 1 ) % 4 ] for 0 .. 3;
}

# a leaked closure that captures itself
{
   my $cb;
   $cb = sub { my $me = $cb; return "LEAKED SELF CLOSURE" };
}

# a hash kept alive by a raised reference count only (no referrer, no cycle)
{
   my $orphan = { name => "REFCOUNT ORPHAN", data => [ 1 .. 10 ] };
   Internals::SvREFCNT( %$orphan, 2 );
}

# one string referred to from 30 arrays only raised reference counts keep: identify
# prints 30 identical "not found" branches (identify --fold)
my $fold_target = "FOLD TARGET";
for ( 1 .. 30 ) {
   my $holder = [ \$fold_target ];
   Internals::SvREFCNT( @$holder, 2 );
}

Devel::MAT::Dumper::dump( $ARGV[0] );
