#!/usr/bin/perl
# pmat against Devel::MAT 0.53 (perl 5.40, Devel::MAT::Dumper 0.50) in the trixie root, on
# dumps of t/progs written there: see t/lib/PerlsTest.pm.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use PerlsTest;

PerlsTest::run( "trixie" );
done_testing;
