#!/usr/bin/perl
# helpers.pl - the dumper's helper API for XS modules (Devel::MAT::Dumper::Helper), through
# the tiny XS module in t/progs/xs/DMDTest (built on first use into t/tmp/xs-build/):
# C_STRUCT records (META_STRUCT + STRUCT with PTR/UINT/BOOL fields), annotations from a
# package helper and from a magic helper ('~' ext magic), and extra strong/weak roots.
#   perl t/progs/helpers.pl OUT.pmat
# pmat-test: depends xs/DMDTest
use strict;
use warnings;
use Devel::MAT::Dumper;
use File::Basename qw( dirname );
use File::Spec;

my $blib;
BEGIN {
   my $here = File::Spec->rel2abs( dirname( __FILE__ ) );
   my $src  = "$here/xs/DMDTest";
   my $top  = File::Spec->rel2abs( "$here/../tmp/xs-build" );
   my $dir  = "$top/DMDTest";

   my $newest = 0;
   for my $f ( glob( "$src/*" ), glob( "$src/lib/*" ) ) {
      my $m = ( stat $f )[9];
      $newest = $m if $m > $newest;
   }
   require File::Path;
   File::Path::make_path( $top );
   # One builder at a time (the Devel::MAT::Dumper and Devel::PMAT variants may run at once).
   open my $lock, ">", "$top/.DMDTest.lock" or die "Cannot lock $top - $!";
   flock( $lock, 2 ) or die "flock - $!";
   if( !-f "$dir/.built" or ( stat "$dir/.built" )[9] < $newest ) {
      require File::Copy;
      my $tmp = "$dir.tmp.$$";
      File::Path::remove_tree( $tmp );
      File::Path::make_path( "$tmp/lib" );
      File::Copy::copy( $_, "$tmp/lib/" ) or die "copy $_ - $!" for glob "$src/lib/*";
      File::Copy::copy( $_, "$tmp/" ) or die "copy $_ - $!" for grep { -f } glob "$src/*";
      my $log = "$tmp/build.log";
      system( "cd '$tmp' && '$^X' Makefile.PL >'$log' 2>&1 && make >>'$log' 2>&1" ) == 0
         or die "Building DMDTest failed:\n" . do { local ( @ARGV, $/ ) = $log; <> };
      open my $fh, ">", "$tmp/.built" or die; close $fh;
      File::Path::remove_tree( $dir );
      rename $tmp, $dir or die "rename $tmp - $!";
   }
   $blib = $dir;
}
use lib "$blib/blib/lib", "$blib/blib/arch";
use DMDTest;

our $OBJ = DMDTest->new( "STRUCT-BUFFER", 7, [ "more data" ] );
our $OBJ2 = DMDTest->new( "second buffer", 42, [] );
our @OBJS = map { DMDTest->new( "buffer $_", $_, [ $_ ] ) } 1 .. 3;

our $MAGICAL = "an SV with ext magic";
DMDTest::attach_magic( $MAGICAL, "HIDDEN TARGET" );

DMDTest::add_root( "STRONG ROOT VALUE", "+the DMDTest root" );
DMDTest::add_root( "WEAK ROOT VALUE", "-a weak DMDTest root" );
DMDTest::add_root( "PLAIN ROOT VALUE", "plain DMDTest root" );

Devel::MAT::Dumper::dump( $ARGV[0] );
