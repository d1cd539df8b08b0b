package SortedHeap;

# Load with -MSortedHeap before Devel::MAT: makes Devel::MAT::Dumpfile->heap return the
# SVs in address order instead of Perl's hash order.  Everything Devel::MAT derives from
# that iteration — in particular the order of each SV's inrefs (Inrefs tool), and so the
# order of equal-named branches in `identify` — then follows the order pmat documents
# (docs/design.md: "where Devel::MAT iterates its heap hash, we iterate by address"),
# while every other line of the real Devel::MAT 0.51 code runs unchanged.  Used by
# t/cmd-identify.t to check trees whose shape depends on that order.

use strict;
use warnings;
require Devel::MAT::Dumpfile;

{
   no warnings 'redefine';
   *Devel::MAT::Dumpfile::heap = sub {
      my $self = shift;
      return scalar( values %{ $self->{heap} } ) unless wantarray;
      return map { $self->{heap}{$_} } sort { $a <=> $b } keys %{ $self->{heap} };
   };
}

1;
