#!/usr/bin/perl
# pmat against Devel::MAT 0.53 (perl 5.40) in the trixie root, on dumps of t/progs
# written there by Devel::PMAT (built for that perl): see t/lib/PerlsTest.pm.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use PerlsTest;

PerlsTest::run( "trixie", dumper => "pmat" );
done_testing;
