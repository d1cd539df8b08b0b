#!/usr/bin/perl
# `roots`, `stack`, `symbols [--recurse|-R] [START]` and `packages [--versions|-V]`
# against Devel::MAT 0.51 on every corpus dump: symbols of main and of every package the
# test program declares (with and without -R), packages with and without -V, and the
# errors.  roots are kept in a Perl hash by 0.51 (listed in hash order): compared as
# sorted lines.  symbols/packages pages are all printed in batch mode.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use PMATTest;
use PMATInspect;

need_ours();

foreach my $prog ( all_progs() ) {
   my $dump = dump_of( $prog );
   my $src = do { open my $fh, "<", repo_root() . "/t/progs/$prog.pl" or die; local $/; <$fh> };
   my %seen;
   my @packages = grep { $_ ne "main" and !$seen{$_}++ } $src =~ m/^\s*package\s+([\w:]+)/mg;
   my @cmds = (
      [ "stack" ], [ "symbols" ], [ "symbols", "-R" ], [ "symbols", "main" ],
      [ "symbols", "strict" ], [ "symbols", "-R", "warnings" ], [ "symbols", "Devel" ],
      [ "symbols", "-R", "Devel::MAT" ], [ "packages" ], [ "packages", "-V" ],
      [ "packages", "--versions" ],
      map( { ( [ "symbols", $_ ], [ "symbols", "-R", $_ ] ) } @packages ),
   );
   oracle_many( $dump, [ @cmds, [ "roots" ] ] );
   compare_inspect( $dump, $_ ) for @cmds;
   same_as_oracle( $dump, [ "roots" ], sorted => "0.51 keeps the roots in a Perl hash" );
}

{
   my $dump = dump_of( "stashes" );
   same_as_oracle_many( $dump, [
      [ "symbols", "No::Such" ], [ "symbols", "main::nothing" ], [ "symbols", "-X" ],
      [ "packages", "-x" ],
   ], stderr => 1, exit => 0 );
   # extra arguments: an error for us (0.51 ignores them; docs/compat.md)
   for my $cmd ( [ "packages", "extra" ], [ "roots", "extra" ] ) {
      my $r = run_ours( $dump, @$cmd );
      is( $r->{exit}, 2, "@$cmd: an error" );
      like( $r->{err}, qr/^Unexpected argument 'extra'/, "... saying so" );
   }
}

# An integer $VERSION, as 0.51 without the harness's corrections prints it.
{
   my $dump = dump_of( "stashes" );
   my $raw = run_cmd( [ "/usr/bin/pmat", "-q", $dump, "packages", "-V" ] );
   my ( $want ) = $raw->{out} =~ m/^(package Puppy 3 at .*)$/m;
   ok( $want, "stashes: 0.51 shows Puppy's integer \$VERSION" );
   my ( $got ) = run_ours( $dump, "packages", "-V" )->{out} =~ m/^(package Puppy .*)$/m;
   is( $got, $want, "stashes: packages -V shows Puppy's integer \$VERSION as 0.51 does" );
}

# `symbols -R main` reaches %main:: again through its own main:: entry: 0.51 recurses
# for ever; we list each stash once (docs/compat.md).
{
   my $dump = dump_of( "stashes" );
   my $res = run_cmd( [ $ENV{PMAT_BIN} // repo_root() . "/bin/pmat", "-q", $dump,
      "symbols", "-R", "main" ], timeout => 60 );
   is( $res->{exit}, 0, "stashes: symbols -R main terminates" );
   my @self = $res->{out} =~ m/^%main::main:: at /mg;
   is( scalar @self, 1, "... listing %main::main:: once" );
   my @nested = $res->{out} =~ m/^\S+main::main::\w/mg;
   is( scalar @nested, 0, "... and not expanding it again" );
}

done_testing;
