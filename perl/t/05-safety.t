#!/usr/bin/perl
# Never a partial or exposed dump: write errors leave no file, the file is
# private, planted symlinks are not followed. Plus dumpfh to a pipe,
# compression, extra roots, the census functions and throughput.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use File::Temp qw( tempdir );
use Time::HiRes qw( time );
use PMATTestUtil;
use PMATFile;
use Devel::PMAT;

my $dir = tempdir( CLEANUP => 1 );

sub no_leftovers { my ( $d ) = @_; return !glob( "$d/*.tmp.*" ) }

# RLIMIT_FSIZE: EFBIG instead of SIGXFSZ killing the process
{
   my ( $st, $out, $err ) = run_capture( 'sh', '-c', 'ulimit -f 64; exec "$@"', 'sh',
      perl_cmd( '-MDevel::PMAT', '-e',
         'eval { Devel::PMAT::dump( $ARGV[0] ) }; print $@; print "still alive\n"', "$dir/fsize.pmat" ) );
   is( $st, 0, 'file size limit: the process survives' );
   like( $out, qr/^Cannot write \Q$dir\E\/fsize\.pmat - File too large\nstill alive\n\z/,
      'file size limit: croaks with the errno text' );
   ok( !-e "$dir/fsize.pmat", 'file size limit: no dump file' );
   ok( no_leftovers( $dir ), 'file size limit: temporary file removed' );
}

# ... and in hook-triggered dumps, which report it and carry on: END, and
# the -eager_open END dump (its file is only renamed into place if complete)
for my $eager ( '', ',-eager_open' ) {
   my ( $st, $out, $err ) = run_capture( 'sh', '-c', 'ulimit -f 64; exec "$@"', 'sh',
      perl_cmd( "-MDevel::PMAT=-dump_at_END$eager,-file,$dir/endfsize.pmat", '-e', 'print "done\n"' ) );
   my $announce = $eager ? '' : "Dumping to $dir/endfsize.pmat because of END\n";
   is( $st, 0, "file size limit, -dump_at_END$eager: exit 0" );
   is( $out, "done\n", "file size limit, -dump_at_END$eager: program output" );
   is( $err, "${announce}Cannot write $dir/endfsize.pmat - File too large\n",
      "file size limit, -dump_at_END$eager: the error on STDERR" );
   ok( !-e "$dir/endfsize.pmat" && no_leftovers( $dir ), "file size limit, -dump_at_END$eager: no file left" );
}

# ENOSPC on a tiny tmpfs, if we may mount one
SKIP: {
   my $mnt = "$dir/tiny";
   mkdir $mnt;
   skip 'cannot mount a tmpfs here', 3
      unless $> == 0 and system( "mount -t tmpfs -o size=256k pmat-test $mnt 2>/dev/null" ) == 0;
   my $ok = eval { Devel::PMAT::dump( "$mnt/full.pmat" ); 1 };
   my $e = $@;
   ok( !$ok, 'ENOSPC: dump fails' );
   like( $e, qr/^Cannot write \Q$mnt\E\/full\.pmat - No space left on device/, 'ENOSPC: errno text' );
   opendir( my $dh, $mnt ); my @left = grep { !/^\.\.?$/ } readdir $dh; closedir $dh;
   is( "@left", '', 'ENOSPC: nothing left on the full filesystem' );
   system( 'umount', $mnt );
}

# file mode, whatever the umask
{
   my $old = umask 0;
   Devel::PMAT::dump( "$dir/mode.pmat" );
   umask $old;
   is( ( stat "$dir/mode.pmat" )[2] & 07777, 0600, 'mode 0600 even with umask 0' );
}

# a symlink planted at the target is replaced, not followed
{
   my $victim = "$dir/victim.txt";
   open my $fh, '>', $victim or die; print $fh "precious\n"; close $fh;
   symlink $victim, "$dir/link.pmat" or die;
   Devel::PMAT::dump( "$dir/link.pmat" );
   open $fh, '<', $victim or die;
   is( scalar <$fh>, "precious\n", 'symlink at target: the linked file is untouched' );
   ok( !-l "$dir/link.pmat" && -f _, 'symlink at target: replaced by the dump' );
   ok( eval { Devel::PMAT::_check_file( "$dir/link.pmat" ) }, 'symlink at target: dump complete' );

   # ... and one planted at the temporary name makes the dump fail
   symlink $victim, "$dir/tmp.pmat.tmp.$$" or die;
   ok( !eval { Devel::PMAT::dump( "$dir/tmp.pmat" ); 1 }, 'symlink at temp name: dump refused' );
   like( $@, qr/^Cannot open \Q$dir\E\/tmp\.pmat for writing - File exists/, '... with O_EXCL\'s error' );
   open $fh, '<', $victim or die;
   is( scalar <$fh>, "precious\n", '... and the linked file is untouched' );
   unlink "$dir/tmp.pmat.tmp.$$";
}

# unwritable directory
ok( !eval { Devel::PMAT::dump( "$dir/no/such/dir/x.pmat" ); 1 }, 'missing directory: fails' );
like( $@, qr/^Cannot open .* for writing - No such file or directory/, '... with the errno text' );

# dumpfh to a pipe; $! is left alone
{
   open my $fh, '|-', "cat > $dir/pipe.pmat" or die;
   $! = 0;
   Devel::PMAT::dumpfh( $fh );
   is( 0 + $!, 0, 'dumpfh leaves $! alone' );
   close $fh;
   my $r = eval { Devel::PMAT::_check_file( "$dir/pipe.pmat" ) };
   ok( $r && $r->{svs} > 1000, 'dumpfh through a pipe: complete' ) or diag $@;
}

