#!/usr/bin/perl
# locals.pl - `local` of $x, @x, %x, $a[0], $h{k}, *f, &-slot (local *f = sub), $_ and
# special variables, at two call levels, so the dump records SAVED_SV/AV/HV/AELEM/
# HELEM/CV records (the "saved value of ..." inferred references).
#   perl t/progs/locals.pl OUT.pmat
use strict;
use warnings;
use Devel::MAT::Dumper;

our $S = "global scalar";
our @A = ( "global", "array" );
our %H = ( k => "global hash value", other => 1 );
our @ELEM = ( "elem0 global", "elem1" );
our %HELEM = ( key => "helem global" );
our $NESTED = "nested global";
sub f { return "original f" }
sub g { return "original g" }

sub outer {
   local $/ = undef;                     # special variables, outermost
   local $, = "-";
   local $NESTED = "nested outer";
   inner( "arg" );
}

sub inner {
   local $S = "localised scalar";
   local @A = ( "localised", "array" );
   local %H = ( k => "localised hash" );
   local $ELEM[0] = "localised elem0";
   local $HELEM{key} = "localised helem";
   local $HELEM{new_key} = "key did not exist";
   local $_ = "localised topic";
   no warnings 'redefine';
   local *f = sub { return "replacement f" };
   local *g;
   local $NESTED = "nested inner";
   Devel::MAT::Dumper::dump( $ARGV[0] );
}

outer();
