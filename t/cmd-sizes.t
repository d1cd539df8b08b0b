#!/usr/bin/perl
# `size` and `largest` against the oracle, on every corpus dump.
#
# Two deliberate differences from Devel::MAT 0.51 (docs/compat.md):
#  * owned sizes count each SV once (0.51 can count an SV twice, depending on its hash
#    order, so its owned sizes may change from run to run);
#  * `largest` lists equal sizes by address (0.51: in hash order, random per run).
# Every command is compared byte for byte with the sizes oracle (t/lib/PMATSizes.pm:
# Devel::MAT 0.51 with exactly those two changes), and with the plain oracle as well
# wherever neither change makes a difference; where only ties were broken, the sizes
# leading each `largest` listing are still compared with the plain oracle.  The two
# differences themselves are pinned at the end on t/progs/sizes.pl.
use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";

use Test::More;
use Time::HiRes qw( time );
use PMATTest;
use PMATSizes;

PMATTest::need_oracle();
need_ours();

my $ROOT = repo_root();

my @LARGEST = (
   [ "largest" ],
   [ "largest", "10" ],
   [ "largest", "1" ],
   [ "largest", "0" ],
   [ "largest", "--struct" ],
   [ "largest", "--struct", "4", "3", "2" ],
   [ "largest", "--struct", "2", "2", "2", "2" ],
   [ "largest", "--owned" ],
   [ "largest", "--owned", "3", "2", "2" ],
   [ "largest", "--owned", "1", "1", "1", "1" ],
   [ "largest", "--owned", "--struct", "2", "0", "3" ],   # owned wins
);

my %total = ( exact => 0, ties => 0, dups => 0 );
my $nsize = 0;
my $prog_no = 0;
foreach my $prog ( all_progs() ) {
   my $dump = dump_of( $prog );
   # (under CI each dump takes its turn of the variants: share_of)
   my @largest = share_of( $prog_no++, @LARGEST );
   # Devel::MAT's owned sizes of every SV are quadratic on a 10 000-link chain (hours):
   # see the deepchain subtest below instead.
   @largest = grep { !grep { $_ eq "--owned" } @$_ } @largest if $prog =~ m/^deepchain/;
   # Every `largest --owned` costs Devel::MAT ~25 s of CPU per oracle on a 100 000-SV
   # dump: keep one there.
   if( @{ sv_list( $dump ) } > 50_000 ) {
      my $kept = 0;
      @largest = grep { !( grep { $_ eq "--owned" } @$_ ) or !$kept++ } @largest;
   }

   # >= 20 SVs across kinds (2 of each kind present), some roots and an immortal
   my @svs = ( svs_of_kinds( $dump, 2 ), "defstash", "main_cv", "sv_undef", "sv_yes" );
   push @svs, svs_of_kinds( $dump, 6, kinds => [ "HASH", "CODE", "STASH" ] );
   my %seen;
   @svs = grep { !$seen{$_}++ } @svs;
   $nsize += @svs;

   subtest $prog => sub {
      cmp_ok( scalar @svs, ">=", 20, "at least 20 SVs to size" );
      my $stats = same_as_sizes_oracle( $dump, [ ( map { [ "size", $_ ] } @svs ), @largest ] );
      $total{$_} += $stats->{$_} for keys %$stats;
   };
}

subtest "arguments and errors" => sub {
   my $dump = dump_of( "refs" );
   same_as_sizes_oracle( $dump, [
      { cmd => [ "size" ], stderr => 1 },
      { cmd => [ "size", "0x1" ], stderr => 1 },
      { cmd => [ "size", '%main::' ], stderr => 1 },
      { cmd => [ "largest", "--nope" ], stderr => 1 },
      [ "help", "size" ],
      [ "largest", "2", "0" ],
      [ "largest", "+2", "2" ],
      [ "largest", "--owned", "1", "0", "3" ],
   ] );
   # our --retained option is an addition (docs/compat.md "extensions")
   same_as_oracle( $dump, [ "help", "largest" ], filter => \&PMATTest::without_extensions );
   # A count that is not a whole number never stops 0.51's `while( $count-- )`: it lists
   # every SV.  Ours: an error (docs/compat.md "absurd values", t/cli-conventions.t).
   for my $bad ( "1.5", "0x2", "abc", "2abc", "1e0", "99999999999999999999" ) {   # ("-1" is an option)
      my $r = run_ours( $dump, "largest", $bad );
      is( $r->{out}, "", "largest $bad: nothing listed" );
      like( $r->{err}, qr/^'\Q$bad\E' is not a count/, "largest $bad: an error" );
   }
   same_as_oracle( $dump, [ "largest", "00" ],
      sorted => "an unlimited listing of every SV: equal sizes come in hash order" );
};

