#!/usr/bin/perl
# identify against Devel::MAT 0.51 on every corpus dump: for SVs of every kind picked
# deterministically (svs_of_kinds) plus named ones, with the default options, -d 3,
# --weak, --all and -n.
#
# Where the trees may legitimately differ: references with equal names from different
# referrers (several "the referrant", "pad temporary 1" from different pads, "the scope"
# of several closures, ...) come in Devel::MAT's heap-hash order (random per process;
# ours: by address), which decides the order of those sibling branches, which node gets
# which *ID letter, which of several branches leading to a shared node shows it in full
# and — under a depth limit — where the tree is cut off.  Both outputs are first compared
# exactly; if they differ, both are canonicalised — within every run of consecutive
# siblings with the same reference name, the subtrees are sorted (by their text with ID
# letters masked), glyphs are redrawn and *ID letters renamed in order of first
# appearance — and compared again.  If that is not enough, ours is compared exactly with
# what the real Devel::MAT 0.51 prints when its heap is iterated in address order
# (t/lib/SortedHeap.pm: the documented order pmat uses).  The test name says which
# comparison was needed.
#
# Imported subs (a CV in the CODE slot of several globs) are named after whichever glob
# Devel::MAT's fix-up met last in hash order: "the symbol '&POSIX::x'" and
# "the symbol '&main::x'" are treated as the same (RefGraphTest::unify_alias_symbols).
# Perl's own "Deep recursion on subroutine" warnings are not expected from us.
#
# 0.51 dies with `Can't locate object method "strength" via package "EDEPTH"` when a node
# cut off by the depth limit has another root; we print "not found at this depth" there
# (docs/compat.md).  For those our output must begin with everything 0.51 printed before
# dying (same tie order: the address-ordered Devel::MAT), followed by that line.
use strict;
use warnings;
use utf8;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use Time::HiRes qw( time );
use PMATTest;
use RefGraphTest qw( aliased_cvs canonical_identify has_ties unify_alias_symbols
                     sorted_heap_oracle );

PMATTest::need_oracle();
need_ours();

my $PER_KIND = $ENV{PMAT_IDENTIFY_PER_KIND} // 2;
my @VARIANTS = ( [], [ "-d", 3 ], [ "--weak" ], [ "--all" ], [ "-n" ] );

# Self-test of the canonicaliser: two orders of the same tie, IDs swapped.
{
   my $x = join "", map { "$_\n" }
      "SCALAR(PV) at 0x10 is:",
      "├─the referrant of REF() at 0x30, which is (*A):",
      "│ ├─the lexical \$a at depth 1 of CODE() at 0x99=main_cv, which is:",
      "│ │ └─the main code",
      "│ └─element [0] of ARRAY(1) at 0x40, which is (*B):",
      "│   └─the symbol '\@main::A'",
      "└─the referrant of REF() at 0x20, which is:",
      "  └─already found as *B";
   my $y = join "", map { "$_\n" }
      "SCALAR(PV) at 0x10 is:",
      "├─the referrant of REF() at 0x20, which is:",
      "│ └─already found as *A",
      "└─the referrant of REF() at 0x30, which is (*B):",
      "  ├─the lexical \$a at depth 1 of CODE() at 0x99=main_cv, which is:",
      "  │ └─the main code",
      "  └─element [0] of ARRAY(1) at 0x40, which is (*A):",
      "    └─the symbol '\@main::A'";
   # the same tree with the two equal-named branches in the other order (IDs renamed)
   my ( $cx, $cy ) = ( canonical_identify( $x ), canonical_identify( $y ) );
   is( $cx, $cy, "canonicaliser sorts equal-named siblings and renames IDs" );
   utf8::decode( $cx );
   like( $cx, qr/^SCALAR\(PV\) at 0x10 is:\n[├└]─the referrant of REF\(\) at 0x[23]0, which is/,
      "canonicaliser redraws the tree" );
   utf8::encode( $cx );
   is( canonical_identify( $cx ), $cx, "canonicaliser is idempotent" );
   # and it keeps what differs: another symbol, another depth
   isnt( canonical_identify( $x =~ s/\@main::A/\@main::Z/r ), $cy, "canonicaliser keeps a different symbol" );
   isnt( canonical_identify( $x =~ s/at depth 1 /at depth 2 /r ), $cy, "canonicaliser keeps a different depth" );
   ok( has_ties( $x ), "has_ties sees the two 'the referrant'" );
}

