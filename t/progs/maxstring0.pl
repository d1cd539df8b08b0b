#!/usr/bin/perl
# maxstring0.pl - strings dumped with -max_string,0: every PV captured as the empty
# string while PVLEN keeps the real length.
#   perl t/progs/maxstring0.pl OUT.pmat
use strict;
use warnings;
use Devel::MAT::Dumper -max_string => 0;

our $SHORT = "short";
our $LONG  = "x" x 300;
our $UTF   = "caf\x{e9} \x{263a}";

Devel::MAT::Dumper::dump( $ARGV[0] );
