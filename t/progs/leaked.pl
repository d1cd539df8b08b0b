#!/usr/bin/perl
# leaked.pl - SVs kept alive by nothing but a reference count: a hash whose refcount was
# raised with Internals::SvREFCNT (identify: "not found"; pmat-list-orphans), a scalar
# and an array leaked the same way, an unreachable cycle, a leaked closure, and for
# contrast a live hash with the same shape.
#   perl t/progs/leaked.pl OUT.pmat
use strict;
use warnings;
use Devel::MAT::Dumper;

sub leak_hash {
   my $h = { name => "LEAKED BY REFCNT" };
   Internals::SvREFCNT( %$h, 2 );
   return;
}

sub leak_scalar {
   my $s = "LEAKED SCALAR";
   my $r = \$s;
   Internals::SvREFCNT( $$r, 3 );
   return;
}

sub leak_array {
   my @a = ( "LEAKED ARRAY ELEMENT" );
   Internals::SvREFCNT( @a, 2 );
   return;
}

sub leak_cycle {
   my $x = { name => "LEAKED CYCLE A" };
   my $y = { name => "LEAKED CYCLE B", x => $x };
   $x->{y} = $y;
   return;
}

sub leak_closure {
   my $cb;
   my $payload = { name => "LEAKED CLOSURE PAYLOAD" };
   $cb = sub { $cb->(); $payload };
   return;
}

leak_hash();
leak_scalar();
leak_array();
leak_cycle();
leak_closure();

our $LIVE = { name => "LIVE HASH" };

Devel::MAT::Dumper::dump( $ARGV[0] );