# ---------------------------------------------------------------------------------------


# Compare one identify result; the name says which comparison was needed.
my $EDEPTH_CRASH = qr/Can't locate object method "strength" via package "EDEPTH"/;

# Ours completes where 0.51 died: its output is a prefix of ours, then our EDEPTH line.
sub completes_crash
{
   my ( $theirs, $ours ) = @_;
   return 0 unless substr( $ours, 0, length $theirs ) eq $theirs;
   my ( $next ) = substr( $ours, length $theirs ) =~ m/^(.*)\n/;
   utf8::decode( $next ) if defined $next;
   return defined $next && $next =~ m/^(?:│ |  )*[├└]─not found at this depth$/;
}

sub check_identify
{
   my ( $dump, $argv, $want, $got ) = @_;
   my $name = ( $dump =~ s{.*/}{}r ) . ": pmat " . join( " ", @$argv );
   if( $got->{exit} or $got->{signal} ) {
      fail( $name );
      diag "pmat failed (exit $got->{exit}, signal $got->{signal}): $got->{err}";
      return;
   }
   # our two deliberate extensions (docs/compat.md "identify: unreachable SVs" and
   # "identify: anonymous globs", checked against Devel::MAT's API by t/unreachable.t):
   # a first line for an SV no root reaches, and the wording of a glob not in its stash
   $got = { %$got, out => $got->{out} =~ s/\Aunreachable: [^\n]*\n//r
      =~ s/an anonymous glob '(\*[^']*)' \(not in the symbol table\)/the glob '$1"/gr };
   my $aliased = aliased_cvs( $dump );
   my ( $wout, $gout ) = map { unify_alias_symbols( $_->{out}, $aliased ) } $want, $got;
   my $crashed = $want->{err} =~ $EDEPTH_CRASH;
   if( !$crashed ) {
      my $wantwarn = PMATTest::strip_perl_locations( $want->{err} ) =~ s/^Deep recursion on subroutine .*\n//mgr;
      is( $got->{err}, $wantwarn, "$name (stderr)" ) if length $wantwarn or length $got->{err};
      if( $wout eq $gout ) {
         pass( $name . ( $wout eq $want->{out} ? "" : " [imported subs unified]" ) );
         return;
      }
      if( canonical_identify( $wout ) eq canonical_identify( $gout ) ) {
         pass( "$name [canonicalised: equal-named referrers come in heap-hash order]" );
         return;
      }
   }
   my $sorted = sorted_heap_oracle( $dump, @$argv );
   my $sout = unify_alias_symbols( $sorted->{out}, $aliased );
   if( $sorted->{err} =~ $EDEPTH_CRASH ) {
      ok( completes_crash( $sout, $gout ),
         "$name [0.51 dies on EDEPTH with another root: ours is its output up to there, then completes]" )
         or diag "Devel::MAT (address-ordered heap):\n$sout$sorted->{err}\npmat:\n" . substr( $gout, 0, 3000 );
      return;
   }
   ok( $sout eq $gout || canonical_identify( $sout ) eq canonical_identify( $gout ),
      "$name [heap-hash-order ties: as Devel::MAT with its heap in address order]" )
      or diag "Devel::MAT (address-ordered heap):\n" . substr( $sout, 0, 3000 ) . "\npmat:\n" . substr( $gout, 0, 3000 );
}

sub identify_many
{
   my ( $dump, $cmds ) = @_;
   my @want = oracle_many( $dump, $cmds );
   for my $i ( 0 .. $#$cmds ) {
      my $got = run_ours( $dump, @{ $cmds->[$i] } );
      check_identify( $dump, $cmds->[$i], $want[$i], $got );
   }
}

my @NAMED = ( "defstash", "main_cv", "envgv", "strtab", "sv_undef", "sv_yes", "sv_no" );

