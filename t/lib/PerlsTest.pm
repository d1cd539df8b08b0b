package PerlsTest;
# The core commands of pmat against the Devel::MAT of another perl, on dumps written by
# that perl's Devel::MAT::Dumper: t/perls-trixie.t (perl 5.40, Dumper 0.50, Devel::MAT
# 0.53) and t/perls-sid.t (perl 5.42, Dumper 0.52, Devel::MAT 0.56), both format 0.6;
# and on dumps written there by Devel::PMAT (built for that perl, default format 0.6):
# t/perls-trixie-pmat.t, t/perls-sid-pmat.t, and t/perls-host-pmat.t (perl 5.36, format
# 0.4, Devel::MAT 0.51).
#
#   PerlsTest::run( "sid" );
#   PerlsTest::run( "sid", dumper => "pmat" );
#
# For every program of t/progs that runs there (and t/progs/classes.pl, `feature 'class'`)
# it makes the dump inside the root, runs the oracle there (PMATTest with $SUITE set) with
# its heap iterated in address order (PMAT_ORACLE_SORTED_HEAP: pmat's documented order, so
# inrefs, identify branches and find are compared line for line), and compares summary,
# count, roots, largest, find, symbols, packages, stack, callers, and per sampled SV
# (PMAT_TEST_SCALE; CI samples a third) show, outrefs, inrefs, identify, elems/values
# (under CI: show and, in turn, one of the other three; elems/values always).
#
# Known, documented differences are not compared (each says why):
#  * SVs held by several globs (imports): their name is picked by hash order in
#    Devel::MAT (docs/compat.md "Aliased names"): no show/identify of them; and CODE
#    names (`&PKG::NAME`, the sub aliased under several names) are compared as `&NAME`
#    in show, identify and find (CODE naming is pinned on the host by t/model.t);
#  * the edge between an aliased CODE and a GLOB ("the glob"): which glob Devel::MAT
#    records depends on its hash order (same cause): such lines are left out of
#    outrefs/inrefs;
#  * HASH previews show a hash-order key in Devel::MAT (PMATInspect::hash_preview_filter);
#  * kinds whose `show` dies in Devel::MAT after the common lines: stdout compared, the
#    exit status not (docs/compat.md "show of kinds without a show method").
use strict;
use warnings;

use Test::More;
use PMATTest;
use PMATRoots;
use PMATInspect ();

# Programs that cannot run in a root: helpers.pl builds an XS module for the host perl.
our %SKIP = ( helpers => "builds its XS helper module for the host perl only" );
our %DIES = map { $_ => 1 } qw( INVLIST REGEXP FORMAT LVALUE PADLIST UNKNOWN );

# SVs that more than one GLOB slot holds (their symbol name is Devel::MAT's hash-order
# pick among those globs).
sub aliased
{
   my ( $dump, $addr ) = @_;
   my $in = run_ours( $dump, "inrefs", $addr )->{out};
   my $n = () = $in =~ m/^s  the (?:scalar|array|hash|code)\s+GLOB/mg;
   return $n > 1;
}

# CODE symbol names may be any of a sub's aliases (see above)
my $CODE_NAMES = sub {
   PMATInspect::hash_preview_filter( $_[0] =~ s/(the symbol '|named as |: )&[^'\s]+/$1&NAME/gr );
};
# identify: our two deliberate extensions (docs/compat.md "identify: unreachable SVs",
# "identify: anonymous globs"; pinned by t/unreachable.t) mapped back to Devel::MAT's text
my $IDENTIFY = sub {
   $CODE_NAMES->( $_[0] =~ s/\Aunreachable: [^\n]*\n//r
      =~ s/an anonymous glob '(\*[^']*)' \(not in the symbol table\)/the glob '$1"/gr );
};
my $GLOB_EDGE = sub { join "", grep { !m/^\S  the glob\s/ } split m/^/, $_[0] };
# largest: equal sizes come by address in pmat (docs/compat.md "largest ties"), in an
# order of Devel::MAT's own otherwise; when two neighbours tie, only the sizes are compared
# (as the host's size tests do with the unpatched oracle).
my $LARGEST = sub {
   my @rows = map { [ m/^(\s*)(\S.*): (\d[\d.]* \S+)\n?$/ ] } split m/^/, $_[0];
   my $tie = grep { my ( $p, $q ) = @rows[$_ - 1, $_];
                    @$p and @$q and $p->[0] eq $q->[0] and $p->[2] eq $q->[2]
                    and $p->[1] ne "others" and $q->[1] ne "others" } 1 .. $#rows;
   return $_[0] unless $tie;
   return join "", map { s/^(\s*)\S.*: (\d[\d.]* \S+)$/$1...: $2/r } split m/^/, $_[0];
};

