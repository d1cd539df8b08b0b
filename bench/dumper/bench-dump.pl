#!/usr/bin/perl
# Dump throughput of Devel::PMAT against Devel::MAT::Dumper on the same heap,
# in the same process, plus the parent's pause for forked dumps.
#
#   perl bench/dumper/bench-dump.pl [--svs N] [--reps R] [--forks F] [--dir DIR]
#
# Run from the top of the checkout after `make` (it finds perl/blib itself).
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../../perl/blib/lib", "$FindBin::Bin/../../perl/blib/arch";
use Getopt::Long;
use Time::HiRes qw( time sleep clock_gettime CLOCK_PROCESS_CPUTIME_ID );
use File::Temp qw( tempdir );
use Devel::PMAT;

GetOptions(
   'svs=i'   => \( my $SVS = 1_000_000 ),
   'reps=i'  => \( my $REPS = 3 ),
   'forks=i' => \( my $FORKS = 20 ),
   'dir=s'   => \( my $DIR ),
) or die "usage: $0 [--svs N] [--reps R] [--forks F] [--dir DIR]\n";
$DIR //= tempdir( CLEANUP => 1 );

my $have_dmd = eval { require Devel::MAT::Dumper; 1 };

# ~4 SVs per element: the RV, the inner AV, an IV and a PV
my @heap = map { [ $_, "string number $_" ] } 1 .. int( $SVS / 4 );
my $counts = Devel::PMAT::count_svs();
my $total = 0; $total += $_ for values %$counts;
printf "heap: %d live SVs (%s)\n", $total,
   join ", ", map { "$_=$counts->{$_}" } sort keys %$counts;

sub best_of
{
   my ( $name, $code, $file, $raw ) = @_;   # $raw: uncompressed bytes, for MB/s
   my @t;
   for ( 1 .. $REPS ) {
      unlink $file;
      my $t0 = time;
      $code->( $file );
      push @t, time - $t0;
   }
   my ( $best ) = sort { $a <=> $b } @t;
   my $mb = ( -s $file ) / 1e6;
   my $rate = ( $raw // -s $file ) / 1e6 / $best;
   printf "%-22s %7.3f s  %8.1f MB  %7.1f MB/s%s  (best of %d: %s)\n",
      $name, $best, $mb, $rate, $raw ? " of dump" : "", $REPS, join " ", map { sprintf "%.3f", $_ } @t;
   my $size = -s $file;
   unlink $file;
   return wantarray ? ( $best, $size ) : $best;
}

my $t_dmd = $have_dmd
   ? best_of( "Devel::MAT::Dumper", sub { Devel::MAT::Dumper::dump( $_[0] ) }, "$DIR/dmd.pmat" )
   : undef;
my ( $t_pmat, $raw ) = best_of( "Devel::PMAT", sub { Devel::PMAT::dump( $_[0] ) }, "$DIR/pmat.pmat" );
best_of( "Devel::PMAT zstd", sub { Devel::PMAT::dump( $_[0], compress => "zstd" ) }, "$DIR/pmat.pmat.zst", $raw );
best_of( "Devel::PMAT gzip", sub { Devel::PMAT::dump( $_[0], compress => "gzip" ) }, "$DIR/pmat.pmat.gz", $raw );
printf "speed-up: %.2fx\n", $t_dmd / $t_pmat if $t_dmd;

if( $FORKS ) {
   my ( @pause, @cpu );
   for my $i ( 1 .. $FORKS ) {
      my $file = "$DIR/fork$i.pmat";
      my $c0 = clock_gettime( CLOCK_PROCESS_CPUTIME_ID );
      my $t0 = time;
      Devel::PMAT::dump( $file, fork => 1 );
      push @pause, time - $t0;
      push @cpu, clock_gettime( CLOCK_PROCESS_CPUTIME_ID ) - $c0;
      # wait for the writer to finish (the file appears only when complete)
      sleep 0.01 until -e $file;
      unlink $file;
   }
   my @s = sort { $a <=> $b } @pause;
   my @c = sort { $a <=> $b } @cpu;
   my ( $load ) = eval { open my $fh, '<', '/proc/loadavg'; split ' ', <$fh> };
   printf "fork pause over %d dumps: median %.2f ms, min %.2f ms, max %.2f ms (wall; load average %s)\n",
      scalar @s, 1000 * $s[ $#s / 2 ], 1000 * $s[0], 1000 * $s[-1], $load // '?';
   printf "  parent CPU per forked dump: median %.2f ms, max %.2f ms\n",
      1000 * $c[ $#c / 2 ], 1000 * $c[-1];
}
