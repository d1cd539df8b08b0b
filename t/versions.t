#!/usr/bin/perl
# Format versions and encodings: a real dump (Devel::MAT::Dumper, format 0.4, 64-bit LE)
# rewritten by t/tools/pmat-rewrite.pl into every minor version 0.0-0.5, 32-bit UINTs,
# 32-bit pointers and big-endian, plus the tiny hand-made dumps of t/tools/mkdump.pl in
# the same variety.  For each, `count` and `summary` must match Devel::MAT loading the
# same file, the version warnings must be Devel::MAT's, and the variant must describe the
# same heap as the original.
use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";
use File::Path qw( make_path );
use Test::More;
use PMATTest;

PMATTest::need_oracle();
need_ours();

my $ROOT = repo_root();
my $DIR  = "$ROOT/t/tmp/versions";
make_path( $DIR );

sub make_variant
{
   my ( $cmd, $out ) = @_;
   my $tmp = "$out.$$";
   system( $^X, @$cmd, $tmp ) == 0 or return fail( "@$cmd" );
   rename $tmp, $out;
   return $out;
}

my $LEGACY = "Loading an earlier format of dumpfile - SV MAGIC annotations may be incorrect";
# 0.51 warns "Support for PMAT file format v0.5 is experimental" for every 0.5 file; we
# follow 0.53+, which warns once about class records instead, and only when there are
# OBJECT or CLASS records (docs/compat.md "version warnings")
my $CLASS  = "Support for class features in PMAT file is experimental";

sub check_variant
{
   my ( $name, $file, $minor, $base_count ) = @_;
   subtest $name => sub {
      same_as_oracle_many( $file, [ [ "count" ], [ "summary" ] ] );
      my $r = run_ours( $file, "count" );
      is( $r->{exit}, 0, "loads" );
      my @warn = grep { length } split /\n/, $r->{err};
      my @want = $minor == 0 ? ( $LEGACY ) : ();
      push @want, $CLASS if $minor >= 5 and $r->{out} =~ m/^  (?:OBJECT|CLASS) /m;
      is_deeply( [ grep { /format|earlier|class features/ } @warn ], \@want, "version warnings" );
      is( $r->{out}, $base_count, "same heap as the original" ) if defined $base_count;
   };
}

# ---- a real dump ----
my $real = dump_of( "kinds" );
my $base = run_ours( $real, "count" )->{out};
my $rw = "$ROOT/t/tools/pmat-rewrite.pl";
my @variants = (
   ( map { [ "minor$_", [ "--minor", $_ ], $_ ] } 0 .. 5 ),
   [ "uint32", [ "--uint32" ], 4 ],
   [ "ptr32", [ "--ptr32" ], 4 ],
   [ "be", [ "--be" ], 4 ],
   [ "uint32-ptr32-be-minor1", [ qw( --uint32 --ptr32 --be --minor 1 ) ], 1 ],
   [ "be-minor0", [ qw( --be --minor 0 ) ], 0 ],
);
for my $v ( @variants ) {
   my ( $name, $args, $minor ) = @$v;
   my $out = "$DIR/real-$name.pmat";
   make_variant( [ $rw, @$args, $real ], $out ) unless -s $out && -M $out < -M $real;
   check_variant( "real dump as $name", $out, $minor, $base );
}

# the rewriter is exact: rewriting without options reproduces the file byte for byte
{
   my $same = make_variant( [ $rw, $real ], "$DIR/real-identity.pmat" );
   ok( -s $same == -s $real && do { local $/; open my $a, "<:raw", $same; open my $b, "<:raw", $real; <$a> eq <$b> },
      "identity rewrite is byte-identical" );
}

# ---- tiny hand-made dumps ----
my $mk = "$ROOT/t/tools/mkdump.pl";
for my $minor ( 0 .. 5 ) {
   my $tiny_base;
   for my $enc ( [ "le64", [] ], [ "32", [ "--uint32", "--ptr32" ] ], [ "be", [ "--be" ] ],
                 [ "nothreads-mortals", [ "--nothreads", "--mortals" ] ] ) {
      my $out = make_variant( [ $mk, "--minor", $minor, @{ $enc->[1] } ], "$DIR/tiny-m$minor-$enc->[0].pmat" );
      check_variant( "tiny dump 0.$minor $enc->[0]", $out, $minor, $enc->[0] eq "nothreads-mortals" ? undef : $tiny_base );
      $tiny_base //= run_ours( $out, "count" )->{out};
   }
}

done_testing;
