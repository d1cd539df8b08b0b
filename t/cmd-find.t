#!/usr/bin/perl
# `find [--count|-C] FILTER [FILTER...]` against Devel::MAT 0.51 on every corpus dump:
# every filter (num, pv, cv, io, blessed, lexical, struct, magic) with each of its
# options, values and patterns taken from the test programs, filter chains, --count,
# and every error message; `help find` and `help find FILTER`.
#
# 0.51 scans its heap hash, so match order (and what lands on which 31-match page) is
# Perl's hash order: listings are compared as sorted lines of the whole (batch mode
# prints every page).  Which glob names an aliased CODE is hash order too: those names
# go through PMATInspect::alias_filter, and `cv --package` (which tests that glob's
# package) is compared without the aliased CODEs.
use strict;
use warnings;
no warnings "portable";   # 64-bit vtable addresses through hex()
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use PMATTest;
use PMATInspect;

need_ours();

my $WHY = "find scans the heap in Perl hash order";

sub src_of { my ( $prog ) = @_; open my $fh, "<", repo_root() . "/t/progs/$prog.pl" or die; local $/; <$fh> }

my $prog_no = 0;
foreach my $prog ( all_progs() ) {
   my $dump = dump_of( $prog );
   my $src = src_of( $prog );
   my %seen;
   my @lexicals = grep { !$seen{$_}++ } $src =~ m/\bmy\s+(?:\(\s*)?([\$\@%]\w+)/g;
   @lexicals = @lexicals[0 .. 5] if @lexicals > 6;
   my @packages = grep { !$seen{$_}++ } $src =~ m/^\s*package\s+([\w:]+)/mg;
   my @strings = grep { length > 2 and !$seen{$_}++ } $src =~ m/"([A-Za-z][A-Za-z ]{2,12})"/g;
   @strings = @strings[0 .. 3] if @strings > 4;

   my @cmds = (
      [ "find" ],
      [ "find", "num" ], [ "find", "num", "--iv" ], [ "find", "num", "--uv" ],
      [ "find", "num", "--nv" ], [ "find", "num", "--iv", "--nv" ], [ "find", "num", 42 ],
      [ "find", "num", "2.5" ], [ "find", "num", "1e20" ], [ "find", "num", "0" ],
      [ "find", "num", "3.0" ], [ "find", "num", "--nv", "1" ], [ "find", "num", "abc" ],
      [ "find", "pv", "e" ], [ "find", "pv", "-i", "E" ], [ "find", "pv", "-r", "^[A-Z]+\$" ],
      [ "find", "pv", "-r", "-i", "^t.*s\$" ], [ "find", "pv", "--eq", "main" ],
      [ "find", "pv", "--eq", "-i", "MAIN" ], [ "find", "pv", "-r", "\\d{2,}" ],
      [ "find", "pv", "." ], [ "find", "pv", "-r", "(?<!a)b" ],
      [ "find", "cv" ], [ "find", "cv", "--xsub" ], [ "find", "cv", "-f", "t/progs/$prog.pl" ],
      [ "find", "cv", "--file", repo_root() . "/t/progs/$prog.pl" ],
      [ "find", "cv", "--xsub", "--file", "universal.c" ],
      [ "find", "io" ], [ "find", "io", 1 ], [ "find", "io", "-f", 2 ],
      [ "find", "io", "--fileno", "-1" ],
      [ "find", "struct", "DMDTest/MyData" ],
      [ "find", "-C", "num" ], [ "find", "--count", "pv", "e" ], [ "find", "-C" ],
      [ "find", "pv", "e", "num" ], [ "find", "num", "pv", "." ],
      map( { ( [ "find", "lexical", $_ ], [ "find", "lexical", "-I", $_ ],
               [ "find", "lexical", "--inactive", $_, "num" ] ) } @lexicals ),
      map( { ( [ "find", "blessed", $_ ] ) } @packages ),
      map( { ( [ "find", "pv", $_ ], [ "find", "pv", "--eq", $_ ] ) } @strings ),
   );
   # (under CI each dump takes its turn of the commands: share_of)
   @cmds = share_of( $prog_no++, @cmds );
   my @pkgcmds = map { [ "find", "cv", "-p", $_ ] } "main", @packages;

   # magic --vtbl: the virtual tables of %ENV, %SIG and the magic the program made
   my @vtbl;
   foreach my $res ( oracle_many( $dump, [ [ "show", '%main::ENV' ], [ "show", '%main::SIG' ],
         [ "show", '@main::ISA' ] ] ) ) {
      push @vtbl, $res->{out} =~ m/with virtual table at (0x[0-9a-f]+)/g;
   }
   push @cmds, map { ( [ "find", "magic", "--vtbl", $_ ], [ "find", "magic", "-v", hex $_ ] ) }
      grep { !$seen{$_}++ } @vtbl;

   oracle_many( $dump, [ @cmds, @pkgcmds ] );
   my $alias = alias_filter( $dump );
   same_as_oracle( $dump, $_, sorted => $WHY, filter => $alias ) for @cmds;

   my $aliased = aliased_svs( $dump );
   my $drop = sub { join "", grep { !( m/ at (0x[0-9a-f]+)/ and $aliased->{$1} ) } split m/^/, $_[0] };
   same_as_oracle( $dump, $_, sorted => $WHY, filter => $drop,
      why => "aliased CODEs' package is hash order" ) for @pkgcmds;
}

{
   my $dump = dump_of( "scalars" );
   same_as_oracle_many( $dump, [
      [ "help", "find" ],
      map( { [ "help", "find", $_ ] } qw( blessed cv io lexical magic num pv struct ) ),
   ] );
   same_as_oracle_many( $dump, [
      [ "find", "nosuch" ], [ "find", "pv" ], [ "find", "blessed" ], [ "find", "lexical" ],
      [ "find", "struct" ], [ "find", "magic" ], [ "find", "magic", "-v", "zz" ],
      [ "find", "magic", "--vtbl" ], [ "find", "io", "-f", "x" ], [ "find", "num", "--xx" ],
      [ "find", "-X" ], [ "find", "pv", "x", "-Q" ], [ "find", "cv", "-p" ],
      [ "find", "pv", "x", "nosuch" ], [ "find", "magic", "-v", "0" ],
   ], stderr => 1 );
}

# Interactive paging (through a pipe, which our shell reads line by line): pages of 31
# matches, `more` continues, and the pages together are the batch-mode listing.
{
   my $dump = dump_of( "scalars" );
   my $pmat = $ENV{PMAT_BIN} // repo_root() . "/bin/pmat";
   my $batch = run_cmd( [ $pmat, "-q", $dump, "find", "num" ] )->{out};
   my $res = run_cmd( [ $pmat, "-q", $dump ], stdin => "find num\nmore\nmore\n" );
   my @pages = split m/^\n/m, $res->{out};
   is( scalar( () = $pages[0] =~ m/^/mg ), 31, "scalars: find num: first page of 31" );
   is( scalar( () = $pages[1] =~ m/^/mg ), 31, "scalars: find num: more gives the next 31" );
   is( join( "", @pages[0 .. 2] ), join( "", ( split m/^/m, $batch )[0 .. 92] ),
      "scalars: find num: pages are the batch listing" );
}

done_testing;