# compression through dump()
for my $c (qw( zstd gzip )) {
   my $name = Devel::PMAT::dump( "$dir/c.pmat", compress => $c );
   is( $name, "$dir/c.pmat" . ( $c eq 'zstd' ? '.zst' : '.gz' ), "compress => $c: returns the name" );
   my $r = eval { Devel::PMAT::_check_file( $name ) };
   ok( $r && $r->{svs} > 1000, "compress => $c: stream complete" ) or diag $@;
   ok( ( -s $name ) < ( -s "$dir/mode.pmat" ) / 3, "compress => $c: much smaller" );
}
ok( !eval { Devel::PMAT::dump( "$dir/x.pmat", compress => 'lz4' ); 1 }, 'unknown compression refused' );

# extra roots (DMD_ADD_ROOT's array, and ours)
{
   our $rootsv = "a rooted string";
   local @Devel::PMAT::MORE_ROOTS = ( "+the test root", \$rootsv );
   # DMD_ADD_ROOT pushes the SV itself: here, the array's own element
   local @Devel::MAT::Dumper::MORE_ROOTS = ( "-a weak test root", "element" );
   Devel::PMAT::dump( "$dir/roots.pmat" );
   my $f = PMATFile->new( "$dir/roots.pmat" );
   my %roots = map { $_->[0] => $_->[1] } @{ $f->{roots} };
   is( $roots{"+the test root"}, 0 + \$rootsv, 'MORE_ROOTS: our extra root' );
   is( $roots{"-a weak test root"}, 0 + \$Devel::MAT::Dumper::MORE_ROOTS[1],
      'MORE_ROOTS: Devel::MAT::Dumper\'s extra root (the SV itself)' );
   is( $f->{roots}[0][0], 'main_cv', 'fixed roots first' );
}

# census
{
   package Census::Thing; sub new { bless {}, shift }
   package main;
   my $before = Devel::PMAT::count_svs();
   my @things = map { Census::Thing->new } 1 .. 500;
   my @arrays = map { [] } 1 .. 300;
   my $after = Devel::PMAT::count_svs();
   my @unknown = grep { !/^(SCALAR|BOOL|REF|ARRAY|PAD|HASH|STASH|CODE|GLOB|IO|LVALUE|REGEXP|FORMAT|INVLIST)$/ } keys %$after;
   is( "@unknown", '', 'count_svs: Devel::MAT kind names only' );
   cmp_ok( $after->{HASH} - $before->{HASH}, '>=', 500, 'count_svs sees the new hashes' );
   cmp_ok( $after->{ARRAY} - $before->{ARRAY}, '>=', 300, 'count_svs sees the new arrays' );
   cmp_ok( $after->{REF} - $before->{REF}, '>=', 800, 'count_svs sees the new refs' );
   ok( $after->{PAD} && $after->{CODE} && $after->{GLOB} && $after->{STASH}, 'count_svs: pads, code, globs, stashes' );
   my $by = Devel::PMAT::count_svs_by_class();
   is( $by->{'Census::Thing'}, 500, 'count_svs_by_class counts blessed SVs per package' );
   ok( $by->{'IO::File'}, 'count_svs_by_class: the standard handles are IO::File' );
}

# throughput against Devel::MAT::Dumper, same heap, same process
SKIP: {
   skip 'Devel::MAT::Dumper not installed', 1 unless eval { require Devel::MAT::Dumper; 1 };
   skip 'PMAT_PERL_T_QUICK: throughput is measured on the host perl', 1 if $QUICK;
   my @heap = map { [ $_, "value $_", { k => $_ } ] } 1 .. 100_000;
   my %best;
   for my $rep ( 1 .. 3 ) {
      for my $which (qw( dmd pmat )) {
         my $f = "$dir/tp-$which.pmat";
         unlink $f;
         my $t = time;
         $which eq 'dmd' ? Devel::MAT::Dumper::dump( $f ) : Devel::PMAT::dump( $f );
         my $dt = time - $t;
         $best{$which} = $dt if !defined $best{$which} or $dt < $best{$which};
      }
   }
   my $mb = ( -s "$dir/tp-pmat.pmat" ) / 1e6;
   diag sprintf 'throughput on %.0f MB: Devel::MAT::Dumper %.0f MB/s, Devel::PMAT %.0f MB/s (%.1fx)',
      $mb, $mb / $best{dmd}, $mb / $best{pmat}, $best{dmd} / $best{pmat};
   cmp_ok( $best{dmd} / $best{pmat}, '>=', 1.5, 'Devel::PMAT writes clearly faster' );

   # the census on the same heap, in CPU time so that load does not decide
   my $cpu = sub { my @t = times; $t[0] + $t[1] };
   my $t = $cpu->();
   Devel::PMAT::count_svs() for 1 .. 30;
   my $per = ( $cpu->() - $t ) / 30;
   $t = $cpu->();
   Devel::PMAT::dump( "$dir/census.pmat" ) for 1 .. 5;
   my $dump = ( $cpu->() - $t ) / 5;
   diag sprintf 'count_svs: %.1f ms CPU per call; a dump of the same heap: %.1f ms', 1000 * $per, 1000 * $dump;
   cmp_ok( $per, '<=', $dump / 3, 'count_svs costs a fraction of a dump' );
}

done_testing;
