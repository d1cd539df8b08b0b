#!/usr/bin/perl
# Devel::PMAT on each of our perls: 5.36 (the host), 5.40 (the trixie root) and 5.42
# (the sid root).  In each root: a fresh copy of perl/ in t/tmp/perl-ROOT builds without
# compiler warnings and passes its whole perl/t suite there (under CI without the parts
# that only measure size and speed, PMAT_PERL_T_QUICK) (which compares our dumps
# record by record with the root's Devel::MAT::Dumper and loads them in the root's
# Devel::MAT).  On every perl, perl/t/progs/points.pl (fifty `class Point` objects where
# perl has `use feature 'class'`) is dumped by Devel::MAT::Dumper and by Devel::PMAT:
#   - our default dump (format 0.6) loads in that perl's Devel::MAT (0.53, 0.56; on the
#     host, where Devel::MAT 0.51 cannot read 0.6, in the roots' Devel::MAT) with the same
#     count by kind as the Dumper's dump there, OBJECT and CLASS included;
#   - `format => "0.5"` and `"0.4"` load in Devel::MAT 0.51 (the host's), 0.5 with the
#     same counts, 0.4 without the objects (it has no record for them) and with the
#     classes as stashes;
#   - count_svs() reports OBJECT and CLASS as Devel::MAT counts them.
# The host's perl/t suite runs in `make check` directly (perl/t/*.t).  A missing root is a
# skip with the reason, except under CI, where it fails.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use File::Path qw( make_path remove_tree );
use PMATTest;
use PMATRoots;

my $REPO = $PMATRoots::REPO;
my $TMP  = "$REPO/t/tmp";
my @roots = PMATRoots::roots();
my @missing = grep { !PMATRoots::present( $_ ) } @PMATRoots::SUITES;

plan skip_all => "Devel::PMAT is not built (perl/blib)" unless -e "$REPO/perl/blib/lib/Devel/PMAT.pm";

if( @missing ) {
   my $why = join "; ", map { PMATRoots::why_missing( $_ ) } @missing;
   if( $ENV{CI} ) { fail( "CI needs the perl roots: $why" ) }
   else           { diag( "skipping the perls of @missing: $why" ) }
}

my $HOST_MAT = "/usr/bin/pmat";     # Devel::MAT 0.51: reads formats 0.4 and 0.5

# { KIND => count } from Devel::MAT's `count`; UNDEF (its own row from 0.56 on) is
# folded into SCALAR, as earlier versions count it, so that readers can be compared.
sub counts_of
{
   my ( $text ) = @_;
   my %c;
   for ( split m/\n/, $text ) {
      next unless m/^  ([A-Z_]+)\s+(\d+)\s/;
      $c{ $1 eq "UNDEF" ? "SCALAR" : $1 } += $2;
   }
   return \%c;
}

