#!/usr/bin/perl
# Command-line conventions (docs/compat.md rows "CLI conventions" and "absurd values"):
# --help/--version on every program, pmat without arguments, exit statuses in batch and
# piped mode, "did you mean" after an unknown command, and clear errors for values 0.51
# accepts and then misbehaves on (out of memory, listing every SV, a silent address 0).
# Where 0.51 prints the same first line (Unrecognised command, Need dumpfile) ours is
# checked to start with exactly its text.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use PMATTest;

need_ours();
my $DUMP = dump_of( "scalars" );
my $HAVE_ORACLE = -x $PMATTest::ORACLE_PMAT;

subtest "--help and --version on every program" => sub {
   for my $p ( qw( pmat pmat-leakreport pmat-diff pmat-counts pmat-list-orphans pmat-cat-svpv ) ) {
      my $h = run_ours_prog( $p, "--help" );
      is( $h->{exit}, 0, "$p --help: exit 0" );
      like( $h->{out}, qr/\AUsage: \Q$p\E /, "$p --help: usage on stdout" );
      is( $h->{err}, "", "$p --help: nothing on stderr" );
      my $v = run_ours_prog( $p, "--version" );
      is( $v->{exit}, 0, "$p --version: exit 0" );
      like( $v->{out}, qr/\A\Q$p\E \d+\.\d+\n\z/, "$p --version: name and version" );
   }
};

subtest "pmat without arguments" => sub {
   my $r = run_ours_prog( "pmat" );
   is( $r->{exit}, 2, "exit 2" );
   like( $r->{err}, qr/\ANeed dumpfile\n\nUsage: pmat /, "0.51's Need dumpfile, then the usage" );
};

subtest "exit status" => sub {
   my $r = run_cmd( [ $ENV{PMAT_BIN} // repo_root() . "/bin/pmat", "-q", $DUMP ],
      stdin => "summary\nlagrest\ntools\n" );
   is( $r->{exit}, 2, "piped commands, one failing: exit 2" );
   like( $r->{out}, qr/Heap contains .*Reachability/s, "... the others still ran" );
   $r = run_ours( $DUMP, "largest", "abc" );
   is( $r->{exit}, 2, "batch command failing: exit 2" );
   is( run_ours( $DUMP, "tools" )->{exit}, 0, "batch command succeeding: exit 0" );
};

subtest "did you mean" => sub {
   my %near = ( lagrest => "largest", idnetify => "identify", shwo => "show", summ => "summary",
                "list-danglingptrs" => "list-dangling-ptrs" );
   for my $typo ( sort keys %near ) {
      my $r = run_ours( $DUMP, $typo );
      is( $r->{err}, "Unrecognised command '$typo'\nDid you mean '$near{$typo}'?\n",
         "$typo: 0.51's message, then the suggestion" );
      is( $r->{exit}, 2, "$typo: exit 2" );
   }
   my $r = run_ours( $DUMP, "nosuch" );
   is( $r->{err}, "Unrecognised command 'nosuch'\n", "nothing near: 0.51's message only" );
   SKIP: {
      skip "no oracle", 1 unless $HAVE_ORACLE;
      my $o = run_oracle( $DUMP, "lagrest" );
      like( PMATTest::strip_perl_locations( $o->{err} ), qr/\AUnrecognised command 'lagrest'\n/,
         "(0.51's first line is the same)" );
   }
};

subtest "absurd values" => sub {
   my @cases = (
      [ [ "show", "0xZZZ" ], qr/^Invalid SV address '0xZZZ': not a hexadecimal number$/ ],
      [ [ "show", "0x" ], qr/^Invalid SV address '0x': not a hexadecimal number$/ ],
      [ [ "show", "0x1234g" ], qr/^Invalid SV address '0x1234g': not a hexadecimal number$/ ],
      [ [ "show", "0x" . "f" x 17 ], qr/^Invalid SV address '0xf{17}': more than 64 bits$/ ],
      [ [ "identify", "-d", "-1", "strtab" ], qr/^Option --depth value '-1' must not be negative$/ ],
      [ [ "dominators", "-d", "99999999999999999999" ], qr/^Option --depth value '99999999999999999999' is out of range$/ ],
      [ [ "elems", "-c", "99999999999999999999", "strtab" ], qr/^Option --count value '\d+' is out of range$/ ],
      [ [ "largest", "abc" ], qr/^'abc' is not a count: expected a whole number/ ],
      [ [ "largest", "3", "1.5" ], qr/^'1.5' is not a count/ ],
      [ [ "show", "strtab", "extra" ], qr/^Unexpected argument 'extra' \(see 'help show'\)$/ ],
      [ [ "summary", "x" ], qr/^Unexpected argument 'x'/ ],
      [ [ "identify", "strtab", "more" ], qr/^Unexpected argument 'more'/ ],
   );
   for my $c ( @cases ) {
      my ( $argv, $re ) = @$c;
      my $r = run_ours( $DUMP, @$argv );
      is( $r->{exit}, 2, "@$argv: exit 2" );
      like( $r->{err}, $re, "@$argv: a clear error" );
      is( $r->{out}, "", "@$argv: no output" );
   }
   my $r = run_ours( $DUMP, "dominators", "-d", "1000000000", "-c", "1" );
   is( $r->{exit}, 0, "dominators -d 1000000000: runs (a depth beyond the heap is no limit)" );
   like( $r->{out}, qr/\Athe roots retain /, "... and prints the tree" );
   unlike( $r->{err}, qr/memory/i, "... not out of memory" );
   $r = run_ours( $DUMP, "show", "0x0000000000000000000001" );
   like( $r->{err}, qr/^No such SV at address 1$/, "leading zeros do not count as bits" );
   $r = run_ours( $DUMP, "find", "pv", "x", "nosuch" );
   like( $r->{err}, qr/^Unknown filter type 'nosuch'$/, "find still reads its own filters" );
   $r = run_ours( $DUMP, "time", "tools" );
   is( $r->{exit}, 0, "time still reads its command" );
};

subtest "batch -c N" => sub {
   my $dump = dump_of( "hashes" );
   my ( $n ) = run_ours( $dump, "show", "defstash" )->{out} =~ m/(\d+) values/;
   my $r = run_ours( $dump, "values", "-c", "3", "defstash" );
   my @rows = $r->{out} =~ m/^  \{/mg;
   is( scalar @rows, 3, "values -c 3: three rows" );
   like( $r->{out}, qr/^  \.\.\. \(@{[ $n - 3 ]} more\)\n\z/m, "... then '... (N more)' and nothing else" );
   my $all = run_ours( $dump, "values", "defstash" );
   my @allrows = $all->{out} =~ m/^  \{/mg;
   is( scalar @allrows, $n, "values without -c: every row (0.51's paging to the end)" );
   $r = run_ours( $dump, "elems", "--count", "2", "mainstack" );
   my @e = $r->{out} =~ m/^  \[\d+\]/mg;
   cmp_ok( scalar @e, "<=", 2, "elems --count 2: at most two" );
   SKIP: {
      skip "no oracle", 1 unless $HAVE_ORACLE;
      my $o = run_oracle( $dump, "values", "-c", "3", "defstash" );
      my @orows = $o->{out} =~ m/^  \{/mg;
      is( scalar @orows, $n, "(0.51 prints all $n rows, 3 at a time)" );
   }
};

done_testing;
