#!/usr/bin/perl
# The pinning test of the oracle corrections (t/lib/PMATFixes.pm; docs/compat.md "ivuv",
# "nvbytes", "packages -V"): the unpatched Devel::MAT 0.51 and the patched one differ
# exactly in the lines each correction claims, every correction changes something in the
# corpus, and each one alone changes only its own kind of line.  t/model.t shows that
# pmat equals the patched oracle SV by SV, so pmat differs from 0.51 exactly in these ways.
#
# The listing compared is t/lib/model-listing.pl's (every heap SV: description, value
# preview, symbol name, outgoing references) and `packages -V`.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use PMATTest;

PMATTest::need_oracle();

my $root = PMATTest::repo_root();
my $TWO64 = "18446744073709551616";

sub listing
{
   my ( $dump, %env ) = @_;
   my $res = run_cmd( [ $^X, "$root/t/lib/model-listing.pl", $dump ],
      env => { PMAT_ORACLE_RAW => "", %env } );
   die "model-listing.pl $dump failed: $res->{err}" if $res->{exit} or $res->{signal};
   return [ split m/\n/, $res->{out} ];
}

# "0x1 SCALAR(IV,PV)=Pkg at 0x1 = 5 / "5" sym=$x" -> its parts (the blessing is part of "at")
sub parse
{
   my ( $line ) = @_;
   $line =~ m/^(0x[0-9a-f]+) ([A-Z_]+)\(([^)]*)\)((?:=\S+)? at 0x[0-9a-f]+)(.*)( sym=[^"]*)$/ or return;
   my ( $addr, $kind, $flags, $at, $value, $sym ) = ( $1, $2, $3, $4, $5, $6 );
   my ( $num, $pv ) = ( undef, "" );
   if( $value =~ s/^ = // ) {
      ( $num, $pv ) = $value =~ m/^("(?s:.*))$/ ? ( undef, $1 ) : $value =~ m/^(\S+)(?: \/ (.*))?$/s;
      $pv //= "";
   }
   return { addr => $addr, kind => $kind, flags => { map { $_ => 1 } split m/,/, $flags },
            at => $at, num => $num, pv => $pv, sym => $sym };
}

# u - v as exact decimal integers (both are integer strings; no Math::BigInt needed for
# the one case: v = u - 2**64 with u >= 2**63)
sub wraps_signed
{
   my ( $u, $v ) = @_;
   return 0 unless $u =~ m/^\d+$/ and $v =~ m/^-\d+$/;
   require Math::BigInt;
   return Math::BigInt->new( $u )->bsub( $TWO64 )->bstr eq $v;
}

# Which corrections explain the change from the raw line $r to the patched line $f;
# undef when none does.
sub claims_of
{
   my ( $r, $f ) = @_;
   my ( $pr, $pf ) = ( parse( $r ), parse( $f ) );
   return unless $pr and $pf;
   return unless $pr->{addr} eq $pf->{addr} and $pr->{at} eq $pf->{at}
             and $pr->{sym} eq $pf->{sym} and $pr->{pv} eq $pf->{pv};
   my %claim;
   # nvbytes: an NV 0.51 dropped (read as absent) is back
   if( $pf->{flags}{NV} and !$pr->{flags}{NV} ) {
      $claim{nvbytes} = 1;
      return unless $pf->{kind} eq "SCALAR" and ( $pr->{kind} eq "SCALAR" or $pr->{kind} eq "UNDEF" );
   }
   else {
      return unless $pr->{kind} eq $pf->{kind};
   }
   # ivuv: IV and UV swapped back
   my %r = %{ $pr->{flags} };
   my %f = %{ $pf->{flags} };
   delete $f{NV} if $claim{nvbytes};
   my $set = sub { join ",", sort grep { $_[0]{$_} } keys %{ $_[0] } };
   if( $set->( \%r ) ne $set->( \%f ) ) {
      ( $r{IV}, $r{UV} ) = ( $r{UV}, $r{IV} );
      return unless $set->( \%r ) eq $set->( \%f );
      $claim{ivuv} = 1;
   }
   # the value preview
   my ( $rn, $fn ) = ( $pr->{num}, $pf->{num} );
   if( ( $rn // "" ) ne ( $fn // "" ) ) {
      if( defined $rn and defined $fn and $claim{ivuv} and $pf->{flags}{IV} and wraps_signed( $rn, $fn ) ) {
         # -5 was shown as 2**64 - 5
      }
      elsif( !defined $rn and defined $fn and $claim{ivuv} and $pf->{flags}{UV} and $fn =~ m/^\d+$/ ) {
         # a true UV was never previewed
      }
      elsif( defined $fn and $claim{nvbytes} and $fn =~ m/^-?[\d.]+(?:e[-+]\d+)?$/ ) {
         # the NV is previewed (nv // iv // uv)
      }
      else { return }
   }
   return unless %claim;
   return \%claim;
}

sub compare_listings
{
   my ( $what, $raw, $fixed, $allowed, $seen ) = @_;
   my ( @bad, %claims );
   if( @$raw != @$fixed ) {
      fail( "$what: listings differ in length (" . scalar( @$raw ) . " vs " . scalar( @$fixed ) . ")" );
      return;
   }
   my $changed = 0;
   for my $i ( 0 .. $#$raw ) {
      next if $raw->[$i] eq $fixed->[$i];
      $changed++;
      my $claim = claims_of( $raw->[$i], $fixed->[$i] );
      if( !$claim or grep { !$allowed->{$_} } keys %$claim ) {
         push @bad, "  0.51:    $raw->[$i]\n  patched: $fixed->[$i]"
            . ( $claim ? " (by " . join( "+", sort keys %$claim ) . ")" : "" );
         next;
      }
      $seen->{$_}++ for keys %$claim;
   }
   ok( !@bad, "$what: $changed lines differ, each as " . join( "/", sort keys %$allowed ) . " claims" )
      or diag( scalar( @bad ) . " unexplained, first:\n" . join "\n", @bad[0 .. ( $#bad < 4 ? $#bad : 4 )] );
}

my %seen;
my @progs = all_progs();
# the big dumps add only more of the same lines (and minutes)
@progs = grep { !m/^(?:deepchain|maxstring)$/ } @progs;
foreach my $prog ( @progs ) {
   my $dump = dump_of( $prog );
   my $raw = listing( $dump, PMAT_ORACLE_RAW => 1 );
   compare_listings( "$prog: 0.51 vs patched", $raw, listing( $dump ),
      { ivuv => 1, nvbytes => 1 }, \%seen );
   if( $prog eq "scalars" ) {
      # each correction alone changes only its own kind of line, and does change some
      for my $fix (qw( ivuv nvbytes )) {
         my %one;
         compare_listings( "$prog: 0.51 vs $fix alone", $raw,
            listing( $dump, PMAT_ORACLE_FIXES => $fix ), { $fix => 1 }, \%one );
         ok( $one{$fix}, "$prog: $fix alone changes $fix lines" );
      }
   }
}
ok( $seen{$_}, "the corpus has lines the $_ correction changes ($seen{$_} lines)" ) for qw( ivuv nvbytes );

# The packages correction keeps 0.51's `packages -V`: with ivuv alone an integer $VERSION
# would lose its version (stashes.pl's Puppy has $VERSION = 3).
foreach my $prog ( @progs ) {
   my $dump = dump_of( $prog );
   my ( $fixed ) = oracle_many( $dump, [ [ "packages", "-V" ] ] );
   my ( $raw ) = do { local $ENV{PMAT_ORACLE_RAW} = 1; oracle_many( $dump, [ [ "packages", "-V" ] ] ) };
   is( $fixed->{out}, $raw->{out}, "$prog: packages -V of the patched oracle is 0.51's" );
}
{
   my $dump = dump_of( "stashes" );
   my ( $all ) = oracle_many( $dump, [ [ "packages", "-V" ] ] );
   my ( $part ) = do {
      local $ENV{PMAT_ORACLE_FIXES} = "ivuv nvbytes";
      oracle_many( $dump, [ [ "packages", "-V" ] ] );
   };
   my @all  = split m/\n/, $all->{out};
   my @part = split m/\n/, $part->{out};
   my @diff = grep { $all[$_] ne ( $part[$_] // "" ) } 0 .. $#all;
   is_deeply( [ map { [ $all[$_], $part[$_] ] } @diff ],
      [ [ grep( { m/^package Puppy 3 at / } @all ), grep( { m/^package Puppy  at / } @part ) ] ],
      "stashes: without the packages correction, only Puppy's integer \$VERSION is lost" );
}

done_testing;
