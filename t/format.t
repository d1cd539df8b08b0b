#!/usr/bin/perl
# The .clang-format is the one authority on the layout of the C sources: every file of
# lib/, cli/, t/unit/, t/bin/ and fuzz/ is as `clang-format` (Debian's, a package of
# `make check`'s set-up) would write it.  `make format` rewrites them.  PMAT_SRC names
# another tree of the same sources to check (make mutants' scratch copy).
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use PMATTest ();

my $REPO = "$FindBin::Bin/..";
my $cf = ( grep { -x } map { "$_/clang-format" } split m/:/, $ENV{PATH} )[0];
unless( $cf ) {
   plan skip_all => "no clang-format (Debian package clang-format)" unless $ENV{CI};
   fail( "CI needs clang-format" );
   done_testing;
   exit;
}

my $SRC = $ENV{PMAT_SRC} // $REPO;
my @files = map { glob "$SRC/$_" } qw( lib/*.[ch] cli/*.[ch] t/unit/*.[ch] t/bin/*.c fuzz/*.c );
ok( scalar @files > 50, scalar( @files ) . " C files" );
for my $f ( @files ) {
   # the checkout's .clang-format, wherever the file is
   my $res = PMATTest::run_cmd( [ $cf, "--style=file", "--assume-filename=$REPO/" . ( $f =~ s{^\Q$SRC\E/}{}r ) ],
      cwd => $REPO, stdin => PMATTest::_slurp( $f ) );
   is( $res->{exit}, 0, "clang-format reads " . ( $f =~ s{^\Q$SRC\E/}{}r ) ) or next;
   ok( $res->{out} eq PMATTest::_slurp( $f ), "... and leaves it as it is" )
      or diag( "make format rewrites it" );
}
done_testing;
