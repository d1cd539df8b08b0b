#!/usr/bin/perl
# Every import option, each in its own perl process.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use File::Temp qw( tempdir );
use Cwd qw( getcwd );
use POSIX ();
use PMATTestUtil;
use Devel::PMAT;

my $dir = tempdir( CLEANUP => 1 );

# run perl with -MDevel::PMAT=OPTS in $dir; returns ( status, out, err )
sub run_opts
{
   my ( $opts, $code, %o ) = @_;
   my $old = getcwd;
   chdir $dir or die;
   my @cmd = perl_cmd( "-MDevel::PMAT=$opts", '-e', $code );
   @cmd = ( 'sh', '-c', "$o{sh}; exec \"\$@\"", 'sh', @cmd ) if $o{sh};
   my @r = run_capture( @cmd );
   chdir $old;
   return @r;
}

sub loadable
{
   my ( $f ) = @_;
   my $r = eval { Devel::PMAT::_check_file( $f ) };
   return $r && $r->{svs} > 1000;
}

# -dump_at_END and the default name
{
   # in the format the installed Devel::MAT reads
   my ( $st, $out, $err ) = run_opts( "-dump_at_END,-format=$MAT_FORMAT", 'print "hello\n"' );
   is( $st, 0, 'END: exit 0' );
   is( $out, "hello\n", 'END: program output untouched' );
   is( $err, "Dumping to $dir/perl-e.pmat because of END\n", 'END: message, default name perl-e.pmat' );
   ok( loadable( "$dir/perl-e.pmat" ), 'END: dump complete' );
   SKIP: {
      skip 'Devel::MAT (/usr/bin/pmat) is not installed', 2 unless have_pmat();
      my ( $pst, $pout, $perr ) = run_capture( '/usr/bin/pmat', '-q', "$dir/perl-e.pmat", 'summary' );
      is( $pst, 0, 'END: loads in Devel::MAT' );
      like( $pout, qr/^Heap contains \d+ objects$/m, 'END: Devel::MAT reads its heap' );
   }
}

# -dump_at_DIE: only fatal exceptions; the exception is rethrown
{
   my ( $st, $out, $err ) = run_opts( "-dump_at_DIE,-file,$dir/die.pmat",
      'eval { die "caught\n" }; print "after eval\n"; die "boom\n"' );
   my ( $plain ) = run_opts( "-file,$dir/none.pmat",
      'eval { die "caught\n" }; print "after eval\n"; die "boom\n"' );
   isnt( $st, 0, 'DIE: the program still dies' );
   is( $st, $plain, 'DIE: same exit status as without the hook ($! untouched by the dump)' );
   is( $out, "after eval\n", 'DIE: eval {} did not dump' );
   is( $err, "Dumping to $dir/die.pmat because of DIE\nboom\n", 'DIE: message then the exception' );
   ok( loadable( "$dir/die.pmat" ), 'DIE: dump complete' );
}

# -dump_at_WARN with NNN numbering
{
   my ( $st, $out, $err ) = run_opts( "-dump_at_WARN,-file,$dir/warnNNN.pmat",
      'warn "first\n"; warn "second\n"' );
   is( $st, 0, 'WARN: exit 0' );
   is( $err, "Dumping to $dir/warn000.pmat because of WARN\nfirst\n" .
             "Dumping to $dir/warn001.pmat because of WARN\nsecond\n", 'WARN: messages, warnings re-issued' );
   ok( loadable( "$dir/warn000.pmat" ) && loadable( "$dir/warn001.pmat" ), 'WARN: warn000 and warn001 written' );
}

# NNN is zero-padded, so a shell glob lists the dumps in the order written
{
   my $sub = "$dir/glob";
   mkdir $sub;
   my ( $st, $out, $err ) = run_opts( "-dump_at_WARN,-file,$sub/gNNN.pmat",
      'warn "w$_\n" for 1 .. 11' );
   is( $st, 0, 'NNN: exit 0' );
   my @files = map { s{.*/}{}r } glob "$sub/g*.pmat";
   is_deeply( \@files, [ map { sprintf "g%03d.pmat", $_ } 0 .. 10 ], 'NNN: 000 to 010, glob order = dump order' );
}

# -dump_at_SIGQUIT: twice, the program carries on
{
   my ( $st, $out, $err ) = run_opts( "-dump_at_SIGQUIT,-file,$dir/quitNNN.pmat",
      'kill QUIT => $$; my $x = 1; kill QUIT => $$; $x++; print "alive\n"' );
   is( $st, 0, 'SIGQUIT: exit 0' );
   is( $out, "alive\n", 'SIGQUIT: program continued' );
   is( $err, "Dumping to $dir/quit000.pmat because of SIGQUIT\n" .
             "Dumping to $dir/quit001.pmat because of SIGQUIT\n", 'SIGQUIT: two dumps' );
   ok( loadable( "$dir/quit000.pmat" ) && loadable( "$dir/quit001.pmat" ), 'SIGQUIT: both complete' );
}

