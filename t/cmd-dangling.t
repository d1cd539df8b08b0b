#!/usr/bin/perl
# list-dangling-ptrs against Devel::MAT 0.51 on every corpus dump.
#
# Devel::MAT visits the heap in hash order and each SV's pointer fields in the order of
# its method table (a Perl hash): the lines are compared sorted.
#
# For a hash, 0.51 also tests `values_at` — a list — as if it were one pointer, so when
# the hash's first value in (random) hash order is dangling it prints an extra
# "has no values SV at addr ..." line; the dangling value is reported as "value {KEY}"
# anyway.  We never print the "values" line (docs/compat.md); those lines are dropped
# from Devel::MAT's output before comparing.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use PMATTest;

PMATTest::need_oracle();
need_ours();

sub without_values_lines { my ( $t ) = @_; $t =~ s/^.* has no values SV at addr 0x[0-9a-f]+\n//mg; return $t }

my $seen_some = 0;
foreach my $prog ( all_progs(), "refgraph" ) {
   my $dump = dump_of( $prog );
   my $want = run_oracle( $dump, "list-dangling-ptrs" );
   my $got  = run_ours( $dump, "list-dangling-ptrs" );
   $seen_some++ if $want->{out} =~ m/ has no value \{/;
   is( $got->{exit}, 0, "$prog: list-dangling-ptrs runs" ) or diag $got->{err};
   is( PMATTest::_sort_lines( $got->{out} ),
       PMATTest::_sort_lines( without_values_lines( $want->{out} ) ),
       "$prog: list-dangling-ptrs [sorted: heap and method-table hash order; 0.51's 'values' lines dropped]" );
}
ok( $seen_some, "some dump has a dangling hash value (the stash cache)" );

# extra arguments are an error (0.51 ignores them; docs/compat.md, t/cli-conventions.t)
{
   my $r = run_ours( dump_of( "refs" ), "list-dangling-ptrs", "extra" );
   is( $r->{exit}, 2, "list-dangling-ptrs extra: an error" );
   like( $r->{err}, qr/^Unexpected argument 'extra'/, "... saying so" );
}

done_testing;
