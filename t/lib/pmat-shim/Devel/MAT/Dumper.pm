package Devel::MAT::Dumper;
# Test shim: lets the unchanged t/progs/*.pl programs write their dumps with our
# Devel::PMAT (built into perl/blib) instead of Devel::MAT::Dumper.  Selected by
# PMATTest when PMAT_TEST_DUMPER=pmat (or dump_of( ..., dumper => 'pmat' )), which puts
# this directory and perl/blib on @INC.  Devel::PMAT has the same interface: dump(PATH),
# dumpfh(FH) and the same import options; like 0.46 it writes format 0.4, which the
# host's Devel::MAT 0.51 (the oracle) reads, unless a format was chosen before (the tests
# in the Debian roots load Devel::PMAT with -format=0.6 first).
use strict;
use warnings;

our $VERSION = '0.46';

require Devel::PMAT;
$Devel::PMAT::FORMAT //= "0.4";   # a root's tests ask for 0.6 with -MDevel::PMAT=-format=0.6

sub import
{
   my $pkg = shift;
   Devel::PMAT->import( @_ );
}

sub dump   { Devel::PMAT::dump( @_ ) }
sub dumpfh { Devel::PMAT::dumpfh( @_ ) }

1;
