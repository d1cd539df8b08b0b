#!/usr/bin/perl
# Programs for t/07-callstack.t: each MODE ends in a hook-triggered dump
# (the dumper and its -dump_at_* option come from the command line), or a
# dump() call to $ENV{CALLSTACK_DUMP}, from inside nested subs with
# arguments, eval {}, eval "", a sort block or a signal handler.
# Run as: perl -MDumper=OPTS callstack.pl MODE
use strict;
use warnings;

my $mode = shift @ARGV // die "usage: callstack.pl MODE\n";
my %obj = ( name => "the object" );

sub trigger
{
   my ( $how ) = @_;
   if( $how eq "die" )     { die "fatal in inner\n" }
   elsif( $how eq "warn" ) { warn "warning in inner\n" }
   elsif( $how eq "dump" ) {
      # a dump called from code, by whichever dumper was loaded
      my $dump = defined &Devel::PMAT::dump ? \&Devel::PMAT::dump : \&Devel::MAT::Dumper::dump;
      $dump->( $ENV{CALLSTACK_DUMP} );
   }
   elsif( $how =~ m/^kill (\w+)$/ ) {
      kill $1 => $$;
      my $x = 0; $x++ for 1 .. 3;    # a few ops: the deferred handler runs here
   }
}

sub inner  { my ( $how, $n ) = @_; trigger( $how ); return $n }
sub middle { my $self = shift; inner( @_, 42 ) }
sub outer  { my ( $how ) = @_; return middle( \%obj, $how ) }

sub in_sort
{
   my ( $how ) = @_;
   my @s = sort { outer( $how ); $a <=> $b } 3, 1;
   return scalar @s;
}

sub in_evals
{
   my ( $how ) = @_;
   my $r = eval { eval "outer( \$how ); 1" or die $@; 1 };
   die $@ unless $r;
   return $r;
}

sub in_handler
{
   my ( $how ) = @_;
   local $SIG{USR2} = sub { my ( $sig ) = @_; outer( $how ) };
   kill USR2 => $$;
   my $x = 0; $x++ for 1 .. 3;
   return 1;
}

my ( $where, $how ) = split m/:/, $mode, 2;
if( $where eq "nested" )     { outer( $how ) }
elsif( $where eq "sort" )    { in_sort( $how ) }
elsif( $where eq "eval" )    { in_evals( $how ) }
elsif( $where eq "handler" ) { in_handler( $how ) }
elsif( $where eq "end" )     { outer( "none" ) }
else { die "unknown mode $mode\n" }
print "done\n";
