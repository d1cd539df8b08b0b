#!/usr/bin/perl
# model-listing.pl DUMP — the oracle half of t/model.t: every heap SV of DUMP as
# Devel::MAT 0.51 sees it (address, format_sv[_with_value], symname) followed by its
# outgoing references (strength, name, target), sorted.  Where Devel::MAT's answer
# depends on its hash order (which glob names an SV that several globs hold), the
# line lists every possible answer as {a|b|c}.
use strict;
use warnings;
use Devel::MAT;
use FindBin;
use lib $FindBin::Bin;
use PMATFixes;   # the documented corrections of 0.51's plain bugs (docs/compat.md)

my $pmat = Devel::MAT->load( $ARGV[0] );
my $df = $pmat->dumpfile;

# Every glob slot holding each SV, to know all the names Devel::MAT might choose.
my %globs_of;
foreach my $gv ( grep { $_->type eq "GLOB" } $df->heap ) {
   foreach my $slot (qw( scalar array hash code )) {
      my $sv = $gv->$slot or next;
      push @{ $globs_of{ $sv->addr } }, $gv;
   }
}

# Where Devel::MAT dies on a glob whose stash is gone (its symbol name, the glob's own
# description), pmat makes the documented deliberate difference of docs/compat.md ("Glob
# without a stash"): the glob's name in the empty package, `*::NAME`, `$::NAME`.  That
# answer is computed here by Devel::MAT's own code, only the missing stash read as the
# empty package.
sub without_stash_dies
{
   my ( $code ) = @_;
   my $res = eval { $code->() };
   return $res unless $@;
   no warnings 'redefine';
   my $orig = \&Devel::MAT::SV::GLOB::stashname;
   local *Devel::MAT::SV::GLOB::stashname = sub {
      my ( $gv ) = @_;
      return $gv->$orig if $gv->stash;
      ( my $n = $gv->name ) =~ s(^([\x00-\x1f])){"^" . chr(64 + ord $1)}e;
      return "::$n";
   };
   return $code->();
}

sub symname_of { my ( $sv ) = @_; without_stash_dies( sub { $sv->symname } ) // "" }

sub alts { my %s = map { $_ => 1 } @_; my @a = sort keys %s; @a > 1 ? "{" . join( "|", @a ) . "}" : $a[0] // "" }

foreach my $sv ( sort { $a->addr <=> $b->addr } $df->heap ) {
   my $type = $sv->type;
   my $repr = without_stash_dies( sub {
      $type =~ m/^(HASH|ARRAY|REF)$/ ? Devel::MAT::Cmd->format_sv( $sv )
                                     : Devel::MAT::Cmd->format_sv_with_value( $sv ) } );
   my @syms = ( symname_of( $sv ) );
   my @glob_alts;
   if( my $gvs = $globs_of{ $sv->addr } and $type ne "GLOB" ) {
      # symname of this SV as if each candidate glob had been chosen
      foreach my $gv ( @$gvs ) {
         local $sv->{glob_at};
         my $saved = $sv->glob_at;
         $sv->_set_glob_at( $gv->addr );
         push @syms, symname_of( $sv );
         push @glob_alts, sprintf "%#x", $gv->addr;
         $sv->_set_glob_at( $saved // 0 );
      }
   }
   printf "%#x %s sym=%s\n", $sv->addr, $repr, alts( @syms );
   my @refs;
   foreach my $ref ( $sv->outrefs ) {
      my $target = $ref->sv ? sprintf( "%#x", $ref->sv->addr ) : next;
      $target = alts( $target, @glob_alts ) if $type eq "CODE" and $ref->name eq "the glob";
      push @refs, sprintf "  %s %s %s", $ref->strength, $ref->name, $target;
   }
   print "$_\n" for sort @refs;
}
