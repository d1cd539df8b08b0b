#!/usr/bin/perl
# pmat against Devel::MAT 0.56 (perl 5.42) in the sid root, on dumps of t/progs
# written there by Devel::PMAT (built for that perl): see t/lib/PerlsTest.pm.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use PerlsTest;

PerlsTest::run( "sid", dumper => "pmat" );
done_testing;
