#!/usr/bin/perl
# bin/pmat-leakreport against Devel::MAT 0.51's pmat-leakreport: the dump series of
# examples/leaky.pl (a self-referencing closure, an unreachable cycle, an UNDEF kept by a
# forgotten container and an IO held by a closure cycle leaked per iteration) and of
# t/progs/series_leak.pl,
# subsets of them, unrelated dumps as a "series", -1/--onefile anywhere on the line,
# option errors and load errors.
#
# Within one LEAK[n] index Devel::MAT prints in Perl hash order (random per run), so
# outputs are compared as sorted lines; a separate check pins our own order (by index,
# then by address).
use strict;
use warnings;
no warnings "portable";

use FindBin;
use lib "$FindBin::Bin/lib";

use Test::More;
use PMATTest;
use LeakSeries;

PMATTest::need_oracle( "pmat-leakreport" );
need_ours( "pmat-leakreport" );

my $HASH_ORDER = "within one LEAK[n] index 0.51 prints in Perl hash order";

sub same_sorted
{
   my ( $args, %opt ) = @_;
   local $Test::Builder::Level = $Test::Builder::Level + 1;
   same_as_oracle_prog( "pmat-leakreport", $args, sorted => $HASH_ORDER, %opt );
}

# Our own order: indices ascending, addresses ascending within an index.
sub our_order_ok
{
   my ( $args, $name ) = @_;
   my $res = run_ours_prog( "pmat-leakreport", @$args );
   my @keys = map { m/^LEAK\[(\d+)\] .* at 0x([0-9a-f]+)$/ ? [ $1, hex $2 ] : [ -1, -1 ] }
      split m/\n/, $res->{out};
   my $sorted = 1;
   for my $i ( 1 .. $#keys ) {
      my ( $p, $c ) = @keys[ $i - 1, $i ];
      $sorted = 0 if $c->[0] < $p->[0] or ( $c->[0] == $p->[0] and $c->[1] <= $p->[1] );
   }
   ok( $sorted && !grep( { $_->[0] < 0 } @keys ) && @keys, $name )
      or diag $res->{out} . $res->{err};
}

my @ex = example_series();
my @sl = dump_series( "series_leak" );
my @sd = dump_series( "series_diff" );

