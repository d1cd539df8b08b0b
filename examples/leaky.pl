#!/usr/bin/perl
# leaky.pl - a small "long-running service" with a memory leak, for trying out pmat.
#
#   perl examples/leaky.pl [--iterations N] [--out DIR] [--sleep SECONDS]
#
# Every loop iteration serves a few fake requests, then writes a heap dump
# DIR/leaky-NN.pmat (default: 6 iterations into examples/out/).  Each iteration leaks:
#   * a closure that refers to itself (a retry callback capturing its own variable),
#   * an unreachable cycle of two hashes (a connection and its session),
#   * a failed response (its ~100 KB body) queued "for a retry" in %PENDING, a container
#     that nothing ever reads: the growing container `largest --retained` puts first,
#   * an open file handle, kept alive through a closure cycle (a reader callback that
#     captures itself and the handle),
# amid temporary data that is freed again (the noise a leak report must see through).
#
# The dumper: PMAT_DUMPER=mat (default) uses Devel::MAT::Dumper; PMAT_DUMPER=pmat uses our
# Devel::PMAT from perl/blib (build it with `make`).  Both provide dump(PATH).
#
# Then, for example:
#   bin/pmat-leakreport -1 examples/out/leaky-*.pmat
#   bin/pmat -q examples/out/leaky-06.pmat identify 0x...
use strict;
use warnings;

use File::Basename qw( dirname );
use File::Path qw( make_path );
use File::Spec;
use Getopt::Long;

my $ROOT = File::Spec->rel2abs( dirname( __FILE__ ) . "/.." );

GetOptions(
   "iterations|n=i" => \( my $ITERATIONS = 6 ),
   "out|o=s"        => \( my $OUT = "$ROOT/examples/out" ),
   "sleep=f"        => \( my $SLEEP = 0 ),
) or die "usage: $0 [--iterations N] [--out DIR] [--sleep SECONDS]\n";

my $dumper = $ENV{PMAT_DUMPER} // "mat";
my $dump;
if( $dumper eq "pmat" ) {
   unshift @INC, "$ROOT/perl/blib/lib", "$ROOT/perl/blib/arch";
   require Devel::PMAT;
   # format 0.4, which Devel::MAT 0.51 (Debian 12's, the tests' oracle) reads too
   $Devel::PMAT::FORMAT = "0.4";
   $dump = \&Devel::PMAT::dump;
}
elsif( $dumper eq "mat" ) {
   require Devel::MAT::Dumper;
   $dump = \&Devel::MAT::Dumper::dump;
}
else {
   die "PMAT_DUMPER must be 'mat' (Devel::MAT::Dumper) or 'pmat' (Devel::PMAT)\n";
}

make_path( $OUT );

# --- the "service" ---

our %PENDING;          # the forgotten container: written, never read
our %STATS = ( requests => 0 );

sub handle_request
{
   my ( $iteration, $req ) = @_;
   $STATS{requests}++;

   # Temporary work, freed when the request is done.
   my %headers = map { ( "X-Header-$_" => "value $_" x 3 ) } 1 .. 8;
   my @rows = map { { id => $_, name => "row $_" } } 1 .. 20;
   my $body = join "\n", map { "$_->{id}: $_->{name}" } @rows;

   return length( $body ) + keys %headers;
}

sub leak_a_little
{
   my ( $iteration ) = @_;

   # 1. A retry callback that refers to itself.
   my $retry;
   $retry = sub { my ( $n ) = @_; return $n > 0 ? $retry->( $n - 1 ) : "gave up at $iteration" };
   $retry->( 2 );

   # 2. A connection and its session, pointing at each other.
   my $conn    = { id => $iteration, state => "closed" };
   my $session = { conn => $conn, user => "user$iteration" };
   $conn->{session} = $session;

   # 3. A failed response queued for a retry that never comes: its body stays alive in
   #    a container nothing reads again.
   my $body = "HTTP/1.1 503 Service Unavailable (iteration $iteration)\n" x 2000;
   push @{ $PENDING{"batch$iteration"} }, { id => $iteration, status => 503, body => $body };

   # 4. A log handle kept open by a callback that captures itself.
   open my $log, "<", __FILE__ or die "Cannot open " . __FILE__ . " - $!";
   my $reader;
   $reader = sub { my $line = <$log>; return defined $line ? $reader : undef };
   $reader->();

   return;
}

for my $iteration ( 1 .. $ITERATIONS ) {
   handle_request( $iteration, $_ ) for 1 .. 5;
   leak_a_little( $iteration );

   my $file = sprintf "%s/leaky-%02d.pmat", $OUT, $iteration;
   $dump->( $file );
   print "wrote $file\n";
   select undef, undef, undef, $SLEEP if $SLEEP;
}