subtest "deepchain: owned sizes" => sub {
   my $dump = dump_of( "deepchain" );
   # ours, whole heap: fast
   my $t0 = time;
   my $res = run_ours( $dump, "largest", "--owned", "5", "2" );
   my $took = time - $t0;
   is( $res->{exit}, 0, "largest --owned ran" );
   cmp_ok( $took, "<", 20, "in well under Devel::MAT's hours" );
   note sprintf "largest --owned on deepchain: %.2fs", $took;
   # each listed SV's owned size is what the oracle's `size` says for it (one owned set
   # each, which Devel::MAT computes quickly)
   my @top = $res->{out} =~ m/^(?:[ |]*)\S.* at (0x[0-9a-f]+)(?:=\S+)?: (\d+(?:\.\d)? (?:bytes|[KMGT]iB))/mg;
   my %metric;
   while( my ( $addr, $size ) = splice @top, 0, 2 ) { $metric{$addr} //= $size }
   cmp_ok( scalar keys %metric, ">=", 5, "listed SVs" );
   my @addrs = sort keys %metric;
   my @want = oracle_many( $dump, [ map { [ "size", $_ ] } @addrs ] );
   for my $i ( 0 .. $#addrs ) {
      my ( $owned ) = $want[$i]{out} =~ m/^  (.*) including owned referrants$/m;
      is( $metric{ $addrs[$i] }, $owned, "owned size of $addrs[$i] as the oracle's `size`" );
   }
   # the whole-heap pass equals one walk per SV for every SV of this dump
   my $unit = "$ROOT/" . ( $ENV{PMAT_BUILD} // "build/rel" ) . "/t/sizes";
   SKIP: {
      skip "$unit is not built (make units)", 1 unless -x $unit;
      my $u = run_cmd( [ $unit ], env => { PMAT_SIZES_DUMPS => $dump, PMAT_TEST_DUMP => "" } );
      like( $u->{out}, qr/^ok \d+ - \Q$dump\E: whole-heap owned sizes equal per-SV walks$/m,
         "t/unit/sizes.c on deepchain: whole-heap owned sizes equal per-SV walks" )
         or diag $u->{out};
   }
};

# ---------------------------------------------------------------------------------------
# The pinned differences, on t/progs/sizes.pl.

subtest "owned size: each SV once (0.51 may count one twice, by its hash order)" => sub {
   my $dump = dump_of( "sizes" );
   # Two stashes each hold two globs sharing one GP (one is the other's EGV).  When 0.51
   # walks the alias first, it queues the other glob twice and counts it twice, with the
   # scalar of their GP.
   for my $stash ( '%SizesAliasA::', '%SizesAliasB::' ) {
      ( my $pkg = $stash ) =~ s/^%//;
      my $ours = run_ours( $dump, "size", $stash );
      my ( $owned ) = $ours->{out} =~ m/^  (\d+) bytes including owned referrants$/m
         or do { fail( "size $stash" ); diag $ours->{out}; next };
      my ( $glob ) = run_ours( $dump, "size", "\$${pkg}p" )->{out} =~ m/^  (\d+) bytes directly$/m;
      my $twice = $owned + 152 + ( $glob // 0 );
      my @runs;
      for my $seed ( 1 .. 4 ) {
         my $r = run_cmd( [ $^X, "-I$ROOT/t/lib", "-MPMATFixes", "-MDevel::MAT",
               "-MDevel::MAT::Tool::Sizes", "-e",
               'my $p = Devel::MAT->load( shift ); print $p->find_symbol( shift )->owned_size, "\n"',
               $dump, $stash ],
            env => { PERL_HASH_SEED => $seed, PERL_PERTURB_KEYS => 0 } );
         chomp( my $v = $r->{out} );
         push @runs, $v;
      }
      note "$stash: ours $owned, Devel::MAT with hash seeds 1-4: @runs";
      ok( !grep( { $_ != $owned and $_ != $twice } @runs ),
         "$stash: 0.51 gives ours ($owned) or ours + a glob and its scalar ($twice)" );
      $main::DOUBLE{$stash} = grep { $_ == $twice } @runs;
   }
   ok( ( grep { $_ } values %main::DOUBLE ), "0.51 counted a glob twice in some run" );
   # the sizes oracle (each SV once) agrees with us, and says a duplicate was possible
   my ( $fixed ) = sizes_oracle_many( $dump, [ [ "size", '%SizesAliasA::' ] ] );
   is( $fixed->{out}, run_ours( $dump, "size", '%SizesAliasA::' )->{out}, "sizes oracle agrees" );
   ok( $fixed->{dups}, "... and flags the SV reached twice" );
};

subtest "largest: ties by address (0.51: hash order)" => sub {
   my $dump = dump_of( "sizes" );
   my @svs = @{ sv_list( $dump ) };
   # the seven copies of "t" x 300_000 (the constant it is copied from is a bit bigger)
   my %n_of_size;
   $n_of_size{ $_->{size} }++ for @svs;
   my ( $tie ) = sort { $b <=> $a } grep { $n_of_size{$_} >= 7 and $_ > 200_000 } keys %n_of_size;
   my @tied = map { $_->{addr} } grep { $_->{size} == ( $tie // -1 ) } @svs;   # address order
   is( scalar @tied, 7, "seven equal strings" );
   my $above = grep { $_->{size} > ( $tie // 0 ) } @svs;
   my $n = $above + 3;
   my $ours = run_ours( $dump, "largest", $n );
   my @got = ( $ours->{out} =~ m/^SCALAR\(PV\) at (0x[0-9a-f]+): /mg )[ $above .. $n - 1 ];
   is_deeply( \@got, [ @tied[ 0 .. 2 ] ], "largest $n: after the $above bigger SVs, the three lowest addresses of the seven, in order" );
   my $plain = run_oracle( $dump, "largest", $n );
   my @theirs = ( $plain->{out} =~ m/^SCALAR\(PV\) at (0x[0-9a-f]+): /mg )[ $above .. $n - 1 ];
   my %is_tied = map { $_ => 1 } @tied;
   is( scalar( grep { $is_tied{$_} } @theirs ), 3, "0.51 shows three of the seven (any three)" );
   is( top_level_sizes( $plain->{out} ), top_level_sizes( $ours->{out} ), "... of the same size" );
   is( run_ours( $dump, "largest", $n )->{out}, $ours->{out}, "ours: the same every run" );
};

note "size commands: $nsize; plain oracle compared exactly: $total{exact}, "
   . "top-level sizes only (ties): $total{ties}, not comparable (an owned set reaching an SV twice): $total{dups}";

done_testing;
