#!/usr/bin/perl
# end.pl - a dump written by the dumper's own END block, as with
#   perl -MDevel::MAT::Dumper=-dump_at_END,-file,OUT.pmat t/progs/end.pl
# (no contexts at END time).  The harness reads the next line for the perl options.
# pmat-test: perl-args -MDevel::MAT::Dumper=-dump_at_END,-file,%OUT%
use strict;
use warnings;

our %STATE = ( phase => "finished", items => [ 1 .. 5 ] );
our $RESULT = join ",", map { $_ * 2 } @{ $STATE{items} };
my $lexical = { note => "a file lexical still alive at END" };
print STDERR "end.pl: main program done\n" if $ENV{PMAT_VERBOSE};
