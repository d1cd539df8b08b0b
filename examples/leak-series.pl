#!/usr/bin/perl
# leak-series.pl - a small "server loop" that leaks a few SVs on every iteration and takes a
# heap dump at the end of each one, to show the series tools at work:
#
#   perl examples/leak-series.pl [ITERATIONS [PREFIX]]     (default: 5 leak)
#       writes PREFIX-01.pmat, PREFIX-02.pmat, ... (zero-padded, so a shell glob sorts them)
#   bin/pmat-leakreport leak-*.pmat          what appeared and was never freed, by iteration
#   bin/pmat-diff leak-01.pmat leak-02.pmat  what one iteration added (as trees)
#   bin/pmat-counts leak-*.pmat              how the per-kind counts grow
#
# Each iteration handles a "request": it builds temporary data that is freed again (the
# noise a leak report must see through) and, by mistake, leaks
#   * a closure that refers to itself (the variable holding it is captured by it),
#   * an unreachable cycle of two hashes,
#   * an UNDEF scalar appended to a registry that nothing ever reads (a forgotten container),
# and on every third iteration one extra string kept in a global cache.
# Dumps use Devel::MAT::Dumper (or whatever provides it first on @INC).
use strict;
use warnings;

use Devel::MAT::Dumper;

my $iterations = shift @ARGV // 5;
my $prefix     = shift @ARGV // "leak";
$iterations =~ m/^\d+$/ and $iterations > 0 or die "usage: $0 [ITERATIONS [PREFIX]]\n";

our %REGISTRY;    # the forgotten container: written, never read
our %CACHE;

sub handle_request
{
   my ( $n ) = @_;

   # Temporary work: freed when this sub returns.
   my %scratch = map { ( "key$_" => [ ( $_ ) x 3 ] ) } 1 .. 10;
   my $summary = join ",", map { scalar @{ $scratch{$_} } } sort keys %scratch;

   # Leak 1: a self-referencing closure.
   my $retry;
   $retry = sub { my ( $tries ) = @_; return $tries > 0 ? $retry->( $tries - 1 ) : $n };
   $retry->( 0 );

   # Leak 2: an unreachable cycle.
   my $conn    = { id => $n, state => "open" };
   my $session = { conn => $conn, user => "user$n" };
   $conn->{session} = $session;

   # Leak 3: an UNDEF scalar kept by a container nobody looks at.
   push @{ $REGISTRY{pending} }, undef;

   # Leak 4 (every third request): a cached string.
   $CACHE{"request $n"} = "result of $summary" if $n % 3 == 0;

   return length $summary;
}

for my $n ( 1 .. $iterations ) {
   handle_request( $n );
   Devel::MAT::Dumper::dump( sprintf "%s-%02d.pmat", $prefix, $n );
}