# (under CI each dump takes its turn of the named SVs, and each SV of the variants:
# share_of)
my $prog_no = 0;
foreach my $prog ( all_progs() ) {
   my $dump = dump_of( $prog );
   my $seed = $prog_no++;
   my @svs = ( share_of( $seed, @NAMED ), svs_of_kinds( $dump, $PER_KIND ) );
   identify_many( $dump, [ map { my $sv = $svs[$_]; map { [ "identify", @$_, $sv ] } share_of( $seed + $_, @VARIANTS ) }
                           0 .. $#svs ] );
}

# Specific shapes (t/progs/refgraph.pl, cycles.pl, deepchain.pl).
{
   my $dump = dump_of( "refgraph" );
   my @cmds;
   for my $pv ( "TWO PAD REF TARGET", "VIA RV INNER", "WEAK TARGET", "MANY WEAK",
                "CLOSURE CYCLE DATA", "LADDER LEAF", "TWO DEPTHS", "CHAIN END",
                "ON THE STACK ONLY", "RECURSE 0", "RECURSE 2" ) {
      my $addr = oracle_addr( $dump, "find", "pv", $pv );
      push @cmds, map { [ "identify", @$_, $addr ] }
         [], [ "-d", 1 ], [ "-d", 2 ], [ "-d", 3 ], [ "-d", 0 ], [ "--weak" ], [ "--all" ],
         [ "-n" ], [ "-n", "--all" ], [ "--weak", "-n", "-d", 2 ], [ "-d", 20 ], [ "-d", 250 ];
   }
   my $obj = oracle_addr( $dump, "find", "blessed", "Stack::Only" );
   push @cmds, map { [ "identify", @$_, $obj ] } [], [ "--weak" ], [ "--all" ], [ "-n", "--weak" ];
   push @cmds, [ "identify", "--weak", "-n", "-d", 1, "envgv" ],
               [ "identify", "-n", "defstash" ], [ "identify", "--all", "-d", 1, "main_cv" ],
               [ "identify", '$main::CHAIN' ], [ "identify", "-n", '$main::CHAIN' ],
               [ "identify", '&main::recurse' ], [ "identify", "-n", '&main::recurse' ];
   identify_many( $dump, \@cmds );
}
{
   my $dump = dump_of( "cycles" );
   my @cmds;
   for my $pv ( "SELF CYCLE", "TWO CYCLE LEAF", "LEAKED CYCLE", "SHARED TARGET",
                "LEAKED CLOSURE DATA", "WEAK CHILD", "WEAK PARENT" ) {
      my $addr = oracle_addr( $dump, "find", "pv", $pv );
      push @cmds, map { [ "identify", @$_, $addr ] }
         [], [ "-n" ], [ "-d", 1 ], [ "-d", 0 ], [ "--all" ], [ "--weak" ], [ "-n", "--all" ];
   }
   identify_many( $dump, \@cmds );
}

# A 10 000-link chain, against the oracle; then the million-link one must just finish.
{
   my $dump = dump_of( "deepchain" );
   my ( $tail ) = run_oracle( $dump, "outrefs", '$main::TAIL' )->{out} =~ m/the referrant\s+\S+ at (0x[0-9a-f]+)/;
   identify_many( $dump, [
      [ "identify", '$main::TAIL' ],
      [ "identify", "-d", 10_010, "-n", $tail ],
      [ "identify", "-d", 10_010, $tail ],
      [ "identify", "-d", 200, $tail ],
   ] );
}

# The million-link chain (PMAT_TEST_BIG=1; a 200 MB dump).  The printed tree of the
# whole chain would be quadratic in size (each line is indented by its depth), so the
# unbounded build and walk of a 1 000 000-link chain is checked without printing by
# t/unit/identify.c; here the real dump, its default depth and a 5 000-deep tree.
if( $ENV{PMAT_TEST_BIG} ) {
   my $dump = dump_of( "deepchain_1m" );
   my ( $tail1m ) = run_ours( $dump, "outrefs", '$main::TAIL' )->{out} =~ m/the referrant\s+\S+ at (0x[0-9a-f]+)/;
   for my $depth ( 10, 5000 ) {
      my $t0 = time;
      my $res = run_ours( $dump, "identify", "-d", $depth, $tail1m );
      my $lines = () = $res->{out} =~ m/\n/g;
      ok( !$res->{exit} && !$res->{signal} && $lines > $depth && $res->{out} =~ m/not found at this depth/,
         "identify -d $depth on the 1 000 000-link chain" ) or diag $res->{err};
      diag sprintf "identify -d %d on the 1M chain: %.1fs (load included)", $depth, time - $t0;
   }
}

# Errors.
{
   my $dump = dump_of( "refs" );
   same_as_oracle_many( $dump, [
      [ "identify" ], [ "identify", "0x1" ], [ "identify", "-d", "x", "defstash" ],
   ], stderr => 1 );
}

done_testing;
