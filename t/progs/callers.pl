#!/usr/bin/perl
# callers.pl - a populated call stack at dump time: a method call with $self in list
# context with values already on the argument stack, recursion 3 deep, a sub called with
# no arguments, @_ partly shift()ed, immortals (undef, !!1, !!0) and a temporary object
# passed as arguments (that object is reachable only from the stack / @_), an eval {}
# frame and an eval STRING frame, scalar/list/void contexts.
#   perl t/progs/callers.pl OUT.pmat
use strict;
use warnings;
use Devel::MAT::Dumper;

package Obj {
   sub new { my ( $class, $name ) = @_; return bless { name => $name }, $class }
   sub method {
      my ( $self, @args ) = @_;
      my @r = main::recurse( 3, $self, @args );   # list context
      return @r;
   }
}

package main;

sub recurse {
   my ( $n, $self, @rest ) = @_;
   my $local_at_depth = "depth $n";
   if( $n > 1 ) {
      recurse( $n - 1, $self, @rest );            # void context
      return;
   }
   return no_args();
}

sub no_args {
   my $r = shifter( "first", "second", "third" );  # scalar context
   return $r;
}

sub shifter {
   my $first = shift;
   my $second = shift;
   # @_ now holds only "third"
   my $ret = eval {
      with_immortals( undef, !!1, !!0, Obj->new( "stack only" ), 3.5, "str" );
      1;
   };
   die $@ unless $ret;
   return $ret;
}

sub with_immortals {
   my $result = eval q{
      my $in_eval = "inside eval string";
      Devel::MAT::Dumper::dump( $ARGV[0] );
      1;
   };
   die $@ unless $result;
   return;
}

my $obj = Obj->new( "main object" );
my @list = ( 10, 20, $obj->method( 42, "forty-two" ), 30 );
