#!/usr/bin/perl
# pmat against Devel::MAT 0.56 (perl 5.42, Devel::MAT::Dumper 0.52) in the sid root, on
# dumps of t/progs written there: see t/lib/PerlsTest.pm.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use PerlsTest;

PerlsTest::run( "sid" );
done_testing;
