#!/usr/bin/perl
# Hook-triggered dumps keep the program's call stack: the same program, run
# once with Devel::MAT::Dumper and once with Devel::PMAT and the same
# -dump_at_* option, must give the same `callers` and `stack` in pmat - the
# real /usr/bin/pmat on both dumps, and our bin/pmat on both - with only the
# addresses and the dumper's own package name (Devel::MAT::Dumper or
# Devel::PMAT, in the name of its hook sub) told apart. The dumps are made
# from nested subs, inside eval {} and eval "", a sort block and a signal
# handler, by the DIE, WARN, SIGQUIT, SIGUSR1 and END hooks. Perl runs every
# hook, signal handler and sort block on a stackinfo of its own, so this
# needs the frames of every stackinfo up the si_prev chain.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use File::Temp qw( tempdir );
use Cwd qw( abs_path );
use PMATTestUtil;

plan skip_all => 'Devel::MAT::Dumper and /usr/bin/pmat needed'
   unless eval { require Devel::MAT::Dumper; 1 } and have_pmat();

my $dir  = tempdir( CLEANUP => 1 );
my $prog = "$PROGS/callstack.pl";
my $ours = $ENV{PMAT_BIN} // abs_path( "$FindBin::Bin/../../bin/pmat" );
$ours = undef unless $ours and -x $ours;
# bin/pmat is compared with the real Devel::MAT through the suite's oracle
# driver, which applies the documented corrections of 0.51's bugs
# (t/lib/PMATFixes.pm, docs/compat.md: e.g. "ivuv", the IV/UV labels)
my $driver = abs_path( "$FindBin::Bin/../../t/lib/oracle-driver.pl" );

# ( callers, stack ) of DUMP as printed by the corrected Devel::MAT
sub fixed_oracle
{
   my ( $dump ) = @_;
   require JSON::PP; require Storable;
   my %res = ( callers => "$dump.callers.sto", stack => "$dump.stack.sto" );
   open my $fh, '>', "$dump.req" or die;
   print $fh "$res{$_}\t" . JSON::PP::encode_json( [ $_ ] ) . "\n" for sort keys %res;
   close $fh;
   my ( $st, undef, $err ) = run_capture( $^X, $driver, $dump, "$dump.req" );
   return map { my $r = -f $res{$_} && Storable::retrieve( $res{$_} );
                $st == 0 && $r && $r->{exit} == 0 && $r->{err} eq '' ? $r->{out} : "FAILED: $err" }
          qw( callers stack );
}

# [ MODE for callstack.pl, -dump_at_ option, extra Devel::PMAT options, options for both ]
my @cases = (
   [ 'nested:die',        'DIE' ],
   [ 'sort:die',          'DIE' ],
   [ 'handler:die',       'DIE' ],
   [ 'nested:die',        'DIE', ',-fork' ],
   [ 'nested:warn',       'WARN' ],
   [ 'eval:warn',         'WARN' ],
   [ 'sort:warn',         'WARN' ],
   [ 'handler:warn',      'WARN' ],
   [ 'nested:kill QUIT',  'SIGQUIT' ],
   [ 'eval:kill QUIT',    'SIGQUIT' ],
   [ 'sort:kill QUIT',    'SIGQUIT' ],
   [ 'handler:kill QUIT', 'SIGQUIT' ],
   [ 'nested:kill USR1',  'SIGUSR1' ],
   [ 'sort:kill USR1',    'SIGUSR1' ],
   [ 'end',               'END' ],
   [ 'end',               'END', '', ',-eager_open' ],
   # not a hook: dump() called from code
   [ 'nested:dump',       '' ],
   [ 'sort:dump',         '' ],
   [ 'handler:dump',      '' ],
);

# Program frames each case must show (so that agreeing with a broken oracle
# run cannot pass): inner-most first, a subsequence of the `callers` lines.
my %frames = (
   nested  => [ qw( trigger inner middle outer ) ],
   sort    => [ qw( trigger inner middle outer in_sort ) ],
   eval    => [ 'trigger', 'inner', 'middle', 'outer', 'eval (', 'eval {...}', 'in_evals' ],
   handler => [ qw( trigger inner middle outer __ANON__ in_handler ) ],
);

sub mask
{
   my ( $s ) = @_;
   $s =~ s/0x[0-9a-f]+/0x?/g;
   # the hook sub (&Devel::PMAT::__ANON__, ::END), the -eager_open handle
   $s =~ s/([&*])Devel::(?:MAT::Dumper|PMAT)::(__ANON__|END|\$dumpfh)(?![\w:])/$1DUMPER::$2/g;
   return $s;
}

