#!/usr/bin/perl
# series_classes.pl - 3 dumps of a program with 14 busy classes and one small class
# that grows: `Job` has 1 object, then 2, then 4, while each Class::NN keeps 8 to 21
# (one more every dump), so `count -b` hides Job in "(others)" (count -b --all,
# --package, pmat-counts --sort growth).
#   perl t/progs/series_classes.pl OUT-TEMPLATE      (writes %d = 1, 2 and 3)
# pmat-test: series
use strict;
use warnings;
use Devel::MAT::Dumper;

my $template = shift @ARGV // die "usage: series_classes.pl OUT-%d.pmat\n";

our %OBJS;
our @JOBS;
for my $i ( 1 .. 3 ) {
   for my $n ( 1 .. 14 ) {
      my $class = sprintf "Class::%02d", $n;
      push @{ $OBJS{$class} }, bless {}, $class while @{ $OBJS{$class} // [] } < 7 + $n + $i - 1;
   }
   push @JOBS, bless { id => scalar @JOBS }, 'Job' while @JOBS < 2 ** ( $i - 1 );
   Devel::MAT::Dumper::dump( sprintf $template, $i );
}