# -dump_at_SIGINT: dump, then die of the signal
{
   my ( $st, $out, $err ) = run_opts( "-dump_at_SIGINT,-file,$dir/int.pmat",
      'kill INT => $$; sleep 10; print "not reached\n"' );
   is( $st & 127, POSIX::SIGINT(), 'SIGINT: re-raised, process died of SIGINT' );
   is( $out, '', 'SIGINT: nothing after the signal' );
   is( $err, "Dumping to $dir/int.pmat because of SIGINT\n", 'SIGINT: message' );
   ok( loadable( "$dir/int.pmat" ), 'SIGINT: dump complete' );
}

# -dump_at_SIGABRT: unsafe handler, then die of SIGABRT
{
   my ( $st, $out, $err ) = run_opts( "-dump_at_SIGABRT,-file,$dir/abrt.pmat",
      'use POSIX (); POSIX::abort(); print "not reached\n"' );
   is( $st & 127, POSIX::SIGABRT(), 'SIGABRT: re-raised, died of SIGABRT' );
   is( $err, "Dumping to $dir/abrt.pmat because of SIGABRT\n", 'SIGABRT: message' );
   ok( loadable( "$dir/abrt.pmat" ), 'SIGABRT: dump complete' );
}

# -max_string
{
   my ( $st ) = run_opts( "-dump_at_END,-max_string,4,-file,$dir/max4.pmat",
      'our $s = "abcdefghijkl"' );
   is( $st, 0, 'max_string: ran' );
   require PMATFile;
   my $f = PMATFile->new( "$dir/max4.pmat" );
   my ( $long, $ok ) = ( 0, 1 );
   for my $r ( values %{ $f->{sv} } ) {
      next unless $r->{type} == 2 and defined $r->{strs}[0];
      my $pvlen = unpack 'x17 Q<', $r->{hdr};
      $ok = 0 if length $r->{strs}[0] > 4;
      $long++ if $pvlen > 4 and length $r->{strs}[0] == 4;
   }
   ok( $ok, 'max_string 4: no PV longer than 4 bytes stored' );
   ok( $long, 'max_string 4: PVLEN still records the full length' );
}

# -eager_open, then chdir and run out of file descriptors
{
   my ( $st, $out, $err ) = run_opts( "-eager_open,-dump_at_END,-file,$dir/eager.pmat",
      'chdir "/" or die; my @fh; while( open my $fh, "<", "/dev/null" ) { push @fh, $fh } print "fds exhausted after ", scalar @fh, "\n"',
      sh => 'ulimit -n 16' );
   is( $st, 0, 'eager_open: exit 0' );
   like( $out, qr/^fds exhausted after \d+$/, 'eager_open: program used up every descriptor' );
   is( $err, '', 'eager_open: the END dump prints no message' );
   ok( loadable( "$dir/eager.pmat" ), 'eager_open: dump complete in the original directory' );
   ok( !glob( "$dir/eager.pmat.tmp.*" ), 'eager_open: no temporary file left' );
}

# -compress and -fork
SKIP: {
   my ( $st, $out, $err ) = run_opts( "-dump_at_END,-compress=zstd,-format,$MAT_FORMAT,-file,$dir/z.pmat", '1' );
   is( $err, "Dumping to $dir/z.pmat.zst because of END\n", 'compress=zstd: name gains .zst' );
   ok( loadable( "$dir/z.pmat.zst" ), 'compress=zstd: stream complete' );
   ( $st, $out, $err ) = run_opts( "-dump_at_END,-compress=gzip,-file,$dir/g.pmat", '1' );
   is( $err, "Dumping to $dir/g.pmat.gz because of END\n", 'compress=gzip: name gains .gz' );
   ok( loadable( "$dir/g.pmat.gz" ), 'compress=gzip: stream complete' );
   skip 'zstd or pmat missing', 1 unless -x '/usr/bin/zstd' and have_pmat();
   system( 'zstd', '-q', '-d', "$dir/z.pmat.zst", '-o', "$dir/z.pmat" );
   my ( $pst, $pout, $perr ) = run_capture( '/usr/bin/pmat', '-q', "$dir/z.pmat", 'summary' );
   ok( $pst == 0 && $perr eq '', 'compress=zstd: decompressed file loads in Devel::MAT' );
}
{
   my ( $st, $out, $err ) = run_opts( "-dump_at_END,-fork,-file,$dir/forked.pmat", 'print "done\n"' );
   is( $st, 0, '-fork: exit 0' );
   is( $err, "Dumping to $dir/forked.pmat because of END\n", '-fork: message' );
   my $t = time; select undef, undef, undef, 0.05 until -e "$dir/forked.pmat" or time - $t > 60;
   ok( loadable( "$dir/forked.pmat" ), '-fork: the forked writer completed the dump' );
}

# errors
{
   my ( $st, $out, $err ) = run_opts( '-bogus', '1' );
   isnt( $st, 0, 'unknown option fails' );
   like( $err, qr/^Unrecognised Devel::PMAT import symbol -bogus\n/, 'unknown option message' );
   ( $st, $out, $err ) = run_opts( '-dump_at_SIGFOO', '1' );
   like( $err, qr/^Unrecognised signal name SIGFOO\n/, 'unknown signal message' );
}

done_testing;
