#!/usr/bin/perl
# Runs every C unit test binary ($PMAT_BUILD/t/*, default build/rel/t/*; built by
# `make units` from t/unit/*.c) and passes its TAP through as a subtest.
# Tests that need a real dump get one in $PMAT_TEST_DUMP (t/tmp/cli-unit.pmat).
use strict;
use warnings;

use FindBin;
use File::Spec;
use Test::More;

my $ROOT  = File::Spec->rel2abs( "$FindBin::Bin/.." );
my $BUILD = $ENV{PMAT_BUILD} // "build/rel";
$BUILD = "$ROOT/$BUILD" unless File::Spec->file_name_is_absolute( $BUILD );

my @bins = sort grep { -f $_ && -x _ } glob "$BUILD/t/*";
plan skip_all => "no unit test binaries in $BUILD/t (run `make units`)" unless @bins;

# A dump for the tests that resolve SVs (made atomically: tests may run in parallel).
my $dump = "$ROOT/t/tmp/cli-unit.pmat";
unless( -s $dump ) {
   mkdir "$ROOT/t/tmp";
   my $tmp = "$dump.$$";
   system( $^X, "-MDevel::MAT::Dumper", "-e", 'Devel::MAT::Dumper::dump(shift)', $tmp ) == 0
      and rename $tmp, $dump;
   unlink $tmp;
}
# t/unit/*.c skip their real-dump cases without it: here that is a failure
ok( -s $dump, "the real dump for the unit tests exists ($dump)" ) or BAIL_OUT( "cannot make $dump" );
$ENV{PMAT_TEST_DUMP} = $dump;

foreach my $bin ( @bins ) {
   my $name = "t/unit/" . ( File::Spec->splitpath( $bin ) )[2];
   subtest $name => sub {
      my $pid = open my $fh, "-|";
      defined $pid or return fail( "fork: $!" );
      if( !$pid ) {
         open STDERR, ">&", \*STDOUT;
         exec { $bin } $bin or do { print "Bail out! exec $bin: $!\n"; exit 127 };
      }
      my ( $plan, $seen ) = ( undef, 0 );
      while( my $line = <$fh> ) {
         chomp $line;
         if( $line =~ m/^(not )?ok\s+(\d+)\s*(?:-\s*)?(.*)$/ ) {
            my ( $not, $desc ) = ( $1, $3 );
            $seen++;
            if( $desc =~ s/\s*#\s*skip\b\s*(.*)$//i ) {
               my $why = $1 // "";
               # the dump is always given here: its cases may not skip
               if( $why =~ m/PMAT_TEST_DUMP/ ) { fail( "$desc (skipped: $why)" ) }
               else                             { SKIP: { skip $why, 1 } }
            }
            elsif( $desc =~ s/\s*#\s*todo\b\s*(.*)$//i ) {
               TODO: { local $TODO = $1; ok( !$not, $desc ) }
            }
            else {
               ok( !$not, $desc );
            }
         }
         elsif( $line =~ m/^1\.\.(\d+)/ ) {
            $plan = $1;
         }
         elsif( $line =~ m/^#\s?(.*)$/ ) {
            $seen ? diag( $1 ) : note( $1 );
         }
         elsif( $line =~ m/^Bail out!/ ) {
            fail( $line );
         }
         elsif( length $line ) {
            diag( $line );
         }
      }
      close $fh;
      my $status = $?;
      is( $status, 0, "$name exited cleanly" ) or diag sprintf "wait status %d (exit %d, signal %d)",
         $status, $status >> 8, $status & 127;
      ok( defined $plan && $plan == $seen, "$name ran its whole plan" )
         or diag sprintf "plan %s, saw %d", $plan // "none", $seen;
   };
}

done_testing;