subtest "examples/leaky.pl" => sub {
   same_sorted( [ @ex ] );
   same_sorted( [ "-1", @ex ] );
   same_sorted( [ @ex, "--onefile" ], name => "pmat-leakreport FILES... --onefile (options anywhere)" );
   same_sorted( [ @ex[ 0 .. 2 ] ] );
   same_sorted( [ @ex[ 1 .. 5 ] ] );
   same_sorted( [ @ex[ 0, 2, 4, 5 ] ] );
   same_sorted_with( [ "--force" ], [ reverse @ex ], "the series backwards, --force: as given" );
   our_order_ok( [ @ex ], "our order: by index, then by address" );

   my $res = run_ours_prog( "pmat-leakreport", @ex );
   my %per_index;
   $per_index{$1}++ while $res->{out} =~ m/^LEAK\[(\d+)\]/mg;
   is_deeply( [ sort keys %per_index ], [ 2 .. $#ex ], "leaks reported for every middle iteration" );
   like( $res->{out}, qr/^LEAK\[2\] CODE\(PP,closure\) at 0x/m, "the self-referencing closure is found" );
   like( $res->{out}, qr/^LEAK\[2\] UNDEF\(\) at 0x/m, "... and UNDEF scalars" );
   like( $res->{out}, qr/^LEAK\[2\] HASH\(2\) at 0x/m, "... and the cycle's hashes" );
   like( $res->{out}, qr/^LEAK\[2\] IO\(\) at 0x/m, "... and the file handle" );
};

subtest "t/progs/series_leak.pl" => sub {
   same_sorted( [ @sl ] );
   same_sorted( [ "-1", @sl ] );
   same_sorted( [ "--ONE", @sl ], name => "pmat-leakreport --ONE (abbreviated, any case)" );
   same_sorted( [ @sl[ 0, 1, 3, 4 ] ] );
   same_sorted( [ @sl[ 2 .. 4 ] ] );
   our_order_ok( [ @sl ], "our order on series_leak" );
};

# Ours with extra arguments against 0.51 without them, sorted lines.
sub same_sorted_with
{
   my ( $extra, $args, $name ) = @_;
   local $Test::Builder::Level = $Test::Builder::Level + 1;
   my $want = run_oracle_prog( "pmat-leakreport", @$args );
   my $got  = run_ours_prog( "pmat-leakreport", @$extra, @$args );
   my $sort = sub { join "", sort map { "$_\n" } split m/\n/, $_[0] };
   is( $sort->( $got->{out} ), $sort->( $want->{out} ), $name );
   is( $got->{exit}, $want->{exit}, "... exit status" );
}

subtest "unrelated dumps as a series (--force)" => sub {
   my @d;
   for my $prog ( qw( scalars hashes refs cycles code ) ) { push @d, dump_of( $prog ) }
   same_sorted_with( [ "--force" ], [ @d ], "five programs, --force" );
   same_sorted_with( [ "--force" ], [ "-1", @d ], "... -1" );
   same_sorted_with( [ "--force" ], [ $sd[0], $sl[0], $ex[0], $sd[1] ], "four programs, --force" );
};

subtest "C_STRUCTs (docs/compat.md: 0.51 dies on them)" => sub {
   my $h = dump_of( "helpers" );
   my $s = dump_of( "scalars" );
   my $res = run_ours_prog( "pmat-leakreport", "--force", $s, $h, $h );
   is( $res->{exit}, 0, "a series with C_STRUCTs is reported" ) or diag $res->{err};
   like( $res->{out}, qr/^LEAK\[2\] C_STRUCT\(\S+\) at 0x/m, "... C_STRUCTs included" );
   my $want = run_oracle_prog( "pmat-leakreport", $s, $h, $h );
   like( PMATTest::strip_perl_locations( $want->{err} ),
      qr/^Can't locate object method "basetype" via package "Devel::MAT::SV::C_STRUCT"$/m,
      "(0.51 dies)" );
};

subtest "arguments and errors" => sub {
   # a file name that is false to Perl ("0", "") ends 0.51's file loop
   same_sorted( [ @ex[ 0 .. 2 ], "0", $ex[3] ], name => "a file named 0 ends the list" );
   same_sorted( [ @ex[ 0 .. 3 ], "", "/nonexistent" ], name => "so does an empty name" );
   same_as_oracle_prog( "pmat-leakreport", [ "-x", @ex ], stderr => 1 );
   same_as_oracle_prog( "pmat-leakreport", [ "-X", "--bogus", $ex[0] ], stderr => 1 );
   same_as_oracle_prog( "pmat-leakreport", [ "--onefile=1", $ex[0] ], stderr => 1 );
   same_as_oracle_prog( "pmat-leakreport", [ "-1=yes", $ex[0] ], stderr => 1 );
   same_as_oracle_prog( "pmat-leakreport", [ "--", "-1", @ex[ 0, 1 ] ], name => "-- ends the options" );
   same_as_oracle_prog( "pmat-leakreport", [], name => "no files" );
   same_as_oracle_prog( "pmat-leakreport", [ "/nonexistent/a.pmat", @ex ] );
   same_as_oracle_prog( "pmat-leakreport", [ @ex[ 0 .. 2 ], "/nonexistent/a.pmat", @ex[ 3 .. 5 ] ] );
   same_as_oracle_prog( "pmat-leakreport", [ @ex, "$FindBin::Bin/progs/series_leak.pl" ],
      name => "a file that is not a dump, last" );

   my $res = run_ours_prog( "pmat-leakreport", @ex[ 0 .. 1 ], "/nonexistent/a.pmat" );
   like( $res->{err}, qr{^pmat-leakreport: /nonexistent/a\.pmat: No such file or directory$}m, "load error names program and file" );
   is( $res->{exit}, 2, "... exit status 2" );
   $res = run_ours_prog( "pmat-leakreport", "--force", "$FindBin::Bin/progs/series_leak.pl", @ex[ 0, 1 ] );
   like( $res->{err}, qr{^pmat-leakreport: \S+series_leak\.pl: File magic signature not found at byte 0$}m, "... with the byte offset" );
   $res = run_ours_prog( "pmat-leakreport" );
   is( $res->{err}, "Need dumpfile\n", "no files: Need dumpfile" );
};

# Our additions (docs/compat.md "pmat-leakreport: additions"); none changes the default
# output of a series of at least 3 dumps of one program given in order.
subtest "needs 3 dumps" => sub {
   for my $args ( [ $ex[3] ], [ @ex[ 0, 5 ] ], [ @ex[ 0, 1 ], "0", $ex[2] ] ) {
      my $res = run_ours_prog( "pmat-leakreport", @$args );
      is( $res->{exit}, 2, scalar( @$args ) . " arguments: exit 2" );
      like( $res->{err}, qr/^pmat-leakreport: needs at least 3 dumps, got \d/, "... says it needs 3" );
      is( $res->{out}, "", "... prints no report" );
   }
};

subtest "dumps out of order are sorted by modification time" => sub {
   my $want = run_oracle_prog( "pmat-leakreport", @ex );
   my $res = run_ours_prog( "pmat-leakreport", reverse @ex );
   my $sort = sub { join "", sort map { "$_\n" } split m/\n/, $_[0] };
   is( $sort->( $res->{out} ), $sort->( $want->{out} ), "the series backwards reports as the series" );
   like( $res->{err}, qr/not given in the order they were written/, "... and says so" );
   my $fwd = run_ours_prog( "pmat-leakreport", @ex );
   is( $fwd->{err}, "", "no note when in order" );
};

subtest "dumps of different programs are refused" => sub {
   my $res = run_ours_prog( "pmat-leakreport", @ex[ 0, 1 ], $sl[2] );
   is( $res->{exit}, 2, "exit 2" );
   # (the dumps are reported in modification-time order, so either program may come first)
   like( $res->{err}, qr/(?:series_leak\.pl.*leaky\.pl|leaky\.pl.*series_leak\.pl): not one program/,
      "names both programs" );
   is( $res->{out}, "", "no report" );
};

# The groups, computed independently with Devel::MAT from 0.51's own leak list.
sub oracle_groups
{
   my ( @files ) = @_;
   my $list = run_oracle_prog( "pmat-leakreport", @files )->{out};
   my @addrs = $list =~ m/ at (0x[0-9a-f]+)$/mg;
   my $code = 'use Devel::MAT; my $df = Devel::MAT->load( shift )->dumpfile; my %g;'
            . 'for my $a ( @ARGV ) { my $sv = $df->sv_at( hex $a );'
            . ' my $k = $sv->blessed ? $sv->blessed->stashname : $sv->type;'
            . ' $k = "SCALAR" if $k eq "UNDEF";'   # kinds as `count` names them
            . ' $g{$k}[0]++; $g{$k}[1] += $sv->size }'
            . 'print "$_ $g{$_}[0] $g{$_}[1]\n" for sort keys %g;';
   my $res = run_cmd( [ $^X, "-e", $code, $files[-1], @addrs ] );
   die $res->{err} if $res->{exit};
   return $res->{out};
}

subtest "--summary and --class" => sub {
   for my $series ( [ @ex ], [ @sl ] ) {
      my $res = run_ours_prog( "pmat-leakreport", "--summary", @$series );
      is( $res->{exit}, 0, "--summary: exit 0" );
      my ( @lines ) = split m/\n/, $res->{out};
      my $total = pop @lines;
      # the sizes of the groups, from ours in bytes: ask ours for each example's size is
      # circular; take the group's count here and the bytes from the oracle's sizes
      my %got;
      for ( @lines ) {
         my ( $name, $count ) = m/^(\S+)\s+(\d+) SVs / or do { fail( "line shape: $_" ); next };
         $got{$name} = $count;
      }
      my %want_count; my %want_bytes;
      for ( split m/\n/, oracle_groups( @$series ) ) {
         my ( $k, $n, $b ) = split ' ';
         $want_count{$k} = $n; $want_bytes{$k} = $b;
      }
      is_deeply( \%got, \%want_count, "--summary: one line per class/kind, with its count" );
      my $sum = 0; $sum += $_ for values %want_count;
      like( $total, qr/^total: $sum SVs, /, "--summary: total count" );
      # largest first: the order of the oracle's byte totals
      my @order = map { m/^(\S+)/ } @lines;
      my @want_order = sort { $want_bytes{$b} <=> $want_bytes{$a} or $want_count{$b} <=> $want_count{$a}
                              or $a cmp $b } keys %want_bytes;
      is_deeply( \@order, \@want_order, "--summary: largest total bytes first" );
      for my $line ( @lines ) {
         my ( $name, $ex ) = $line =~ m/^(\S+) .*, e\.g\. (\S+) at 0x/;
         my $plain = $ex =~ s/=.*//r;
         ok( $ex =~ m/=\Q$name\E$/ || $plain =~ m/^\Q$name\E\(|^UNDEF\(/, "example of $name is one: $ex" );
      }
   }
   my $plain = run_ours_prog( "pmat-leakreport", @ex )->{out};
   my $class = run_ours_prog( "pmat-leakreport", "--class", @ex )->{out};
   like( $class, qr/^LEAK\[\d+\] IO\(\)=IO::File at 0x/m, "--class: IO()=IO::File" );
   is( $class =~ s/=[^ ]+ at / at /gr, $plain, "--class adds =CLASS and nothing else" );
};

subtest "--help and --version" => sub {
   for my $opt ( "--help", "-h", "--version" ) {
      my $res = run_ours_prog( "pmat-leakreport", $opt );
      is( $res->{exit}, 0, "$opt: exit 0" );
      like( $res->{out}, $opt eq "--version" ? qr/^pmat-leakreport \S+$/ : qr/^Usage: pmat-leakreport /,
         "$opt: on stdout" );
      is( $res->{err}, "", "$opt: nothing on stderr" );
   }
};

done_testing;
