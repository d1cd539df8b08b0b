#!/usr/bin/perl
# lib/ is a DAG of layers (docs/design.md "The layers of lib/"): every file of lib/ has a
# layer there, and every symbol an object file of lib/ takes from another is defined on a
# lower layer.  Read from the objects themselves (`nm`): defined (T, D, B, R, C) and
# undefined (U) global symbols.  The checker is first shown a layering with an upward
# call and a file without a layer, so a checker that finds nothing cannot pass.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use PMATTest ();

my $REPO = "$FindBin::Bin/..";
my $BUILD = $ENV{PMAT_BUILD} // "build/rel";

# { file => layer } from docs/design.md
sub layers_of
{
   my ( $text ) = @_;
   my ( $block ) = $text =~ m/<!-- layers:[^\n]*-->\n```\n(.*?)```\n<!-- \/layers -->/s
      or return;
   my %layer;
   for ( split m/\n/, $block ) {
      my ( $n, $files ) = m/^(\d+):\s+(.*)$/ or next;
      $layer{$_} = $n for split ' ', $files;
   }
   return \%layer;
}

# { file => { other file => [ symbols ] } } from the objects
sub uses_of
{
   my ( @objs ) = @_;
   my ( %def, %und );
   for my $o ( @objs ) {
      ( my $f = $o ) =~ s{.*/}{};
      $f =~ s/\.o$/.c/;
      my $res = PMATTest::run_cmd( [ "nm", $o ] );
      die "nm $o failed: $res->{err}" if $res->{exit};
      for ( split m/\n/, $res->{out} ) {
         if( m/^\s*[0-9a-f]*\s+[TDBRC]\s+(\S+)$/ ) { $def{$1} = $f }
         elsif( m/^\s+U\s+(\S+)$/ )               { push @{ $und{$f} }, $1 }
      }
      $und{$f} //= [];
   }
   my %uses;
   for my $f ( keys %und ) {
      $uses{$f} //= {};
      for my $sym ( @{ $und{$f} } ) {
         my $to = $def{$sym} or next;   # libc, zlib, ...
         push @{ $uses{$f}{$to} }, $sym unless $to eq $f;
      }
   }
   return \%uses;
}

# The complaints: files without a layer, uses of a file on the same layer or above.
sub check
{
   my ( $layer, $uses ) = @_;
   my @bad;
   for my $f ( sort keys %$uses ) {
      push @bad, "lib/$f has no layer in docs/design.md" and next unless defined $layer->{$f};
      for my $to ( sort keys %{ $uses->{$f} } ) {
         next if defined $layer->{$to} and $layer->{$to} < $layer->{$f};
         push @bad, sprintf "lib/%s (layer %d) calls lib/%s (layer %s): %s", $f, $layer->{$f}, $to,
            $layer->{$to} // "none", join ", ", @{ $uses->{$f}{$to} };
      }
   }
   return @bad;
}

# the checker itself
{
   my %layer = ( "a.c" => 1, "b.c" => 2 );
   my %uses = ( "a.c" => { "b.c" => [ "up" ] }, "b.c" => { "a.c" => [ "down" ] }, "c.c" => {} );
   is_deeply( [ check( \%layer, \%uses ) ],
      [ "lib/a.c (layer 1) calls lib/b.c (layer 2): up", "lib/c.c has no layer in docs/design.md" ],
      "the checker finds an upward call and a file without a layer" );
   $layer{"b.c"} = 1;
   is( scalar( () = check( \%layer, { "a.c" => { "b.c" => [ "x" ] } } ) ), 1, "... and a call within one layer" );
}

my $layer = layers_of( PMATTest::_slurp( "$REPO/docs/design.md" ) );
ok( $layer && %$layer, "docs/design.md lists the layers" ) or BAIL_OUT( "no layer list" );

my @objs = map { "$REPO/$BUILD/$_" =~ s/\.c$/.o/r } map { s{^\Q$REPO\E/}{}r } glob "$REPO/lib/*.c";
my @missing = grep { !-e } @objs;
is( "@missing", "", "lib/ is built ($BUILD)" ) or do { done_testing; exit };

my $uses = uses_of( @objs );
is( scalar( keys %$uses ), scalar( @objs ), "every object of lib/ read" );
is( join( "\n", check( $layer, $uses ) ), "", "lib/ calls only down its layers" );
my @gone = grep { !-e "$REPO/lib/$_" } sort keys %$layer;
is( "@gone", "", "every file docs/design.md lists exists" );

done_testing;
