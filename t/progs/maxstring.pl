#!/usr/bin/perl
# maxstring.pl - strings dumped with -max_string,-1 (no capture limit): PVs longer than
# 256 bytes are stored whole.
#   perl t/progs/maxstring.pl OUT.pmat
use strict;
use warnings;
use Devel::MAT::Dumper -max_string => -1;

our $LONG  = "x" x 300;
our $ULONG = "\x{263a}" x 100;
our $HUGE  = join "", map { chr( 32 + $_ % 90 ) } 0 .. 99_999;

Devel::MAT::Dumper::dump( $ARGV[0] );