# The kinds agree exactly, except SCALAR, which counts the few scalars each dump call
# itself leaves (its arguments; Devel::MAT::Dumper 0.46's scratch IVs).
sub same_counts
{
   my ( $got, $want, $name ) = @_;
   my @bad;
   for my $k ( sort keys %{ { %$got, %$want } } ) {
      my ( $g, $w ) = ( $got->{$k} // 0, $want->{$k} // 0 );
      next if $g == $w;
      next if $k eq "SCALAR" and abs( $g - $w ) <= 12;
      push @bad, "$k: $g, want $w";
   }
   is( join( "; ", @bad ), "", $name );
}

# Known warnings of Devel::MAT when loading: class support (0.53 on) and format 0.5
# (0.51) are "experimental".
sub load_warnings
{
   my ( $err ) = @_;
   return $err =~ s/^Support for (?:class features in PMAT file|PMAT file format v0\.5) is experimental at .*\n//mgr;
}

# `pmat -q FILE count` with the Devel::MAT of $where ("host" or a root)
sub mat_count
{
   my ( $where, $file ) = @_;
   my $res = PMATRoots::run_in( $where, [ "pmat", "-q", $file, "count" ], timeout => 600 );
   is( $res->{exit}, 0, "$where Devel::MAT loads " . ( $file =~ s{^\Q$REPO\E/}{}r ) )
      or diag( $res->{err} );
   is( load_warnings( $res->{err} ), "", "... without warnings" );
   return counts_of( $res->{out} );
}

for my $r ( @roots ) {
   subtest "perl of $r" => sub {
      my $info = PMATRoots::info( $r );
      note( "perl $info->{perl}, Devel::MAT $info->{mat}, Devel::MAT::Dumper $info->{dumper}" );
      my $classes = $info->{perl} =~ m/^5\.(\d+)/ && $1 >= 38;

      # --- build and perl/t, in a copy of perl/ ---------------------------------------------
      my $dist = "$REPO/perl";
      if( $r ne "host" ) {
         # the one build of perl/ for this perl (t/tmp/perl-ROOT), shared with the tests
         # that dump with it (PMATRoots::build_dist)
         my $build = PMATRoots::build_dist( $r );
         $dist = $build->{dir};
         is( $build->{exit}, 0, "Devel::PMAT builds with perl $info->{perl}" )
            or diag( $build->{out}, $build->{err} );
         is( join( "", grep { m/warning:/ } split m/^/, $build->{err} ), "", "... without compiler warnings" );
         return unless $build->{exit} == 0;

         # (under CI without what only measures size and speed: PMAT_PERL_T_QUICK; the
         # host's run of perl/t keeps it)
         my $suite = PMATRoots::run_in( $r, [ "prove", "t/" ], cwd => $dist, timeout => 3600,
            env => { CI => $ENV{CI} // "", PMAT_PERL_T_QUICK => PMATTest::test_scale() < 1 ? 1 : "" } );
         is( $suite->{exit}, 0, "its perl/t suite passes with perl $info->{perl}" )
            or diag( $suite->{out}, $suite->{err} );
         like( $suite->{out}, qr/^All tests successful\./m, "... all tests successful" );
      }

      # --- class objects: Devel::MAT::Dumper and us, back to back -------------------------
      my $out = "$TMP/perls-dumper/$r";
      remove_tree( $out );
      make_path( $out );
      my $run = PMATRoots::run_in( $r, [ "perl", "-I$dist/blib/lib", "-I$dist/blib/arch",
         "$dist/t/progs/points.pl", $out ], timeout => 600 );
      is( $run->{exit}, 0, "points.pl dumps" ) or diag( $run->{err} );
      return unless $run->{exit} == 0;

      my %cs = map { split ' ' } split m/\n/, PMATTest::_slurp( "$out/count_svs.txt" );

      my @readers = $r eq "host" ? grep { $_ ne "host" } @roots : ( $r );
      for my $reader ( @readers ) {
         # our default format, in a Devel::MAT that reads it (0.53, 0.56)
         my $want = mat_count( $reader, "$out/dmd.pmat" );
         my $got  = mat_count( $reader, "$out/pmat.pmat" );
         same_counts( $got, $want, "default format in $reader\'s Devel::MAT: the Dumper's counts by kind" );
         if( $classes ) {
            is( $got->{OBJECT}, 50, "... OBJECT 50" );
            is( $got->{CLASS}, 1, "... CLASS 1" );
         }
         is( $cs{OBJECT} // 0, $want->{OBJECT} // 0, "count_svs OBJECT as Devel::MAT counts it" );
         is( $cs{CLASS} // 0, $want->{CLASS} // 0, "count_svs CLASS as Devel::MAT counts it" );
         ok( !exists $cs{UNKNOWN}, "count_svs has no UNKNOWN" );
      }

      # 0.5 and 0.4, in Devel::MAT 0.51, against the Dumper's dump read by this perl's
      SKIP: {
         skip "no Devel::MAT 0.51 ($HOST_MAT)", 4 unless -x $HOST_MAT;
         my $want = mat_count( $r, "$out/dmd.pmat" );
         my $got5 = mat_count( "host", "$out/pmat-0.5.pmat" );
         same_counts( $got5, $want, "format 0.5 in Devel::MAT 0.51: the Dumper's counts by kind" );
         my %want4 = %$want;
         delete $want4{OBJECT};
         $want4{STASH} += delete $want4{CLASS} // 0;
         my $got4 = mat_count( "host", "$out/pmat-0.4.pmat" );
         same_counts( $got4, \%want4, "format 0.4 in Devel::MAT 0.51: the same without objects, classes as stashes" );
      }

      # a class without fields (Devel::MAT::Dumper 0.50 crashes on it; 0.51 fixed that)
      if( $classes ) {
         my $f = "$out/empty.pmat";
         my $res = PMATRoots::run_in( $r, [ "perl", "-I$dist/blib/lib", "-I$dist/blib/arch",
            "-MDevel::PMAT", "-e",
            'eval q{ use feature "class"; no warnings; class Empty { method hi { 1 } } 1 } or die $@;'
          . ' our @E = map { Empty->new } 1 .. 3; Devel::PMAT::dump( shift )', $f ] );
         is( $res->{exit}, 0, "a class without fields dumps" ) or diag( $res->{err} );
         my $c = mat_count( $r, $f );
         is( $c->{CLASS}, 1, "... one CLASS" );
         is( $c->{OBJECT}, 3, "... three OBJECTs" );
      }
   };
}

done_testing;
