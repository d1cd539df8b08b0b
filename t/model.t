#!/usr/bin/perl
# The loaded model against Devel::MAT 0.51's own API, SV by SV: for every heap SV of
# every corpus dump, its description, value preview, symbol name and complete list of
# outgoing references (name, strength, target) must be what Devel::MAT computes.
# Hash-order-dependent answers (which of several globs names an aliased SV) are listed
# by the oracle as alternatives {a|b}; ours must be one of them.  The only other
# difference allowed is "utf8cut" (below); the listing itself makes "Glob without a
# stash" (docs/compat.md) with Devel::MAT's own code.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use PMATTest;

my $root = PMATTest::repo_root();
my $build = $ENV{PMAT_BUILD} // "build/rel";
my $tool = "$root/$build/tbin/dump-model";
plan skip_all => "$tool not built (make units)" unless -x $tool;

# The characters of a PV preview as printed: an escape (\x{263a}, \n, \") is one.
sub preview_chars
{
   my ( $pv ) = @_;
   utf8::decode( $pv );
   my @c = $pv =~ m/(\\x\{[0-9a-fA-F]+\}|\\x[0-9a-fA-F]{2}|\\.|.)/gs;
   utf8::encode( $_ ) for @c;
   return @c;
}

sub lines_of { my ( $cmd ) = @_; my @l = `$cmd`; die "$cmd failed: $?" if $?; chomp @l; return @l }

# An alternative-aware line match: {a|b} in the oracle line matches any one of a, b.
sub matches
{
   my ( $theirs, $ours ) = @_;
   return 1 if $theirs eq $ours;
   # A PV captured up to max_string can end inside a UTF-8 character; Perl then
   # miscounts characters and Devel::MAT previews 65 of them; we preview 64
   # (docs/compat.md "utf8cut"): ours must be exactly theirs less its last character.
   if( $theirs =~ m/^(.* [=\/] )"(.*)"\.\.\.( sym=.*)$/ ) {
      my ( $head, $pv, $tail ) = ( $1, $2, $3 );
      my @chars = preview_chars( $pv );
      return 1 if @chars == 65 and $ours eq $head . '"' . join( "", @chars[0 .. 63] ) . '"...' . $tail;
   }
   my @parts = split m/(\{[^{}]*\|[^{}]*\})/, $theirs;
   return 0 if @parts == 1;
   my $re = join "", map {
      my $part = $_;
      if( $part =~ m/^\{(.*)\}$/s and index( $part, "|" ) >= 0 ) {
         my $inner = $1;
         "(?:" . join( "|", map { quotemeta } split m/\|/, $inner ) . ")";
      }
      else { quotemeta $part }
   } @parts;
   return $ours =~ m/^$re$/;
}

foreach my $prog ( PMATTest::all_progs() ) {
   my $dump = PMATTest::dump_of( $prog );
   my @theirs = lines_of( "$^X $root/t/lib/model-listing.pl $dump" );
   my @ours   = lines_of( "$tool $dump" );
   my ( $bad, $first ) = ( 0, undef );
   my $n = @theirs > @ours ? @theirs : @ours;
   for my $i ( 0 .. $n - 1 ) {
      my ( $t, $o ) = ( $theirs[$i] // "<none>", $ours[$i] // "<none>" );
      next if matches( $t, $o );
      $bad++;
      $first //= "line " . ( $i + 1 ) . ":\n  Devel::MAT: $t\n  pmat:       $o";
   }
   ok( !$bad, "$prog: model of " . scalar( grep { !/^ / } @theirs ) . " SVs matches Devel::MAT" )
      or diag( "$bad differing lines; first at $first" );
}

done_testing;
