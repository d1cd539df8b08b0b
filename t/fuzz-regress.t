#!/usr/bin/perl
# Every input under t/data/fuzz-regress/ once crashed, hung, leaked or upset a sanitizer
# (fuzzing finds, and the hand-made hazards of t/tools/mkhostile.pl).  Each must now load
# with bin/pmat and survive a few commands: exit 0, or exit 2 with exactly one line
# "pmat: FILE: ... at byte N" — never a signal, a hang or a sanitizer report.
# Under `make check SANITIZE=1` bin/pmat is the ASan/UBSan build.
use strict;
use warnings;

use FindBin;
use File::Spec;
use IPC::Open3;
use Symbol qw( gensym );
use Test::More;

my $ROOT = File::Spec->rel2abs( "$FindBin::Bin/.." );
my $PMAT = $ENV{PMAT_BIN} // "$ROOT/bin/pmat";
plan skip_all => "no $PMAT (run make)" unless -x $PMAT;

my @inputs = sort grep { -f } glob "$ROOT/t/data/fuzz-regress/*";
ok( scalar @inputs, "there are regression inputs" );

# Run pmat with a time limit; returns ( exit status, signal, stdout, stderr ).
sub run_pmat
{
   my ( $stdin, @args ) = @_;
   my $err = gensym;
   my $pid = open3( my $in, my $out, $err, "timeout", "-s", "KILL", "60", $PMAT, @args );
   print $in $stdin; close $in;
   my ( $o, $e ) = ( "", "" );
   # small outputs: read stdout then stderr (pmat never fills both pipes here)
   { local $/; $o = <$out> // ""; $e = <$err> // "" }
   waitpid $pid, 0;
   return ( $? >> 8, $? & 127, $o, $e );
}

my $script = join "", map { "$_\n" } "summary", "count", "count --blessed", "roots", "largest", "callstack",
   "show defstash", "identify defstash", "show main_cv", "find num 1", "symbols main",
   "list-dangling-ptrs";

foreach my $f ( @inputs ) {
   my $name = ( File::Spec->splitpath( $f ) )[2];
   my ( $rc, $sig, $out, $errs ) = run_pmat( $script, "-q", $f );
   is( $sig, 0, "$name: no signal" );
   ok( $rc == 0 || $rc == 2, "$name: exit 0 or 2" ) or diag "exit $rc";
   unlike( $errs, qr/AddressSanitizer|LeakSanitizer|runtime error:|Segmentation/, "$name: no sanitizer report" )
      or diag $errs;
   # exit 2 is a load error (one line) -- or, once loaded, a piped command that failed
   # (docs/compat.md "CLI conventions"); a loaded dump answers `summary` first
   if( $rc == 2 and $out !~ m/^Perl memory dumpfile from /m ) {
      like( $errs, qr/\Apmat: \Q$f\E: [^\n]+ at byte \d+\n\z/, "$name: one error line" ) or diag $errs;
   }
}

# the helper programs load the same inputs (pmat-leakreport in its minimal load mode)
my $BIN = ( File::Spec->splitpath( $PMAT ) )[1];
foreach my $prog ( qw( pmat-counts pmat-diff pmat-leakreport pmat-list-orphans ) ) {
   next unless -x "$BIN/$prog";
   foreach my $f ( @inputs ) {
      my $name = ( File::Spec->splitpath( $f ) )[2];
      my $rc = system( "timeout -s KILL 60 $BIN/$prog $f $f >/dev/null 2>&1" );
      ok( ( $rc & 127 ) == 0 && ( $rc >> 8 ) <= 2, "$prog $name: exit 0..2, no signal" ) or diag "status $rc";
   }
}

done_testing;
