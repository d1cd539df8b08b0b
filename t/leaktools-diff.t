#!/usr/bin/perl
# bin/pmat-diff against Devel::MAT 0.51's pmat-diff: consecutive and distant dumps of the
# examples/leaky.pl series, t/progs/series_diff.pl (a new subclass: mro_isa /
# mro_linearcurrent notes), series_leak, a dump against itself, unrelated dumps (large
# forests, a deep chain), t/progs/series_reuse.pl (freed slots reused by other classes),
# and the argument errors.
#
# Dumps of one process compare byte for byte with 0.51's script keyed by address,
# basetype and class (docs/compat.md "pmat-diff: reused addresses").  Between unrelated dumps the unique sets
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

# 0.51's pmat-diff with one change (docs/compat.md, "pmat-diff: reused addresses"): SVs at
# the same address whose basetype or class differ are a freed slot reused, so the pair
# is listed as removed and added instead of counted as common.  Everything else is
# 0.51's own script, run with the harness's usual corrections (t/lib/PMATFixes.pm).
my $REUSE_ORACLE = do {
   my $src = do { local ( @ARGV, $/ ) = "$PMATTest::ORACLE_BINDIR/pmat-diff"; <> };
   my $common = "\n   else {\n      # common - no print\n";
   my $split = <<'PERL';

   elsif( sv_ident( $svA ) ne sv_ident( $svB ) ) {
      push @onlyA, $svA; shift @svsA;
      push @onlyB, $svB; shift @svsB;
   }
PERL
   chomp $split;
   my $n = $src =~ s/\Q$common\E/$split$common/;
   die "cannot patch pmat-diff for reused addresses" unless $n == 1;
   $src .= q{
sub sv_ident {
   my ( $sv ) = @_;
   my $bt = $sv->can( "basetype" ) ? $sv->basetype : ref $sv;
   my $class = $sv->blessed ? $sv->blessed->stashname : "";
   return "$bt:$class";
}
};
   my $file = "$PMATTest::TMP/pmat-diff-reuse.$$";
   open my $fh, ">", $file or die "Cannot write $file - $!";
   print $fh $src;
   close $fh;
   $file;
};
END { unlink $REUSE_ORACLE if $REUSE_ORACLE }

sub run_reuse_oracle
{
   return run_cmd( [ $^X, "-I" . repo_root() . "/t/lib", "-MPMATFixes", $REUSE_ORACLE, @_ ] );
}

# Byte for byte against 0.51 keyed by address, basetype and class.
sub same
{
   my @files = @_;
   my $want = run_reuse_oracle( @files );
   my $got  = run_ours_prog( "pmat-diff", @files );
   diag( $want->{err} ) if $want->{exit};
   is( $got->{out}, $want->{out}, "pmat-diff " . join " ", map { s{.*/}{}r } @files );
}

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

# An address freed and reused by an SV of another basetype or class is a different SV:
# listed as removed (in A) and added (in B), as pmat-leakreport keys SVs.  0.51 compares
# addresses only and counts the pair as common, hiding the new object (docs/compat.md).
subtest "an address reused by another kind or class" => sub {
   my @sr = dump_series( "series_reuse" );
   ( my $notes = $sr[0] ) =~ s{[^/]*$}{reuse.txt};
   open my $fh, "<", $notes or die "Cannot read $notes - $!";
   my %addr = map { split ' ' } <$fh>;
   my $got  = run_ours_prog( "pmat-diff", @sr );
   my $want = run_oracle_prog( "pmat-diff", @sr );
   is( $got->{exit}, 0, "exit 0" );
   same( @sr );
   my ( $sect_a, $sect_b ) = $got->{out} =~ m/^\d+ unique to .*\n((?:  .*\n)*)\n\d+ unique to .*\n((?:  .*\n)*)/m
      or return fail( "output shape" );
   like( $sect_a, qr/^  - ARRAY\(1\) at $addr{array}$/m, "the freed ARRAY(1) is removed" );
   like( $sect_a, qr/^  - ARRAY\(2\)=Old at $addr{old}$/m, "the freed Old object is removed" );
   like( $sect_b, qr/ HASH\(0\)=Job at $addr{array}$/m, "the Job HASH at its address is added" );
   like( $sect_b, qr/ ARRAY\(1\)=Job at $addr{old}$/m, "the Job ARRAY at the Old's address is added" );
   my $counts = sub { [ $_[0] =~ m/^(\d+) (?:unique to|common)/mg ] };
   my ( $oa, $ob, $oc ) = @{ $counts->( $want->{out} ) };
   my ( $ga, $gb, $gc ) = @{ $counts->( $got->{out} ) };
   ok( $ga - $oa >= 2 && $ga - $oa == $gb - $ob && $gc == $oc - ( $ga - $oa ),
      "counts: 0.51's with the reused addresses moved from common to both sides" );
   unlike( $want->{out}, qr/Job at $addr{array}/, "(0.51 hides the new Job)" );
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
