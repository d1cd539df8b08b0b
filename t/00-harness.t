#!/usr/bin/perl
# Tests of the test harness itself (t/lib/PMATTest.pm, t/lib/oracle-driver.pl) and of
# the test corpus (t/progs/*.pl): every program produces a loadable dump, together they
# cover every SV kind a 0.46 dump on this perl can contain, the oracle driver prints
# exactly what /usr/bin/pmat prints, and the oracle cache works.
use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";

use Test::More;
use File::Temp qw( tempdir );
use File::Path ();
use Storable qw( retrieve );
use JSON::PP ();
use Time::HiRes qw( time );
use List::Util ();
use PMATTest;

PMATTest::need_oracle();

my $ROOT = repo_root();

# ---------------------------------------------------------------------------------------
subtest "every test program writes a loadable dump" => sub {
   my @progs = all_progs();
   cmp_ok( scalar @progs, ">=", 15, "there are test programs" ) or diag "@progs";
   my $t0 = time;
   foreach my $prog ( @progs ) {
      my $dump = eval { dump_of( $prog ) };
      ok( $dump && -s $dump, "t/progs/$prog.pl wrote a dump" ) or diag $@;
      next unless $dump;
      my $res = run_oracle( $dump, "summary" );
      like( $res->{out}, qr/^Perl memory dumpfile from perl 5\.\d+\.\d+ (?:non-)?threaded\nHeap contains \d+ objects\n\z/,
         "Devel::MAT loads $prog.pmat" ) or diag $res->{err};
   }
   note sprintf "dumps ready in %.1fs", time - $t0;
   ok( !grep( { $_ eq "deepchain_1m" } @progs ), "on-demand programs are not listed" );
   ok( grep( { $_ eq "deepchain_1m" } all_progs( on_demand => 1 ) ), "... unless asked for" );
};

