#!/usr/bin/perl
# The Reachability classification (lib/reach.c, through t/bin/reach-classes) against
# Devel::MAT 0.51's Reachability tool, SV by SV, on every corpus dump: the class of
# every heap SV and of the three immortals, and the tool's warnings.
#
# 0.51 walks each stash's keys in Perl hash order (ours: file order), and that order
# decides which class wins for an SV met in two roles (e.g. a closure that is both a
# stash's magic object and user data).  So where the classes differ, the oracle is run
# again under several fixed hash seeds, and ours must be one of the classes 0.51 gives
# that SV under some seed.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use PMATTest;

PMATTest::need_oracle();
my $root = PMATTest::repo_root();
my $build = $ENV{PMAT_BUILD} // "build/rel";
my $tool = $ENV{PMAT_REACH_TOOL} // "$root/$build/tbin/reach-classes";
plan skip_all => "$tool not built (make units)" unless -x $tool;

my $oracle = <<'PERL';
use strict; use warnings;
use Devel::MAT;
my $pmat = Devel::MAT->load( $ARGV[0], progress => undef );
$pmat->load_tool( "Reachability" );
my $df = $pmat->dumpfile;
my @svs = ( ( sort { $a->addr <=> $b->addr } $df->heap ), map { $df->sv_at( $df->{"${_}_at"} ) } qw( undef yes no ) );
printf "%#x %d\n", $_->addr, $_->{tool_reachable} // 0 for @svs;
PERL

foreach my $prog ( all_progs(), "refgraph" ) {
   my $dump = dump_of( $prog );
   my $want = PMATTest::run_cmd( [ $^X, "-e", $oracle, $dump ] );
   my $got  = PMATTest::run_cmd( [ $tool, $dump ] );
   is( $got->{exit}, 0, "$prog: reach-classes runs" ) or diag $got->{err};
   my @w = split m/\n/, $want->{out};
   my @g = split m/\n/, $got->{out};
   is( scalar @g, scalar @w, "$prog: one class per SV" );
   my @bad = grep { ( $w[$_] // "" ) ne ( $g[$_] // "" ) } 0 .. $#w;
   my $name = "$prog: every SV's class is Devel::MAT's";
   if( @bad ) {
      my %seen = map { $_ => { $w[$_] => 1 } } @bad;
      for my $seed ( 1 .. 8 ) {
         my $again = PMATTest::run_cmd( [ $^X, "-e", $oracle, $dump ],
            env => { PERL_HASH_SEED => $seed, PERL_PERTURB_KEYS => 0 } );
         my @a = split m/\n/, $again->{out};
         $seen{$_}{ $a[$_] // "" } = 1 for @bad;
      }
      @bad = grep { !$seen{$_}{ $g[$_] // "" } } @bad;
      $name .= " [or its class under another hash seed: stash keys are walked in hash order]";
   }
   ok( !@bad, $name )
      or diag join "\n", map { "  Devel::MAT $w[$_]   pmat " . ( $g[$_] // "-" ) } @bad[0 .. ( $#bad < 9 ? $#bad : 9 )];
   my $wwarn = join "\n", sort split m/\n/, PMATTest::strip_perl_locations( $want->{err} );
   my $gwarn = join "\n", sort split m/\n/, $got->{err};
   is( $gwarn, $wwarn, "$prog: the same warnings [sorted: the user-data queue follows hash order]" );
}

done_testing;
