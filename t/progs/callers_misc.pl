#!/usr/bin/perl
# callers_misc.pl - unusual call frames at dump time: a sub entered by goto &sub, an
# anonymous closure, a lexical (my) sub, a `&name;` call sharing its caller's @_, a named
# sort comparator (MULTICALL frame), a tied FETCH called by perl, a DESTROY called at
# scope exit, and a `do FILE` / require (frames that are not recorded).
#   perl t/progs/callers_misc.pl OUT.pmat
use strict;
use warnings;
use feature qw( lexical_subs );
no warnings qw( experimental::lexical_subs );
use Devel::MAT::Dumper;
use Tie::Hash;
use File::Spec;

our $DUMPED = 0;

package Destroyer {
   sub new { my ( $class, %args ) = @_; return bless { %args }, $class }
   sub DESTROY {
      my $self = shift;
      return if $main::DUMPED++;
      Devel::MAT::Dumper::dump( $ARGV[0] );
   }
}

package Fetching::Hash {
   our @ISA = ( 'Tie::StdHash' );
   sub FETCH {
      my ( $self, $key ) = @_;
      { my $d = Destroyer->new( key => $key ); }   # DESTROY runs here
      return $self->{$key};
   }
}

package main;

tie our %TIED, 'Fetching::Hash';
$TIED{x} = "fetched";

sub by_fetch {
   my $v = $TIED{x};
   return $a <=> $b;
}

sub inherits_args {
   # called as `&inherits_args;` - sees the caller's @_
   my @sorted = sort by_fetch ( 3, 1, 2 );
   return @sorted;
}

my sub lexical_caller {
   my ( @args ) = @_;
   &inherits_args;
   return;
}

my $closure_var = "captured";
my $anon = sub {
   my $seen = $closure_var;
   lexical_caller( @_, $seen );
};

sub jumper { goto &$anon }

# Write a tiny file to `do`, so a require-like frame sits under everything.
my $do_file = File::Spec->rel2abs( "$ARGV[0].do.pl" );
open my $fh, ">", $do_file or die "Cannot write $do_file - $!";
print $fh "main::jumper( 'via do', 17 ); 1;\n";
close $fh;
do $do_file or die "do $do_file failed: $@ $!";
unlink $do_file;
die "no dump was taken\n" unless $DUMPED;
