#!/usr/bin/perl
# A program that runs out of file descriptors still gets its -dump_at_DIE
# (and -dump_at_WARN) dump, from the descriptor the module keeps in reserve;
# and whether the dump can be written or not, the program's own error goes
# through with its message and exit status, no partial file is left, and no
# descriptor of the program is touched.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use File::Temp qw( tempdir );
use POSIX ();
use PMATTestUtil;
use Devel::PMAT;

my $dir  = tempdir( CLEANUP => 1 );
my $prog = "$PROGS/fdexhaust.pl";
my $EMFILE = "socketpair: " . do { local $! = POSIX::EMFILE(); "$!" } . "\n";

# run fdexhaust.pl MODE under `ulimit -n 120`, with perl options @opts
sub run_low
{
   my ( $mode, @opts ) = @_;
   return run_capture( 'sh', '-c', 'ulimit -n 120; exec "$@"', 'sh',
      perl_cmd( @opts, $prog, $mode ) );
}

sub complete
{
   my ( $f ) = @_;
   my $r = eval { Devel::PMAT::_check_file( $f ) };
   return $r && $r->{svs} > 1000;
}

sub no_leftovers { return !glob( "$dir/*.tmp.*" ) }

my ( $pst, $pout, $perr ) = run_low( 'die' );
is( $pst >> 8, POSIX::EMFILE(), 'without a dumper: the program dies with exit status EMFILE' );
is( $perr, $EMFILE, 'without a dumper: its message' );

# -dump_at_DIE: the dump is written from the reserve descriptor
{
   my ( $st, $out, $err ) = run_low( 'die', "-MDevel::PMAT=-format=$MAT_FORMAT,-dump_at_DIE,-file,$dir/die.pmat" );
   is( $st, $pst, 'DIE at EMFILE: same exit status as without the dumper' );
   is( $err, "Dumping to $dir/die.pmat because of DIE\n$EMFILE", 'DIE at EMFILE: the program\'s message' );
   ok( complete( "$dir/die.pmat" ), 'DIE at EMFILE: the dump is written and complete' );
   ok( no_leftovers(), 'DIE at EMFILE: no temporary file' );
   SKIP: {
      skip '/usr/bin/pmat missing', 2 unless have_pmat();
      my ( $s, $o, $e ) = run_capture( '/usr/bin/pmat', '-q', "$dir/die.pmat", 'callers' );
      is( $e, '', 'DIE at EMFILE: loads in Devel::MAT' );
      like( $o, qr/^caller\(1\): CODE\(PP\) at 0x[0-9a-f]+=&main::serve => void\n.*\n  \$_\[0\]: SCALAR\(PV\) at 0x[0-9a-f]+ = "conn-1"$/m,
         'DIE at EMFILE: the dying sub and its argument are in the dump' );
   }
}

# the same with a forked writer
{
   my ( $st, $out, $err ) = run_low( 'die', "-MDevel::PMAT=-format=$MAT_FORMAT,-dump_at_DIE,-fork,-file,$dir/fork.pmat" );
   is( $st, $pst, 'DIE at EMFILE, -fork: same exit status' );
   is( $err, "Dumping to $dir/fork.pmat because of DIE\n$EMFILE", 'DIE at EMFILE, -fork: the program\'s message' );
   my $t = time; select undef, undef, undef, 0.05 until -e "$dir/fork.pmat" or time - $t > 60;
   ok( complete( "$dir/fork.pmat" ), 'DIE at EMFILE, -fork: the writer wrote a complete dump' );
}

# -dump_at_WARN, twice at EMFILE: the reserve is taken again after each dump
{
   my ( $st, $out, $err ) = run_low( 'warn2', "-MDevel::PMAT=-format=$MAT_FORMAT,-dump_at_WARN,-file,$dir/wNNN.pmat" );
   is( $st, 0, 'WARN at EMFILE: exit 0' );
   is( $out, "carried on\n", 'WARN at EMFILE: the program carried on' );
   is( $err, "Dumping to $dir/w000.pmat because of WARN\n$EMFILE" .
             "Dumping to $dir/w001.pmat because of WARN\n$EMFILE", 'WARN at EMFILE: both warnings' );
   ok( complete( "$dir/w000.pmat" ) && complete( "$dir/w001.pmat" ), 'WARN at EMFILE: both dumps complete' );
}

# The program closed every descriptor, the reserve included, and then used
# the reserve's number itself: that descriptor is left alone, so there is
# no descriptor for the dump - it fails, says so, and the program's error
# still goes through.
{
   my ( $bst, $bout ) = run_low( 'closeall' );
   my ( $st, $out, $err ) = run_low( 'closeall', "-MDevel::PMAT=-format=$MAT_FORMAT,-dump_at_DIE,-file,$dir/none.pmat" );
   is( $st, $bst, 'reserve closed by the program: same exit status as without the dumper' );
   is( $err, "Dumping to $dir/none.pmat because of DIE\n" .
             "Cannot open $dir/none.pmat for writing - " . do { local $! = POSIX::EMFILE(); "$!" } . "\n" .
             $EMFILE, 'reserve closed by the program: the failure, then the program\'s message' );
   like( $out, qr/^all \d+ sockets open$/, 'reserve closed by the program: none of its descriptors was closed' );
   is( $out, $bout, '... the same number as without the dumper' );
   ok( !-e "$dir/none.pmat" && no_leftovers(), 'reserve closed by the program: no file, no temporary file' );
}

# a dump that cannot be written for another reason: same, never the dumper's error instead
{
   my ( $st, $out, $err ) = run_capture( perl_cmd( "-MDevel::PMAT=-format=$MAT_FORMAT,-dump_at_DIE,-file,$dir/no/such/x.pmat",
      '-e', 'sub f { $! = 5; die "the program\'s error\n" } f()' ) );
   is( $st >> 8, 5, 'unwritable dump: die\'s exit status is the program\'s $!' );
   is( $err, "Dumping to $dir/no/such/x.pmat because of DIE\n" .
             "Cannot open $dir/no/such/x.pmat for writing - No such file or directory\n" .
             "the program's error\n", 'unwritable dump: the failure, then the program\'s message' );
}

# the reserve: one close-on-exec descriptor at the top of the range, only with a hook
{
   my ( $st, $out ) = run_capture( 'sh', '-c', 'ulimit -n 120; exec "$@"', 'sh', perl_cmd( '-MDevel::PMAT=-dump_at_DIE',
      '-e', 'my $fd = Devel::PMAT::_reserve_fileno(); open my $i, "<", "/proc/self/fdinfo/$fd" or die;
             my ( $fl ) = join( "", <$i> ) =~ m/^flags:\s*(\d+)/m;
             print "$fd ", readlink( "/proc/self/fd/$fd" ) // "-", " ", oct( $fl ) & 02000000 ? "cloexec" : "inherited"' ) );
   like( $out, qr{^119 /memfd:Devel::PMAT fd reserve \(deleted\) cloexec$}, 'reserve: a cloexec memfd at fd 119 under ulimit -n 120' );
   ( $st, $out ) = run_capture( perl_cmd( '-MDevel::PMAT', '-e', 'print Devel::PMAT::_reserve_fileno()' ) );
   is( $out, '-1', 'no reserve without a -dump_at_ hook' );
}

done_testing;
