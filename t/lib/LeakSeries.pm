package LeakSeries;

# The dump series of examples/leaky.pl (one dump per loop iteration of a leaking service)
# for the helper-program tests (t/leaktools-*.t): made once into t/tmp/leaky-N/ (or
# t/tmp/pmat-dumper/leaky-N/ with PMAT_TEST_DUMPER=pmat, dumping with Devel::PMAT),
# regenerated when the example changes, locked like PMATTest's own dumps so parallel tests
# share one copy.

use strict;
use warnings;

use Exporter qw( import );
use File::Path qw( make_path remove_tree );
use PMATTest;

our @EXPORT = qw( example_series );

sub example_series
{
   my ( %opt ) = @_;
   my $n = $opt{iterations} // 6;
   my $root = repo_root();
   my $prog = "$root/examples/leaky.pl";
   my $dumper = $opt{dumper} // $ENV{PMAT_TEST_DUMPER} // "mat";
   my $sub = $dumper eq "pmat" ? "pmat-dumper/" : "";
   my $dir = "$PMATTest::TMP/${sub}leaky-$n";
   my $mtime = sub { ( stat $_[0] )[9] // 0 };
   my @files = map { sprintf "%s/leaky-%02d.pmat", $dir, $_ } 1 .. $n;
   my $fresh = sub { -e "$dir/.complete" and $mtime->( "$dir/.complete" ) >= $mtime->( $prog ) };
   return @files if $fresh->();

   my $lock = PMATTest::_lock( "${sub}leaky-$n" =~ s{/}{-}gr );
   return @files if $fresh->();
   my $tmp = "$dir.tmp.$$";
   remove_tree( $tmp );
   make_path( $tmp );
   my $res = run_cmd( [ $^X, $prog, "--iterations", $n, "--out", $tmp ], cwd => $root,
      env => { PMAT_DUMPER => $dumper } );
   die "examples/leaky.pl failed (exit $res->{exit}):\n$res->{out}$res->{err}"
      if $res->{exit} or $res->{signal};
   open my $fh, ">", "$tmp/.complete" or die; close $fh;
   remove_tree( $dir );
   rename $tmp, $dir or die "Cannot rename $tmp to $dir - $!";
   return @files;
}

1;