my $n = 0;
for my $c ( @cases ) {
   my ( $mode, $hook, $extra, $both ) = @$c;
   $extra //= '';
   $both //= '';
   my $name = $hook ? "$mode -dump_at_$hook$both$extra" : "$mode dump()";
   my $file = "$dir/x.pmat";
   my ( $dmd, $pm ) = ( "$dir/dmd$n.pmat", "$dir/pm$n.pmat" );
   $n++;

   chdir $dir or die;
   unlink $file;
   local $ENV{CALLSTACK_DUMP} = $file;
   my $opts = $hook ? "=-dump_at_$hook$both,-file,$file" : "";
   my @d = run_capture( $^X, "-MDevel::MAT::Dumper$opts", $prog, $mode );
   rename $file, $dmd or do { fail( "$name: Devel::MAT::Dumper wrote no dump" ); next };
   # Devel::PMAT writes the format of the Devel::MAT::Dumper it is compared with
   my $pmopts = ( $opts ? "$opts," : "=" ) . "-format=$DUMPER_FORMAT";
   my @p = run_capture( perl_cmd( "-MDevel::PMAT$pmopts$extra", $prog, $mode ) );
   if( $extra =~ /fork/ ) {
      my $t = time;
      select undef, undef, undef, 0.05 until -e $file or time - $t > 60;
   }
   rename $file, $pm or do { fail( "$name: Devel::PMAT wrote no dump" ); diag $p[2]; next };

   # what the program printed and how it ended are the same
   is( $p[1], $d[1], "$name: same stdout" );
   # (Devel::MAT::Dumper 0.46 also prints debug lines of its save-stack walk)
   is( $p[2], $d[2] =~ s/^TODO: SAVEt_.*\n//mgr, "$name: same stderr" );
   if( $hook eq 'DIE' ) {
      # Devel::MAT::Dumper leaves its own errno in $!, which becomes die's
      # exit status; Devel::PMAT leaves the program's (compare without a dumper)
      my @plain = run_capture( $^X, $prog, $mode );
      is( $p[0], $plain[0], "$name: exit status as without a dumper" );
   }
   else {
      is( $p[0], $d[0], "$name: same exit status" );
   }

   my @runs = run_parallel(
      map { my $f = $_; map { [ '/usr/bin/pmat', '-q', $f, $_ ] } qw( callers stack ) } $dmd, $pm );
   my ( $dc, $ds, $pc, $ps ) = map { $_->[0] == 0 && $_->[2] eq '' ? $_->[1] : "FAILED: $_->[2]" } @runs;

   # the oracle's view of Devel::MAT::Dumper's dump has the program's frames
   my ( $where ) = $mode =~ m/^(\w+)/;
   my @want = @{ $frames{$where} // [] };
   @want = ( 'in_handler' ) if $mode eq 'handler:die';   # perl rethrows after leaving the handler
   @want = ( '&Devel::MAT::Dumper::END', 'eval {...}' ) if $mode eq 'end';
   my $pos = 0;
   for my $line ( grep { /^caller\(/ } split m/\n/, $dc ) {
      $pos++ if $pos < @want and index( $line, $want[$pos] ) >= 0;
   }
   is( $pos, scalar @want, "$name: Devel::MAT::Dumper's dump has the frames @want" );

   is( mask( $pc ), mask( $dc ), "$name: /usr/bin/pmat callers same for both dumps" );
   is( mask( $ps ), mask( $ds ), "$name: /usr/bin/pmat stack same for both dumps" );

   SKIP: {
      skip 'bin/pmat or t/lib/oracle-driver.pl not here', 5 unless $ours and $driver and -f $driver;
      my @o = run_parallel(
         map { my $f = $_; map { [ $ours, '-q', $f, $_ ] } qw( callers stack ) } $dmd, $pm );
      my ( $odc, $ods, $opc, $ops ) = map { $_->[0] == 0 && $_->[2] eq '' ? $_->[1] : "FAILED: $_->[2]" } @o;
      my ( $fdc, $fds ) = fixed_oracle( $dmd );
      my ( $fpc, $fps ) = fixed_oracle( $pm );
      is( $opc, $fpc, "$name: bin/pmat callers of our dump identical to Devel::MAT's" );
      is( $ops, $fps, "$name: bin/pmat stack of our dump identical to Devel::MAT's" );
      is( $odc, $fdc, "$name: bin/pmat callers of Devel::MAT::Dumper's dump identical to Devel::MAT's" );
      is( $ods, $fds, "$name: bin/pmat stack of Devel::MAT::Dumper's dump identical to Devel::MAT's" );
      is( mask( $opc ), mask( $odc ), "$name: bin/pmat callers same for both dumps" );
   }
}

done_testing;
