#!/usr/bin/perl
# For t/08-fds.t: a program that runs out of file descriptors (run it under
# a low `ulimit -n`), the way a server leaking sockets does.
#   die       socketpair() fails with EMFILE and the program dies of it
#   closeall  first closes every descriptor above 2 (as a daemon does), then
#             the same; its END block checks that its sockets are all open
#   warn2     warns twice about EMFILE, then carries on and exits 0
use strict;
use warnings;
use Socket qw( AF_UNIX SOCK_STREAM PF_UNSPEC );
use POSIX ();

my $mode = shift @ARGV // die "usage: fdexhaust.pl MODE\n";
my @socks;

sub grab
{
   my ( $n ) = @_;
   while( 1 ) {
      my ( $x, $y );
      if( socketpair( $x, $y, AF_UNIX, SOCK_STREAM, PF_UNSPEC ) ) {
         push @socks, $x, $y;
         next;
      }
      # socketpair needs two: take any last one too, so none is left at all
      my $err = $!;
      while( open my $fh, "<", "/dev/null" ) { push @socks, $fh }
      $! = $err;
      return 0;
   }
}

sub serve
{
   my ( $conn ) = @_;
   grab( $conn ) or die "socketpair: $!\n";
}

END {
   if( $mode eq "closeall" ) {
      my $bad = grep { !defined fileno $_ or !stat $_ } @socks;
      print $bad ? "$bad sockets lost\n" : "all " . scalar( @socks ) . " sockets open\n";
   }
}

if( $mode eq "die" ) {
   serve( "conn-1" );
}
elsif( $mode eq "closeall" ) {
   POSIX::close( $_ ) for 3 .. 1023;
   serve( "conn-1" );
}
elsif( $mode eq "warn2" ) {
   grab( 1 ) or warn "socketpair: $!\n";
   grab( 2 ) or warn "socketpair: $!\n";
   print "carried on\n";
}
