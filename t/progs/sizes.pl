#!/usr/bin/perl
# sizes.pl - shapes that matter to the size measures (size, largest, count --struct/--owned):
#  * two globs sharing one GP (glob assignment, made at run time so no op holds either
#    glob), in two stashes: one glob is reachable twice from its stash, which Devel::MAT
#    0.51's owned set counts twice in some runs (docs/compat.md "owned size");
#  * seven equal-sized strings bigger than anything else in the heap (ties in `largest`);
#  * a leaked reference cycle of refcount-1 SVs (a strongly-connected owned set);
#  * an @_ array holding one SV twice (a structure set with a duplicate);
#  * nested owned structures (hash of arrays of hashes), a sub with constants;
#  * blessed hashes in 13 packages with tied counts (count -b "(others)" and ordering).
#   perl t/progs/sizes.pl OUT.pmat
use strict;
use warnings;
use Devel::MAT::Dumper;

# Devel::MAT walks a stash's values in its own hash order (random per run): made both
# ways round, so that in most runs one of the two stashes is walked the way that counts
# a glob twice.
{
   no strict 'refs';
   ${"SizesAliasA::p"} = "held once";
   *{"SizesAliasA::q"} = *{"SizesAliasA::p"};
   ${"SizesAliasB::q"} = "held once";
   *{"SizesAliasB::p"} = *{"SizesAliasB::q"};
}

our @TIES = map { "t" x 300_000 } 1 .. 7;

{
   my $cyc = [ "cycle member " . ( "c" x 40 ) ];
   push @$cyc, $cyc;
}

my $twice = "aliased twice in \@_";
our $ARGS_TWICE = sub { \@_ }->( $twice, $twice );

our %NESTED = map { ( "k$_" => [ map { { v => "x" x ( 10 * $_ ) } } 1 .. $_ ] ) } 1 .. 6;

sub with_constants { return "a constant string" . $_[0] . 42 . 3.5 }

our @OBJS;
for my $i ( 1 .. 13 ) {
   push @OBJS, bless { i => $i }, sprintf "Sz::Pkg%02d", $i for 1 .. 1 + $i % 4;
}

Devel::MAT::Dumper::dump( $ARGV[0] );
