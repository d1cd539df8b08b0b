#!/usr/bin/perl
# The commands of Devel::MAT 0.53-0.56 on format-0.6 dumps, against 0.56 (the sid root,
# its heap iterated in address order: docs/compat.md "strtab"): `strtab` with its options
# and filter, `stop`, `values` with --skip/--no-sort/--hek and a /PATTERN/ filter, `elems
# --start`, and their help pages; on a dump of Devel::MAT::Dumper 0.52 and on the
# hand-made 0.6 dump (SVx 0x89 shared-PV scalars, MAGICv2).
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use PMATTest;
use PMATRoots;

PMATRoots::need( "sid" );
need_ours();
local $PMATTest::SUITE = "sid";
local $ENV{PMAT_ORACLE_SORTED_HEAP} = 1;

# one-shot `values`/`elems -c N` print one page and the "... (M more)" line; 0.56 pages on
# to the end in batch mode (docs/compat.md "batch -c N")
sub first_page { my ( $t ) = @_; $t =~ s/^(  \.\.\. \(\d+ more\)\n).*\z/$1/ms; $t }
sub paged { { cmd => [ @_ ], filter => \&first_page } }

my $dump = dump_of( "hashes", suite => "sid" );
same_as_oracle_many( $dump, [
   [ "strtab" ], [ "strtab", "-c", "40" ], [ "strtab", "-s", "100", "-c", "20" ], [ "strtab", "--skip", "-3" ],
   [ "strtab", '/^new$/' ], [ "strtab", "/^[a-z]/i", "-c", "5" ], [ "strtab", "/x/" ], [ "strtab", "x" ],
   [ "strtab", "/(/" ],
   { cmd => [ "strtab", "-n", "-c", "5000" ], sorted => "--no-sort: 0.56 lists hash order, we file order" },
   [ "stop" ], [ "help", "strtab" ], [ "help", "stop" ], [ "help", "values" ],
   { cmd => [ "help", "elems" ], why => "we keep 0.51's \$STARTIDX argument (compat.md)",
     filter => sub { $_[0] =~ s/ \$STARTIDX\n/\n/r =~ s/\n\nARGUMENTS:\n  \$STARTIDX +starting index//r } },
   paged( "values", "defstash", "/^[A-Z]/", "-c", "5" ), paged( "values", "defstash", "-s", "3", "-c", "3" ),
   [ "values", '%main::INC', "--hek" ], [ "values", '%main::INC', "-H", "/lib/i" ],
   paged( "values", "strtab", "-c", "4", "-s", "10" ), [ "values", "defstash", "x" ],
   { cmd => [ "values", "-n", '%main::INC' ], sorted => "--no-sort: 0.56 lists hash order, we file order" },
   paged( "elems", '@main::INC', "-s", "1", "-c", "2" ), [ "elems", '@main::INC', "--start", "3" ],
] );

# a format 0.4 dump (Devel::MAT::Dumper 0.46 on the host) has no HEK pointers: every key
# is listed with "HEK at 0" and no users (pmat printed "out of memory" once)
same_as_oracle_many( dump_of( "refs" ), [ [ "strtab", "-c", "5" ], [ "strtab", "/^IO/" ] ] );

# the hand-made 0.6 dump: shared-PV scalars, names of globs and codes, hash keys
my $tiny = repo_root() . "/t/tmp/strtab-tiny.pmat";
system( $^X, repo_root() . "/t/tools/mkdump.pl", "--minor", 6, $tiny ) == 0 or BAIL_OUT( "mkdump.pl" );
same_as_oracle_many( $tiny, [ [ "strtab" ], [ "values", "0x10108", "--hek" ], [ "show", "0x10468" ],
   [ "show", "0x10330" ], [ "show", "0x10378" ], [ "show", "0x100c0" ], [ "show", "0x10138" ] ] );

done_testing;
