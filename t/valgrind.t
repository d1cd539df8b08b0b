#!/usr/bin/perl
# valgrind finds no memory errors and no leaks in the core commands, on the tiny
# hand-made dump (every record kind), a tiny real dump (Devel::MAT::Dumper cut down by
# t/tools/pmat-rewrite.pl) and a few damaged files (the error paths free everything too).
# Skipped when valgrind is missing or bin/pmat is a sanitizer build (make SANITIZE=1).
use strict;
use warnings;

use FindBin;
use File::Path qw( make_path );
use File::Spec;
use Test::More;

my $ROOT = File::Spec->rel2abs( "$FindBin::Bin/.." );
my $PMAT = $ENV{PMAT_BIN} // "$ROOT/bin/pmat";
plan skip_all => "no $PMAT (run make)" unless -x $PMAT;
plan skip_all => "valgrind not installed" unless `valgrind --version 2>/dev/null` =~ /valgrind/;
plan skip_all => "bin/pmat is a sanitizer build" if ( $ENV{PMAT_BUILD} // "" ) =~ /san/
   or `nm -D $PMAT 2>/dev/null` =~ /__asan_init/;

my $DIR = "$ROOT/t/tmp/valgrind";
make_path( $DIR );
my $tiny = "$DIR/tiny.pmat";
system( $^X, "$ROOT/t/tools/mkdump.pl", "--mortals", $tiny ) == 0 or BAIL_OUT( "mkdump.pl" );
my $tiny5 = "$DIR/tiny5.pmat";
system( $^X, "$ROOT/t/tools/mkdump.pl", "--minor", 5, $tiny5 ) == 0 or BAIL_OUT( "mkdump.pl" );
my $real = "$DIR/real-cut.pmat";
unless( -s $real ) {
   my $full = "$DIR/real-full.pmat";
   system( $^X, "-MDevel::MAT::Dumper", "-e", 'Devel::MAT::Dumper::dump(shift)', $full ) == 0
      and system( $^X, "$ROOT/t/tools/pmat-rewrite.pl", "--keep", 3000, $full, $real ) == 0
      or BAIL_OUT( "cannot make the real dump" );
   unlink $full;
}
my $bad = "$DIR/bad.pmat";
{ open my $fh, "<:raw", $tiny or die; local $/; my $b = <$fh>; substr( $b, 2000 ) = "";
  open my $o, ">:raw", $bad or die; print $o $b; close $o }

my @VG = ( "valgrind", "-q", "--error-exitcode=99", "--leak-check=full",
   "--show-leak-kinds=definite,indirect,possible", "--errors-for-leak-kinds=definite,indirect,possible" );

sub vg_ok
{
   my ( $name, @args ) = @_;
   my $log = "$DIR/vg.log";
   my $rc = system( "timeout 300 @VG --log-file=$log $PMAT @args >/dev/null 2>&1" );
   my $exit = $rc >> 8;
   open my $fh, "<", $log; my $text = do { local $/; <$fh> } // ""; close $fh;
   ok( $exit != 99 && $text eq "", "$name: no valgrind errors or leaks" ) or diag "exit $exit\n$text";
}

# Addresses of a few SVs to show/identify: the first heap SVs the dump lists.
for my $dump ( $tiny, $tiny5, $real ) {
   my ( $name ) = $dump =~ m{([^/]+)\.pmat$};
   vg_ok( "$name summary", $dump );
   vg_ok( "$name count", "-q", $dump, "count" );
   vg_ok( "$name tools", "-q", $dump, "tools" );
   for my $sv ( qw( defstash main_cv sv_undef ) ) {
      vg_ok( "$name show $sv", "-q", $dump, "show", $sv );
      vg_ok( "$name identify $sv", "-q", $dump, "identify", $sv );
   }
   vg_ok( "$name largest", "-q", $dump, "largest" );
}
vg_ok( "truncated dump (error path)", "-q", $bad, "count" );
vg_ok( "missing file (error path)", "-q", "$DIR/nope.pmat" );

done_testing;
