#!/usr/bin/perl
# Our additions to `count -b` and pmat-counts -b (docs/compat.md "count -b: --all,
# --package, --sort growth"): --all lists every package, --package REGEX only the
# matching ones (the rest summed in "(others)"), pmat-counts --sort growth lists the
# packages that grew most first; and pmat-counts' --help, --version and no-file error.
# On t/progs/series_classes.pl: 14 busy classes and a small growing `Job` that plain
# `count -b` hides in "(others)".  The package counts are checked against Devel::MAT's
# own `count -b` rows and against `find blessed`-style counts made with Devel::MAT.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use PMATTest;

need_ours();
my @s = dump_series( "series_classes" );

# Every package's blessed HASH count, by Devel::MAT.
sub class_counts
{
   my ( $file ) = @_;
   my $code = 'use Devel::MAT; my %n; for ( Devel::MAT->load( shift )->dumpfile->heap ) {'
            . ' next unless $_->type eq "HASH" and $_->blessed; $n{ $_->blessed->stashname }++ }'
            . ' print "$_ $n{$_}\n" for sort keys %n';
   my $res = run_cmd( [ $^X, "-e", $code, $file ] );
   die $res->{err} if $res->{exit};
   return { map { split ' ' } split m/\n/, $res->{out} };
}

# The package rows under HASH: [ name, blessed count ] in order.
sub hash_packages
{
   my ( $out ) = @_;
   my ( $block ) = $out =~ m/^  HASH .*\n((?:      .*\n)*)/m or return [];
   # count prints "0" in the Count column of a package row, pmat-counts nothing
   return [ map { [ m/^\s+(\S+)\s+(?:0\s+)?(\d+)/ ] } split m/\n/, $block ];
}

subtest "count -b --all" => sub {
   my $want = class_counts( $s[2] );
   my $all = run_ours( $s[2], "count", "-b", "--all" );
   is( $all->{exit}, 0, "exit 0" );
   my $rows = hash_packages( $all->{out} );
   is_deeply( { map { @$_ } @$rows }, $want, "every HASH package, with Devel::MAT's counts" );
   unlike( $all->{out}, qr/\(others\)/, "no (others)" );
   my $plain = hash_packages( run_oracle( $s[2], "count", "-b" )->{out} );
   is_deeply( [ @$rows[ 0 .. 9 ] ], [ @$plain[ 0 .. 9 ] ], "the first 10 are 0.51's count -b rows" );
   ok( !grep( { $_->[0] eq "Job" } @$plain ), "(0.51 hides Job in (others))" );
   same_as_oracle( $s[2], [ "count", "-b" ] );
};

subtest "count -b --package REGEX" => sub {
   my $want = class_counts( $s[2] );
   my $res = run_ours( $s[2], "count", "-b", "--package", '^Job$|::0[12]$' );
   is( $res->{exit}, 0, "exit 0" );
   my $rows = hash_packages( $res->{out} );
   my @listed = grep { $_->[0] ne "(others)" } @$rows;
   is_deeply( { map { @$_ } @listed },
      { map { ( $_ => $want->{$_} ) } grep { m/^Job$|::0[12]$/ } keys %$want },
      "only the matching packages, with their counts" );
   my ( $others ) = grep { $_->[0] eq "(others)" } @$rows;
   my $rest = 0; $rest += $want->{$_} for grep { !m/^Job$|::0[12]$/ } keys %$want;
   is( $others->[1], $rest, "(others) has the rest" );
   my $bad = run_ours( $s[2], "count", "-b", "--package", "(" );
   is( $bad->{exit}, 2, "a bad regex is an error" );
   like( $bad->{err}, qr/--package: .*in regex/, "... saying so" );
   my $nob = run_ours( $s[2], "count", "--all" );
   is( $nob->{exit}, 2, "--all without -b is an error" );
};

subtest "pmat-counts -b --all / --package / --sort growth" => sub {
   my $res = run_ours_prog( "pmat-counts", "-b", "--sort", "growth", @s );
   is( $res->{exit}, 0, "exit 0" );
   my @tables = split m/^(?=\S)/m, $res->{out};
   is( scalar @tables, 3, "three tables" );
   my @growth;
   for my $t ( 0 .. 2 ) {
      my $now = class_counts( $s[$t] );
      my $before = $t ? class_counts( $s[ $t - 1 ] ) : {};
      my %g = map { ( $_ => $now->{$_} - ( $before->{$_} // 0 ) ) } keys %$now;
      my @want = ( sort { $g{$b} <=> $g{$a} or $now->{$b} <=> $now->{$a} or $a cmp $b } keys %g )[ 0 .. 9 ];
      my @got = map { $_->[0] } grep { $_->[0] ne "(others)" } @{ hash_packages( $tables[$t] ) };
      is_deeply( \@got, \@want, "dump " . ( $t + 1 ) . ": the 10 that grew most, largest growth first" );
   }
   like( $tables[2], qr/^      Job\s+4\(\+2\)/m, "Job (+2) is listed in the last dump" );
   my $plain = run_oracle_prog( "pmat-counts", "-b", @s );
   unlike( $plain->{out}, qr/^      Job /m, "(0.51's pmat-counts -b hides it)" );

   my $all = run_ours_prog( "pmat-counts", "-b", "--all", @s );
   my @t = split m/^(?=\S)/m, $all->{out};
   is_deeply( { map { @$_ } @{ hash_packages( $t[2] ) } }, class_counts( $s[2] ), "--all: every package" );
   my $pkg = run_ours_prog( "pmat-counts", "-b", "--package", "Job", @s );
   like( $pkg->{out}, qr/^      Job\s+2\(\+1\)/m, "--package Job: Job with its growth" );
   unlike( $pkg->{out}, qr/Class::/, "... and no other package" );
   same_as_oracle_prog( "pmat-counts", [ "-b", @s ] );
};

subtest "pmat-counts --help, --version, no files" => sub {
   for my $opt ( "--help", "--version" ) {
      my $res = run_ours_prog( "pmat-counts", $opt );
      is( $res->{exit}, 0, "$opt: exit 0" );
      like( $res->{out}, $opt eq "--help" ? qr/^Usage: pmat-counts / : qr/^pmat-counts \S+\n\z/, "$opt: stdout" );
   }
   my $res = run_ours_prog( "pmat-counts" );
   is( $res->{exit}, 2, "no files: exit 2" );
   like( $res->{err}, qr/^pmat-counts: no dump files given\nUsage: /, "... with the usage" );
   $res = run_ours_prog( "pmat-counts", "--sort", "size", $s[0] );
   is( $res->{exit}, 255, "--sort size: an option error" );
};

done_testing;