# ---------------------------------------------------------------------------------------
subtest "dump series" => sub {
   my @leak = dump_series( "series_leak" );
   is( scalar @leak, 5, "series_leak writes 5 dumps" );
   like( $leak[$_], qr{/series_leak/${\ ( $_ + 1 )}\.pmat$}, "dump " . ( $_ + 1 ) . " in order" ) for 0 .. $#leak;
   my @diff = dump_series( "series_diff" );
   is( scalar @diff, 2, "series_diff writes 2 dumps" );
   my @again = dump_series( "series_leak" );
   is_deeply( \@again, \@leak, "a fresh series is reused" );
   ok( eval { dump_of( "series_leak" ); 0 } // 1, "dump_of refuses a series program" );
};

# ---------------------------------------------------------------------------------------
subtest "the corpus covers every SV kind" => sub {
   my %kinds;
   my %blessed;
   foreach my $prog ( all_progs() ) {
      foreach my $sv ( @{ sv_list( dump_of( $prog ) ) } ) {
         $kinds{ $sv->{type} }++;
         $blessed{ $sv->{type} }++ if length $sv->{blessed};
      }
   }
   # PADLIST/PADNAMES are not SVs on perl >= 5.20/5.21; C_STRUCT comes from helpers.pl.
   foreach my $kind ( qw( GLOB SCALAR UNDEF BOOL REF ARRAY PAD HASH STASH CODE IO LVALUE
                          REGEXP FORMAT INVLIST C_STRUCT ) ) {
      ok( $kinds{$kind}, "some dump contains a $kind" );
   }
   foreach my $kind ( qw( HASH ARRAY SCALAR CODE REGEXP GLOB IO ) ) {
      ok( $blessed{$kind}, "some dump contains a blessed $kind" );
   }
   note join ", ", map { "$_=$kinds{$_}" } sort keys %kinds;
};

# ---------------------------------------------------------------------------------------
# Devel::MAT's own output varies with its hash seed (list-dangling-ptrs prints a "has no
# values SV" line only when a hash's first value in hash order dangles; roots, find and
# largest ties follow hash order).  PMATTest pins PERL_HASH_SEED and PERL_PERTURB_KEYS for
# every process a test starts, so the comparisons below are between deterministic runs;
# where pmat's order may legitimately differ from the oracle's, tests compare sorted.
subtest "every oracle process runs with one fixed hash seed" => sub {
   is( $ENV{PERL_HASH_SEED}, 0, "PERL_HASH_SEED is pinned" );
   is( $ENV{PERL_PERTURB_KEYS}, 0, "PERL_PERTURB_KEYS is pinned" );
   my $dump = dump_of( "refs" );
   my @runs = map { run_cmd( [ $PMATTest::ORACLE_PMAT, "-q", $dump, "list-dangling-ptrs" ] )->{out} } 1 .. 5;
   is( scalar( grep { $_ eq $runs[0] } @runs ), 5, "five direct runs of list-dangling-ptrs print the same bytes" );
   # without the pin they would not: some other seed prints other bytes
   my $other_seed = List::Util::first {
      run_cmd( [ $PMATTest::ORACLE_PMAT, "-q", $dump, "list-dangling-ptrs" ],
         env => { PERL_HASH_SEED => $_ } )->{out} ne $runs[0]
   } 1 .. 20;
   ok( defined $other_seed, "0.51's list-dangling-ptrs output depends on the hash seed (so the pin matters)" );
   note "seed $other_seed prints other bytes than seed 0" if defined $other_seed;
};

# ---------------------------------------------------------------------------------------
# The driver must print exactly what /usr/bin/pmat -q prints.  Commands whose output
# follows the analyser's hash order (random per process) are compared sorted.
my $HASH_ORDER = qr/^(?:roots|find|list-dangling-ptrs|inrefs|largest)$/;
my @CHECKS = (
   [ scalars => [ "summary" ] ],
   [ scalars => [ "count" ] ],
   [ scalars => [ "count", "-b", "-S" ] ],
   [ scalars => [ "count", "--struct" ] ],
   [ scalars => [ "show", '$main::NEG' ] ],
   [ scalars => [ "show", "-F", '$main::LONG' ] ],
   [ scalars => [ "show", '$main::ULONG' ] ],          # a Perl warning on stderr
   [ scalars => [ "show", "sv_undef" ] ],              # dies after printing
   [ scalars => [ "show", "0x1" ] ],                   # No such SV
   [ scalars => [ "show" ] ],                          # Need an SV address
   [ scalars => [ "show", '$main::NOPE' ] ],           # croak with a location
   [ scalars => [ "bogus" ] ],                         # Unrecognised command
   [ scalars => [ "help" ] ],
   [ scalars => [ "help", "identify" ] ],
   [ scalars => [ "help", "find" ] ],
   [ scalars => [ "help", "help" ] ],                  # warnings + error
   [ scalars => [ "tools" ] ],
   [ scalars => [ "more" ] ],
   [ scalars => [ "elems", '@main::BIG' ] ],
   [ scalars => [ "elems", "-c", "2", '@main::LIST' ] ],
   [ scalars => [ "elems", '@main::HOLDS_SPARSE' ] ],  # dies on the NULL preview
   [ scalars => [ "elems", "--no-such-option", '@main::LIST' ] ],
   [ hashes  => [ "values", '%main::KEYS' ] ],
   [ hashes  => [ "values", "-c", "7", '%main::BIGH', "3" ] ],   # pages flushed by batch mode
   [ hashes  => [ "values", "defstash" ] ],
   [ hashes  => [ "symbols" ] ],
   [ hashes  => [ "packages", "-V" ] ],
   [ hashes  => [ "size", '%main::KEYS' ] ],
   [ callers => [ "callers" ] ],
   [ callers => [ "callers", "-P" ] ],
   [ callers => [ "stack" ] ],
   [ cycles  => [ "identify", oracle_find( "cycles", "SELF CYCLE" ) ] ],
   [ leaked  => [ "identify", "-n", '$main::LIVE' ] ],
   [ leaked  => [ "identify", oracle_find( "leaked", "LEAKED BY REFCNT" ) ] ],
   [ cycles  => [ "identify", "-d", "1", oracle_find( "cycles", "SELF CYCLE" ) ] ],
   [ cycles  => [ "identify", "--weak", '$main::CLOSURE_ONLY_GETTER' ] ],
   [ code    => [ "show", "-P", '&main::factorial' ] ],
   [ code    => [ "outrefs", "--all", '&main::make_counter' ] ],
   [ code    => [ "inrefs", "--all", '&main::globbed' ] ],
   [ code    => [ "find", "lexical", '$n' ] ],
   [ code    => [ "roots" ] ],
   [ code    => [ "find", "-C", "pv", "e" ] ],
   [ code    => [ "find", "cv", "--package", "Other::Pkg" ] ],
   [ globs_io => [ "find", "io" ] ],
   [ locals  => [ "outrefs", "-a", '%main::HELEM' ] ],
   [ refs    => [ "largest", "1" ] ],
   [ refs    => [ "count", "--owned" ] ],
   [ refs    => [ "list-dangling-ptrs" ] ],
   [ refs    => [ "time", "count" ], sub { $_[0] =~ s/^Loaded in [\d.]+s, ran in [\d.]+s$/TIMES/mr } ],
);

sub oracle_find
{
   my ( $prog, $pv ) = @_;
   return oracle_addr( dump_of( $prog ), "find", "pv", "--eq", $pv );
}

# The byte-for-byte check runs the driver with PMAT_ORACLE_RAW=1 (no t/lib/PMATFixes.pm
# corrections) against the unmodified /usr/bin/pmat; a second, smaller check runs the
# normal (corrected) driver against /usr/bin/pmat with the same corrections loaded.
sub driver_vs_real
{
   my ( $checks, %opt ) = @_;
   my $dir = tempdir( "driver-check-XXXXXX", DIR => "$ROOT/t/tmp", CLEANUP => 1 );
   my %env = $opt{raw} ? ( PMAT_ORACLE_RAW => 1 ) : ();
   my @real_pmat = $opt{raw} ? ( $PMATTest::ORACLE_PMAT )
                 : ( $^X, "-I$ROOT/t/lib", "-MPMATFixes", $PMATTest::ORACLE_PMAT );
   my %by_dump;
   push @{ $by_dump{ $checks->[$_][0] } }, $_ for 0 .. $#$checks;

   my @driver;
   my $t_driver = 0;
   foreach my $prog ( sort keys %by_dump ) {
      my $dump = dump_of( $prog );
      my $req = "$dir/$prog.req";
      open my $fh, ">", $req or die;
      print $fh "$dir/$_.sto\t" . JSON::PP->new->encode( $checks->[$_][1] ) . "\n" for @{ $by_dump{$prog} };
      close $fh;
      my $t0 = time;
      my $res = run_cmd( [ $^X, "$ROOT/t/lib/oracle-driver.pl", $dump, $req ], env => \%env );
      $t_driver += time - $t0;
      is( $res->{exit}, 0, "driver ran on $prog.pmat" ) or diag $res->{err};
      is( $res->{err}, "", "driver itself printed nothing" );
      $driver[$_] = eval { retrieve( "$dir/$_.sto" ) } for @{ $by_dump{$prog} };
   }

   my $t_real = 0;
   for my $i ( 0 .. $#$checks ) {
      my ( $prog, $argv, $filter ) = @{ $checks->[$i] };
      my $dump = dump_of( $prog );
      my $t0 = time;
      my $real = run_cmd( [ @real_pmat, "-q", $dump, @$argv ], env => \%env );
      $t_real += time - $t0;
      my $mine = $driver[$i] or do { fail( "no driver result for @$argv" ); next };
      my ( $rout, $mout ) = ( $real->{out}, $mine->{out} );
      ( $rout, $mout ) = map { $filter->( $_ ) } $rout, $mout if $filter;
      if( $argv->[0] =~ $HASH_ORDER or ( $argv->[0] eq "time" ) ) {
         ( $rout, $mout ) = map { join "\n", sort split m/\n/ } $rout, $mout;
      }
      my $name = "$prog: pmat @$argv";
      is( $mout, $rout, "$name: stdout" );
      is( $mine->{err}, $real->{err}, "$name: stderr" );
      is( $mine->{exit}, $real->{exit}, "$name: exit status" );
      is( $mine->{signal}, $real->{signal}, "$name: no signal" );
   }
   note sprintf "%d commands: driver %.1fs, /usr/bin/pmat %.1fs", scalar @$checks, $t_driver, $t_real;
}

subtest "oracle-driver.pl output equals /usr/bin/pmat -q byte for byte" => sub {
   driver_vs_real( \@CHECKS, raw => 1 );
};

subtest "... and with the t/lib/PMATFixes.pm corrections loaded in both" => sub {
   plan skip_all => "no t/lib/PMATFixes.pm" unless -f "$ROOT/t/lib/PMATFixes.pm";
   driver_vs_real( [
      [ scalars => [ "show", '$main::NEG' ] ],
      [ scalars => [ "show", '$main::UVMAX' ] ],
      [ scalars => [ "elems", '@main::MIXED' ] ],
      [ scalars => [ "count", "-S" ] ],
      [ scalars => [ "find", "num", "--iv" ] ],
      [ scalars => [ "show", "sv_undef" ] ],
   ] );
};

# ---------------------------------------------------------------------------------------
subtest "a dump that Devel::MAT cannot load" => sub {
   my $bad = "$ROOT/t/tmp/harness-bad.pmat";
   open my $fh, ">", $bad or die; print $fh "NOTAPMATFILE"; close $fh;
   my ( $a, $b ) = oracle_many( $bad, [ [ "summary" ], [ "count" ] ] );
   my $real = run_cmd( [ $PMATTest::ORACLE_PMAT, "-q", $bad, "summary" ] );
   is( $a->{err}, $real->{err}, "load error as pmat prints it" );
   is( $a->{exit}, $real->{exit}, "exit status as pmat's" );
   is( $b->{err}, $real->{err}, "the same for every command" );
   my $missing = run_oracle( "$ROOT/t/tmp/harness-no-such.pmat", "summary" );
   like( $missing->{err}, qr/^Cannot read .* - No such file or directory/, "missing file" );
   unlink $bad;
};

# ---------------------------------------------------------------------------------------
subtest "oracle cache" => sub {
   # Work on a private copy so that nothing is cached for it yet.
   my $orig = dump_of( "leaked" );
   my $dump = "$ROOT/t/tmp/harness-cache-$$.pmat";
   system( "cp", $orig, $dump ) == 0 or die "cp failed";
   my @cmds = map { [ "find", "pv", "--eq", $_ ] } "LEAKED BY REFCNT", "LEAKED SCALAR", "LIVE HASH";
   push @cmds, [ "count" ], [ "show", '$main::LIVE' ];
   my $runs = $PMATTest::STATS{driver_runs};
   my $t0 = time;
   my @first = oracle_many( $dump, \@cmds );
   my $t1 = time;
   is( $PMATTest::STATS{driver_runs}, $runs + 1, "one driver run for a batch" );
   my @second = oracle_many( $dump, \@cmds );
   my $t2 = time;
   is( $PMATTest::STATS{driver_runs}, $runs + 1, "second query served from the cache" );
   is_deeply( \@second, \@first, "same results" );
   note sprintf "%d commands: cold %.3fs, cached %.3fs", scalar @cmds, $t1 - $t0, $t2 - $t1;

   # A regenerated (newer) dump invalidates the cache.
   my $mtime = ( stat $dump )[9];
   utime $mtime + 1, $mtime + 1, $dump;
   oracle_many( $dump, [ [ "count" ] ] );
   is( $PMATTest::STATS{driver_runs}, $runs + 2, "a changed dump is recomputed" );

   # Duplicates in one batch are computed once.
   my $before = $PMATTest::STATS{oracle_computed};
   oracle_many( $dump, [ [ "show", "-F", '$main::LIVE' ], [ "show", "-F", '$main::LIVE' ] ] );
   is( $PMATTest::STATS{oracle_computed} - $before, 1, "duplicate commands computed once" );

   unlink $dump;
   File::Path::remove_tree( PMATTest::_cache_dir( $dump ) );
};

# ---------------------------------------------------------------------------------------
subtest "picking SVs" => sub {
   my $dump = dump_of( "kinds" );
   my $svs = sv_list( $dump );
   cmp_ok( scalar @$svs, ">", 1000, "sv_list lists the heap" );
   my %by_addr = map { $_->{addr} => $_ } @$svs;
   my @picked = svs_of_kinds( $dump, 2 );
   my %kinds = map { $by_addr{$_}{type} => 1 } @picked;
   ok( $kinds{$_}, "picked a $_" ) for qw( LVALUE REGEXP FORMAT INVLIST CODE PAD );
   ok( !grep( { !$by_addr{$_} } @picked ), "every picked address is an SV" );
   is_deeply( [ svs_of_kinds( $dump, 2 ) ], \@picked, "deterministic" );
   {
      local $ENV{PMAT_TEST_SCALE} = 0.34;   # as under CI
      my %n;
      $n{ $_->{type} }++ for @$svs;
      my %got;
      $got{ $by_addr{$_}{type} }++ for svs_of_kinds( $dump, 3 );
      is( $got{LVALUE}, $n{LVALUE}, "a rare kind is taken whole, also under CI ($n{LVALUE} LVALUEs)" );
      is( $got{SCALAR}, 1, "a common kind: one SV under CI" );
   }
   {
      local $ENV{PMAT_TEST_SCALE} = 1;
      is_deeply( [ share_of( 5, qw( a b c d ) ) ], [ qw( a b c d ) ], "share_of: every variant at full scale" );
      $ENV{PMAT_TEST_SCALE} = 0.34;
      is_deeply( [ map { [ share_of( $_, qw( a b c d ) ) ] } 0 .. 2 ], [ [ qw( a b ) ], [ qw( a d ) ], [ qw( a c ) ] ],
         "share_of under CI: the first, and the others in turn" );
   }
   my @lv = svs_of_kinds( $dump, 100, kinds => [ "LVALUE" ] );
   is( scalar( grep { $by_addr{$_}{type} ne "LVALUE" } @lv ), 0, "kinds => restricts" );
   my $named = ( grep { $_->{symname} eq '$main::STR' } @$svs )[0];
   ok( $named, "sv_list has symbol names" );
   my $addr = oracle_addr( $dump, "show", '$main::STR' );
   is( $addr, $named->{addr}, "oracle_addr finds the same address" );
};

# ---------------------------------------------------------------------------------------
subtest "helpers" => sub {
   is( PMATTest::strip_perl_locations(
         "main has no symbol X at /usr/lib/x86_64-linux-gnu/perl5/5.36/Devel/MAT/Tool.pm line 65.\n"
         . "Need an SV address\n" ),
      "main has no symbol X\nNeed an SV address\n", "strip_perl_locations" );
   is( PMATTest::_sort_lines( "b\na\nc\n" ), "a\nb\nc\n", "_sort_lines" );
   is( PMATTest::_sort_lines( "" ), "", "_sort_lines on nothing" );
   ok( !eval { PMATTest::_check_opts( sorted => 1 ); 1 }, "sorted => 1 is refused (give a reason)" );
   my $res = run_cmd( [ $^X, "-e", 'print "out"; print STDERR "err"; exit 3' ] );
   is_deeply( [ @$res{qw( out err exit signal )} ], [ "out", "err", 3, 0 ], "run_cmd" );
   my $in = run_cmd( [ $^X, "-e", 'print scalar <STDIN>' ], stdin => "fed\n" );
   is( $in->{out}, "fed\n", "run_cmd stdin" );
   {
      local $ENV{PMAT_ORACLE_RAW};
      # a doubly-encoded name ($caf\x{e9}, $\x{263a}) is undone; a PV preview's bytes are
      # data: "\xC3\x83\xC2\xA9" (a byte string of the characters \xC3\xA9 printed through
      # a UTF-8 layer) stays as printed
      is( PMATTest::undouble_utf8( "\$main::caf\xC3\x83\xC2\xA9 and \$\xC3\xA2\xC2\x98\xC2\xBA\n" ),
         "\$main::caf\xC3\xA9 and \$\xE2\x98\xBA\n", "undouble_utf8: names" );
      is( PMATTest::undouble_utf8( qq(SCALAR(PV) at 0x1 = "\xC3\x83\xC2\xA9" sym=\$x\n) ),
         qq(SCALAR(PV) at 0x1 = "\xC3\x83\xC2\xA9" sym=\$x\n), "undouble_utf8: not in a PV preview" );
      is( PMATTest::undouble_utf8( qq(  PV="a\\"\xC3\x83\xC2\xA9" {caf\xC3\x83\xC2\xA9}\n) ),
         qq(  PV="a\\"\xC3\x83\xC2\xA9" {caf\xC3\xA9}\n), "undouble_utf8: escaped quote inside a preview" );
   }
};

# ---------------------------------------------------------------------------------------
SKIP: {
   skip "bin/pmat is not built yet", 1 unless ours_available();
   subtest "our side" => sub {
      my $dump = dump_of( "scalars" );
      my $res = run_ours( $dump, "summary" );
      is( $res->{signal}, 0, "bin/pmat ran" );
      same_as_oracle( $dump, [ "summary" ] );
   };
}

done_testing;
