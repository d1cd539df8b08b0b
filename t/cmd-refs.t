#!/usr/bin/perl
# outrefs and inrefs (every option combination) against Devel::MAT 0.51, on every
# corpus dump, for SVs of every kind picked deterministically (svs_of_kinds) plus a few
# named ones.
#
# outrefs is deterministic (a stable name sort of the production order): compared
# exactly.  inrefs lists equal-named references from different referrers in
# Devel::MAT's heap-hash order (random per process; ours: by address), so its output is
# compared as sorted lines; when it runs over several 30-row pages, a tie group split by
# a page boundary can also change which page (and so which column widths) a row gets,
# so multi-page inrefs are compared with the column padding collapsed.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use PMATTest;
use RefGraphTest qw( aliased_cvs );

PMATTest::need_oracle();
need_ours();

my $PER_KIND = $ENV{PMAT_REFS_PER_KIND} // 2;
my @NAMED = ( "defstash", "main_cv", "envgv", "strtab", "sv_undef", "sv_yes" );

my @OPTS = ( [], [ "--weak" ], [ "--all" ] );
my @ALIAS_OPTS = ( [ "-a" ], [ "--weak", "--all" ] );   # only on the named SVs

# A CODE whose body is in the CODE slot of several globs (an imported sub) gets, as its
# "the glob", whichever of them Devel::MAT's fix-up visits last in heap-hash order.  For
# those CVs "the glob" rows (outrefs of the CV, inrefs of a glob) are left out of the
# comparison (with the padding collapsed, as the row may have been the widest).
sub without_aliased_glob_rows
{
   my ( $aliased, $is_aliased_cv ) = @_;
   return sub {
      my ( $t ) = @_;
      $t =~ s/^\S+  +the glob  +\S+ at (0x[0-9a-f]+)\S*\n/$is_aliased_cv || $aliased->{$1} ? "" : $&/mge;
      return collapse_padding( $t );
   };
}

# Column padding is per page: collapse it where rows may move between pages.
sub collapse_padding { my ( $t ) = @_; $t =~ s/  +/  /g; return $t }

my $prog_no = 0;
foreach my $prog ( all_progs() ) {
   my $dump = dump_of( $prog );
   # (under CI each dump takes its turn of the named SVs, and each SV of the options:
   # share_of)
   my $seed = $prog_no++;
   my @named = share_of( $seed, @NAMED );
   my @svs = svs_of_kinds( $dump, $PER_KIND );
   my @combos = ( ( map { my $sv = $named[$_]; map { [ @$_, $sv ] } share_of( $seed + $_, @OPTS, @ALIAS_OPTS ) } 0 .. $#named ),
                  ( map { my $sv = $svs[$_]; map { [ @$_, $sv ] } share_of( $seed + $_, @OPTS ) } 0 .. $#svs ) );
   my $aliased = aliased_cvs( $dump );
   my $why = "imported sub: its glob is chosen in hash order";
   same_as_oracle_many( $dump, [ map {
      my $sv = $_->[-1];
      $aliased->{$sv} ? { cmd => [ "outrefs", @$_ ], filter => without_aliased_glob_rows( $aliased, 1 ), why => $why }
                      : [ "outrefs", @$_ ];
   } @combos ] );

   my @incmds = map { [ "inrefs", @$_ ] } @combos;
   my @want = oracle_many( $dump, \@incmds );
   my %globs = map { $_->{addr} => 1 } grep { $_->{type} eq "GLOB" } @{ sv_list( $dump ) };
   $globs{envgv} = 1;
   my @items;
   for my $i ( 0 .. $#incmds ) {
      my $rows = () = $want[$i]{out} =~ m/\n/g;
      my $glob_rows = %$aliased && $globs{ $incmds[$i][-1] };
      push @items, {
         cmd    => $incmds[$i],
         sorted => "equal-named inrefs come in Devel::MAT's heap-hash order",
         ( $glob_rows    ? ( filter => without_aliased_glob_rows( $aliased, 0 ), why => $why )
           : $rows > 30 ? ( filter => \&collapse_padding,
                            why => "ties may cross a page boundary: padding collapsed" ) : () ),
      };
   }
   same_as_oracle_many( $dump, \@items );
}

# Pagination: a referrer with more than 30 references, shown page by page.
{
   my $dump = dump_of( "refgraph" );
   same_as_oracle_many( $dump, [
      [ "outrefs", "--all", "defstash" ],
      [ "outrefs", "--all", "main_cv" ],
      [ "outrefs", "%main::" ],
      { cmd => [ "inrefs", "--all", "envgv" ],
        sorted => "heap-hash order of ties", filter => \&collapse_padding,
        why => "ties may cross a page boundary: padding collapsed" },
   ] );
}

# Errors: no SV, a bad address.
{
   my $dump = dump_of( "refs" );
   same_as_oracle_many( $dump, [
      [ "outrefs" ], [ "inrefs" ], [ "outrefs", "0x1" ], [ "inrefs", "--bogus", "defstash" ],
      [ "help", "outrefs" ], [ "help", "inrefs" ],
      # identify's added --fold (docs/compat.md "extensions") left out of the comparison
      { cmd => [ "help", "identify" ], filter => \&PMATTest::without_extensions },
      [ "help", "list-dangling-ptrs" ],
   ], stderr => 1 );
}

done_testing;
