#!/usr/bin/perl
# A heap of more than a million SVs dumped back to back by Devel::MAT::
# Dumper and Devel::PMAT: both load in Devel::MAT 0.51 and the per-kind
# counts agree but for the dump calls' own scalars; count_svs() agrees with
# Devel::MAT's count of our file.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use File::Temp qw( tempdir );
use PMATTestUtil;
use Devel::PMAT;

plan skip_all => 'PMAT_PERL_T_QUICK: the million-SV heap is dumped on the host perl' if $QUICK;
plan skip_all => 'Devel::MAT::Dumper and /usr/bin/pmat needed'
   unless eval { require Devel::MAT::Dumper; 1 } and have_pmat();

my $dir = tempdir( CLEANUP => 1 );
my ( $DMD, $PMAT, $CNT ) = ( "$dir/dmd.pmat", "$dir/pmat.pmat", "$dir/counts.txt" );
my ( $st, $out, $err ) = run_capture( perl_cmd( "$PROGS/bigheap.pl", $DMD, $PMAT, $CNT,
   $DUMPER_FORMAT eq "0.6" ? () : $DUMPER_FORMAT ) );
is( $st, 0, 'bigheap.pl ran' ) or diag $err;

my $check = Devel::PMAT::_check_file( $PMAT );
cmp_ok( $check->{svs}, '>=', 1_000_000, "Devel::PMAT file holds $check->{svs} SVs" );

my @r = run_parallel( map { [ '/usr/bin/pmat', '-q', $_, 'count' ] } $DMD, $PMAT );
my %c;
for my $f ( $DMD, $PMAT ) {
   my ( $st, $out, $err ) = @{ shift @r };
   is( $st, 0, "pmat count exit 0 for $f" );
   $err =~ s/^Support for class features in PMAT file is experimental at .*\n//m;
   is( $err, '', 'no warnings' );
   $c{$f} = pmat_counts( $out );
}
my ( $a, $b ) = @c{ $DMD, $PMAT };
my $total = 0; $total += $_ for values %$b;
cmp_ok( $total, '>=', 1_000_000, "Devel::MAT counts $total SVs in our file" );
for my $k ( sort keys %{ { %$a, %$b } } ) {
   my $d = ( $b->{$k} // 0 ) - ( $a->{$k} // 0 );
   if( $k eq 'SCALAR' ) {
      # scratch IVs of the first dump call and our argument copy
      ok( $d >= 0 && $d <= 8, "SCALAR within the dump calls' own scalars (+$d)" );
   }
   else {
      is( $b->{$k} // 0, $a->{$k} // 0, "$k count agrees ($a->{$k})" );
   }
}

# count_svs() was taken just before the dumps: it agrees per kind except for
# the result hash itself and the scalars made between it and the dumps.
open my $fh, '<', $CNT or die;
my %cs = map { split ' ' } <$fh>;
for my $k ( sort keys %$b ) {
   my $d = abs( ( $cs{$k} // 0 ) - $b->{$k} );
   ok( $d <= 16, "count_svs $k = " . ( $cs{$k} // 0 ) . " vs Devel::MAT $b->{$k}" );
}

done_testing;
