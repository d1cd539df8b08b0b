#!/usr/bin/perl
# A hash's key count and its listing agree: HASH(N) in `show`, `largest`, `roots` and
# every preview, "N values" in `show`, and the rows of `values`.  Keys are written to a
# dump as bytes without perl's UTF-8 flag, so two keys perl tells apart ("\x{263a}" and
# "\xe2\x98\xba"; in PL_strtab "caf\xe9" plain and "was UTF-8") can be written twice
# with the same bytes.  Devel::MAT 0.51 keeps its keys in a Perl hash, so it counts and
# lists such a key once (the value written last wins); we do the same.
# t/progs/hashkeys.pl makes them (on demand: used only here).
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use PMATTest;

need_ours();
my $dump = dump_of( "hashkeys" );

my @cmds = (
   [ "show", "strtab" ], [ "values", "-c", "100000", "strtab" ],
   { cmd => [ "roots" ], sorted => "0.51 keeps the roots in a Perl hash" }, [ "largest", "1" ],
   map { ( [ "show", $_ ], [ "values", $_ ] ) } qw( %main::DUP %main::CHARS %main::BYTES
      %main::DELETED %main::LOCKED ),
);
same_as_oracle_many( $dump, \@cmds );

# and with themselves: the header count is the number of rows `values` lists
for my $h ( qw( strtab %main::DUP %main::CHARS ) ) {
   my $show = run_ours( $dump, "show", $h );
   my ( $n ) = $show->{out} =~ m/^HASH\((\d+)\)/ or return fail( "show $h" );
   my ( $nv ) = $show->{out} =~ m/^  (\d+) values/m;
   my $values = run_ours( $dump, "values", "-c", "1000000", $h );
   my $rows = () = $values->{out} =~ m/^  \{/mg;
   is( $nv, $n, "$h: N values = HASH(N)" );
   is( $rows, $n, "$h: values lists HASH(N) rows" );
}
my $show = run_ours( $dump, "show", "strtab" );
my $roots = run_ours( $dump, "roots" );
my ( $n ) = $show->{out} =~ m/^HASH\((\d+)\)/;
like( $roots->{out}, qr/HASH\($n\) at 0x[0-9a-f]+=strtab/, "roots: the same HASH($n)" );

done_testing;