sub commands_for
{
   my ( $dump, $prog ) = @_;
   my %type = map { $_->{addr} => $_->{type} } @{ sv_list( $dump ) };
   my %desc = map { $_->{addr} => $_->{desc} } @{ sv_list( $dump ) };
   my @cmds = (
      [ "summary" ], [ "count" ], [ "count", "--scalars" ],
      { cmd => [ "roots" ], sorted => "roots are a Perl hash in Devel::MAT" },
      { cmd => [ "largest" ], filter => $LARGEST }, [ "find", "blessed" ], { cmd => [ "find", "cv" ], filter => $CODE_NAMES },
      [ "symbols", "main" ], [ "stack" ], [ "callers" ],
   );
   # (under CI each SV takes its turn of show/outrefs/inrefs/identify: PMATTest::share_of)
   my @svs = svs_of_kinds( $dump, 2 );
   foreach my $i ( 0 .. $#svs ) {
      my $addr = $svs[$i];
      my $t = $type{$addr} // "";
      my @kept = share_of( $i + length( $prog ), qw( show outrefs inrefs identify ) );
      my %kept = map { $_ => 1 } @kept;
      my $named = ( $kept{show} || $kept{identify} ) && !aliased( $dump, $addr );
      # (0.53 dies on value-less scalars too; 0.56 has a show method for them)
      push @cmds, ( $DIES{$t} || ( $desc{$addr} // "" ) eq "UNDEF()" ? { cmd => [ "show", $addr ], exit => 0, filter => $CODE_NAMES,
                                  why => "0.56 dies after the common lines" }
                              : { cmd => [ "show", $addr ], filter => $CODE_NAMES } ) if $named and $kept{show};
      push @cmds, { cmd => [ "outrefs", "--all", $addr ], filter => $GLOB_EDGE } if $kept{outrefs};
      push @cmds, { cmd => [ "inrefs", "--all", $addr ], filter => $GLOB_EDGE } if $kept{inrefs};
      push @cmds, { cmd => [ "identify", $addr ], filter => $IDENTIFY } if $named and $kept{identify};
      push @cmds, { cmd => [ "elems", $addr ], filter => $CODE_NAMES } if $t eq "ARRAY";
      push @cmds, { cmd => [ "values", $addr ], filter => $CODE_NAMES } if $t eq "HASH";
   }
   return @cmds;
}

# The programs compared: every SV kind and command area (the host suite runs them all;
# here each costs a dump and an oracle run inside the root, so CI takes this set, and
# PMAT_PERLS_ALL=1 takes every program of t/progs that can run there, PMAT_PERLS_PROGS
# a list of them).
our @PROGS = qw( scalars refs hashes code globs_io magic callers locals kinds objects stashes classes );

sub progs
{
   my ( $suite ) = @_;
   # the host's perl (5.36) runs only the programs it can (no `feature 'class'`)
   my @all = grep { !$SKIP{$_} } all_progs( any_perl => ( $suite // "" ) ne "host" );
   return @all if $ENV{PMAT_PERLS_ALL};
   return split ' ', $ENV{PMAT_PERLS_PROGS} if $ENV{PMAT_PERLS_PROGS};   # e.g. "refs classes"
   my %have = map { $_ => 1 } @all;
   return grep { $have{$_} } @PROGS;
}

sub run
{
   my ( $suite, %opt ) = @_;
   my $dumper = $opt{dumper} // "mat";
   PMATRoots::need( $suite );
   need_ours();
   local $PMATTest::SUITE = $suite;
   local $ENV{PMAT_ORACLE_SORTED_HEAP} = 1;
   my $info = PMATRoots::info( $suite );
   note( "$suite: perl $info->{perl}, Devel::MAT $info->{mat}, Devel::MAT::Dumper $info->{dumper}" );
   if( $dumper eq "pmat" ) {
      plan( skip_all => "Devel::PMAT is not built (perl/blib)" )
         if $suite eq "host" and !-e "$PMATRoots::REPO/perl/blib/lib/Devel/PMAT.pm";
      note( "dumps written by Devel::PMAT (" . ( $suite eq "host" ? "format 0.4" : "format 0.6" ) . ")" );
   }
   foreach my $prog ( progs( $suite ) ) {
      my $dump = dump_of( $prog, suite => $suite, dumper => $dumper );
      my @cmds = commands_for( $dump, $prog );
      oracle_many( $dump, [ map { ref $_ eq "HASH" ? $_->{cmd} : $_ } @cmds ] );
      same_as_oracle_many( $dump, \@cmds );
   }
}

1;
