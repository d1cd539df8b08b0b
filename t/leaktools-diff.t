#!/usr/bin/perl
# bin/pmat-diff against Devel::MAT 0.51's pmat-diff: consecutive and distant dumps of the
# examples/leaky.pl series, t/progs/series_diff.pl (a new subclass: mro_isa /
# mro_linearcurrent notes), series_leak, a dump against itself, unrelated dumps (large
# forests, a deep chain), and the argument errors.
#
# Dumps of one process compare byte for byte.  Between unrelated dumps the unique sets
# contain imported subs: a CODE whose GLOB is in several stashes gets "the glob" from
# whichever GLOB 0.51's fix-up visits last in Perl hash order, so 0.51's tree shapes
# change from run to run there; those compare the count lines exactly and the SV lines
# without their tree drawing, sorted.
use strict;
use warnings;
use utf8;

use FindBin;
use lib "$FindBin::Bin/lib";

use Test::More;
use PMATTest;
use LeakSeries;

PMATTest::need_oracle( "pmat-diff" );
need_ours( "pmat-diff" );

my @ex = example_series();
my @sl = dump_series( "series_leak" );
my @sd = dump_series( "series_diff" );

sub same { same_as_oracle_prog( "pmat-diff", [ @_ ] ) }

subtest "dumps of one process: byte for byte" => sub {
   same( @sd );
   same( reverse @sd );
   same( @ex[ 0, 1 ] );
   same( @ex[ 2, 3 ] );
   same( @ex[ 0, 5 ] );
   same( @ex[ 5, 0 ] );
   same( @sl[ 0, 4 ] );
   same( @sl[ 1, 2 ] );
   same( $ex[3], $ex[3] );

   my $res = run_ours_prog( "pmat-diff", @sd );
   utf8::decode( $res->{out} );
   like( $res->{out}, qr/ \(mro_isa of Derived\)$/m, "mro_isa note" );
   like( $res->{out}, qr/ \(mro_linearcurrent of Derived\)$/m, "mro_linearcurrent note" );
   like( $res->{out}, qr/^    [├└]─ /m, "trees are drawn" );
};

# The SV lines without the tree drawing (and the notes, which follow the same hash order).
sub untree
{
   my ( $text ) = @_;
   utf8::decode( $text );
   my @lines = split m/\n/, $text;
   s/^  (?:[ │├└─]*)(?:[-+] )?// for @lines;
   s/ \((?:mro_isa|mro_linearcurrent) of [^)]*\)$// for @lines;
   $text = join "", map { "$_\n" } sort @lines;
   utf8::encode( $text );
   return $text;
}

subtest "unrelated dumps: counts exact, SV lines sorted" => sub {
   my @pairs = ( [ qw( scalars hashes ) ], [ qw( stashes objects ) ], [ qw( cycles leaked ) ],
                 [ qw( scalars helpers ) ],
                 [ qw( code magic ) ] );
   for my $pair ( @pairs ) {
      my ( $a, $b ) = map { dump_of( $_ ) } @$pair;
      same_as_oracle_prog( "pmat-diff", [ $a, $b ],
         sorted => "a CODE's glob is picked in Perl hash order by 0.51 when several globs hold it",
         filter => \&untree );
      my $want = run_oracle_prog( "pmat-diff", $a, $b );
      my $got  = run_ours_prog( "pmat-diff", $a, $b );
      my $counts = sub { join "", $_[0] =~ m/^(\d+ (?:unique to .*|common)\n)/mg };
      is( $counts->( $got->{out} ), $counts->( $want->{out} ), "@$pair: count lines" );
   }
};

# A dump before and after building a 3000-link chain (0.51 draws trees recursively and
# takes minutes on t/progs/deepchain.pl's chains, so that one is not compared here; the
# forest code has no recursion: t/unit/leak.c builds a million-deep one).
sub chain_dumps
{
   my $dir = "$PMATTest::TMP/leaktools-chain";
   my @files = ( "$dir/1.pmat", "$dir/2.pmat" );
   return @files if -e "$dir/.complete" and ( stat "$dir/.complete" )[9] >= ( stat __FILE__ )[9];
   mkdir $dir;
   my $code = 'my $t = shift; Devel::MAT::Dumper::dump( "$t/1.pmat" ); our $C; '
            . '$C = { next => $C, n => $_ } for 1 .. 3000; Devel::MAT::Dumper::dump( "$t/2.pmat" );';
   my $res = run_cmd( [ $^X, "-MDevel::MAT::Dumper", "-e", $code, $dir ] );
   die "making the chain dumps failed: $res->{err}" if $res->{exit};
   open my $fh, ">", "$dir/.complete" or die; close $fh;
   return @files;
}

subtest "a long chain" => sub {
   my @chain = chain_dumps();
   same_as_oracle_prog( "pmat-diff", [ @chain ] );
   my $res = run_ours_prog( "pmat-diff", @chain );
   utf8::decode( $res->{out} );
   my $max = 0;
   for ( $res->{out} =~ m/^(.*)[├└]─ /mg ) { $max = length if length > $max }
   cmp_ok( int( $max / 3 ), ">", 20, "... and nests deeply" );
};

subtest "errors" => sub {
   same_as_oracle_prog( "pmat-diff", [], stderr => 1, name => "no arguments: Need dumpfile A" );
   same_as_oracle_prog( "pmat-diff", [ $sd[0] ], stderr => 1, name => "one argument: Need dumpfile B" );
   same_as_oracle_prog( "pmat-diff", [ "/nonexistent/a.pmat" ], name => "A missing, no B" );
   same_as_oracle_prog( "pmat-diff", [ $sd[0], "/nonexistent/b.pmat" ], name => "B missing" );
   my $res = run_ours_prog( "pmat-diff", $sd[0], "/nonexistent/b.pmat" );
   like( $res->{err}, qr{^pmat-diff: /nonexistent/b\.pmat: No such file or directory$}m, "load error format" );
   is( $res->{exit}, 2, "... exit 2" );
};

done_testing;
