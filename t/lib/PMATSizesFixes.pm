package PMATSizesFixes;
# Loaded into the oracle (Devel::MAT 0.51, after t/lib/PMATFixes.pm) by t/lib/PMATSizes.pm
# for the size tests only: makes the two deliberate differences of pmat's `size`,
# `largest` and `count --owned` (docs/compat.md) in the oracle itself, so everything else
# the oracle prints is still Devel::MAT's own code.
#
#   ownedonce  owned_set takes every SV once.  0.51 marks an SV seen when it is popped,
#              so an SV pushed twice before its first visit (two aliased globs sharing
#              a GP, ...) is listed -- and sized -- twice, and so is what it owns.
#   largestties `largest` ranks equal sizes by address.  0.51's queue is filled in
#              heap-hash order, so equal sizes come out in a different order each run.
#
# Each fix reports on STDERR (once per process) when it changed what 0.51 would have
# done, so the tests know when the unpatched oracle's answer is deterministic and must
# equal ours too:
#   #pmat-sizes-fixes: owned-dup   some owned set reaches an SV twice, so 0.51 may count it
#                                  twice (depending on its hash order: random per run)
#   #pmat-sizes-fixes: tie         `largest` chose between two SVs of equal size
#
# PMAT_ORACLE_RAW=1 in the environment disables both (the plain 0.51, as for PMATFixes).
use strict;
use warnings;

return 1 if $ENV{PMAT_ORACLE_RAW};

require Devel::MAT;
require Devel::MAT::Tool::Sizes;
require Heap::Fibonacci;

no warnings 'redefine';

my %noted;
our $QUIET;   # set while the oracle driver precomputes owned sizes (precompute_owned)
sub _note
{
   my ( $what ) = @_;
   return if $QUIET;
   print STDERR "#pmat-sizes-fixes: $what\n" unless $noted{$what}++;
}

# ownedonce: the same depth-first walk, but an SV is marked when it is queued.
*Devel::MAT::SV::owned_set = sub {
   my ( $start ) = @_;
   my @more = ( $start );
   my %queued = ( $start->addr => 1 );
   my %parent;
   my @owned;
   while( @more ) {
      my $next = pop @more;
      push @owned, $next;
      foreach my $sv ( map { $_->sv } $next->outrefs_strong ) {
         next if $sv->immortal or $sv->refcnt != 1 or $sv == $start;
         if( $queued{ $sv->addr }++ ) {
            # Reached a second time.  0.51 counts it twice if it is still queued then,
            # which can depend on its walk order (hash order: random per run) -- unless
            # it is an ancestor of $next in the walk: then every order visits it before
            # $next (when only such edges exist, every walk builds the same tree).
            my $up = $next->addr;
            $up = $parent{$up} while defined $up and $up != $sv->addr;
            unless( defined $up ) {
               $start->{pmat_owned_dup} = 1;
               _note( "owned-dup" );
            }
            next;
         }
         $parent{ $sv->addr } = $next->addr;
         push @more, $sv;
      }
   }
   return @owned;
};

# owned_size as 0.51 computes it (cached per SV), but an answer taken from the cache still
# reports the duplicate that computing it found: the oracle driver fills the cache once
# in its parent process (precompute_owned) instead of in every command's child.
*Devel::MAT::SV::owned_size = sub {
   my ( $sv ) = @_;
   if( defined $sv->{tool_sizes_owned} ) {
      _note( "owned-dup" ) if $sv->{pmat_owned_dup};
      return $sv->{tool_sizes_owned};
   }
   my $size = 0;
   $size += $_->size for $sv->owned_set;
   return $sv->{tool_sizes_owned} = $size;
};

# Called by t/lib/oracle-driver.pl before it forks the commands of a batch that needs
# owned sizes: every SV's owned size, computed once, silently.
sub precompute_owned
{
   my ( $df ) = @_;
   return if $ENV{PMAT_ORACLE_RAW};   # the plain 0.51 walks in each command
   local $QUIET = 1;
   $_->owned_size for $df->heap;
}

# largestties: bigger first, then the lower address.
*Devel::MAT::Tool::Sizes::_Elem::cmp = sub {
   my ( $self, $other ) = @_;
   return $other->[0] <=> $self->[0] || $self->[1]->addr <=> $other->[1]->addr;
};

# Detect a tie that decided something: the element taken and the next one in line have
# the same size but are different SVs.
{
   my $orig_extract = \&Heap::Fibonacci::extract_top;
   *Heap::Fibonacci::extract_top = sub {
      my $h = shift;
      my $el = $h->$orig_extract;
      if( $el and ref $el eq "Devel::MAT::Tool::Sizes::_Elem" and my $next = $h->top ) {
         _note( "tie" ) if $next->[0] == $el->[0] and $next->[1]->addr != $el->[1]->addr;
      }
      return $el;
   };
   *Heap::Fibonacci::extract_minimum = \&Heap::Fibonacci::extract_top;
}

1;
