#!/usr/bin/perl
# deepchain_1m.pl - deepchain.pl with a 1 000 000-link list (a ~150 MB dump).  Generated
# only when a test asks for it: dump_of( "deepchain_1m" ).
#   perl t/progs/deepchain_1m.pl OUT.pmat
# pmat-test: on-demand
use strict;
use warnings;
use File::Basename qw( dirname );
use File::Spec;

$ENV{PMAT_CHAIN_LENGTH} = 1_000_000;
my $prog = File::Spec->rel2abs( dirname( __FILE__ ) . "/deepchain.pl" );
do $prog or die "Cannot run $prog: " . ( $@ || $! );
