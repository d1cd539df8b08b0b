package LeakSeries;

# The dump series of examples/leak-series.pl for the helper-program tests
# (t/leaktools-*.t): made once into t/tmp/leak-series/ (or t/tmp/pmat-dumper/leak-series/
# with PMAT_TEST_DUMPER=pmat), regenerated when the example changes, locked like
# PMATTest's own dumps so parallel tests share one copy.

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
   my $prog = "$root/examples/leak-series.pl";
   my ( $sub, $inc ) = PMATTest::_dumper_setup( $opt{dumper} );
   my $dir = "$PMATTest::TMP/${sub}leak-series-$n";
   my $mtime = sub { ( stat $_[0] )[9] // 0 };
   my @files = map { sprintf "%s/leak-%02d.pmat", $dir, $_ } 1 .. $n;
   my $fresh = sub { -e "$dir/.complete" and $mtime->( "$dir/.complete" ) >= $mtime->( $prog ) };
   return @files if $fresh->();

   my $lock = PMATTest::_lock( "${sub}leak-series-$n" =~ s{/}{-}gr );
   return @files if $fresh->();
   my $tmp = "$dir.tmp.$$";
   remove_tree( $tmp );
   make_path( $tmp );
   my $res = run_cmd( [ $^X, @$inc, $prog, $n, "$tmp/leak" ], cwd => $root );
   die "examples/leak-series.pl failed (exit $res->{exit}):\n$res->{out}$res->{err}"
      if $res->{exit} or $res->{signal};
   open my $fh, ">", "$tmp/.complete" or die; close $fh;
   remove_tree( $dir );
   rename $tmp, $dir or die "Cannot rename $tmp to $dir - $!";
   return @files;
}

1;
