package PMATTest;

# The test harness shared by every command test: builds dumps from t/progs/*.pl, runs
# the oracle (the real Devel::MAT 0.51) and our programs on them, and compares.
# See the POD at the end.

use strict;
use warnings;

use Cwd qw( abs_path );
use Digest::SHA qw( sha1_hex );
use Exporter qw( import );
use Fcntl qw( :flock );
use File::Basename qw( basename dirname );
use File::Path qw( make_path remove_tree );
use File::Temp qw( tempfile );
use JSON::PP ();
use POSIX ();
use Storable qw( nstore retrieve );
use Test::Builder;

our @EXPORT = qw(
   dump_of dump_series all_progs
   run_oracle run_ours oracle_many
   same_as_oracle same_as_oracle_many
   run_oracle_prog run_ours_prog same_as_oracle_prog
   run_cmd ours_available need_ours need_oracle
   sv_list svs_of_kinds oracle_addr share_of
   repo_root
);

our $ROOT   = abs_path( dirname( __FILE__ ) . "/../.." );
our $TMP    = "$ROOT/t/tmp";
our $PROGS  = "$ROOT/t/progs";
our $DRIVER = "$ROOT/t/lib/oracle-driver.pl";
our $ORACLE_PMAT = $ENV{PMAT_ORACLE} // "/usr/bin/pmat";
our $ORACLE_BINDIR = dirname( $ORACLE_PMAT );
# Which perl's Devel::MAT is the oracle: "host" (/usr/bin/pmat, 0.51), or a Debian root of
# t/lib/PMATRoots.pm ("trixie": 0.53, "sid": 0.56), where the oracle driver runs with
# chroot.  Set it with `local $PMATTest::SUITE = "sid"` around the comparisons.
our $SUITE = $ENV{PMAT_ORACLE_SUITE} // "host";

# Devel::MAT's output follows the analyser's Perl hash order in places (the order of
# `roots`, `find`, `largest` ties; and list-dangling-ptrs prints an extra "has no values
# SV" line only when a hash's first value in hash order dangles).  Every process the
# tests start -- the oracle driver, a direct /usr/bin/pmat, the dumped programs -- runs
# with one fixed hash seed, so two runs of the oracle print the same bytes.  A test that
# varies the seed on purpose passes its own (run_cmd's env wins).  Where pmat's order may
# differ from the oracle's, the tests still compare sorted (same_as_oracle's `sorted`).
$ENV{PERL_HASH_SEED}    = 0 unless defined $ENV{PERL_HASH_SEED};
$ENV{PERL_PERTURB_KEYS} = 0 unless defined $ENV{PERL_PERTURB_KEYS};

# Statistics, for tests of the harness itself.
our %STATS = ( driver_runs => 0, oracle_computed => 0, oracle_cached => 0, ours_runs => 0 );

my $TB = Test::Builder->new;

sub repo_root { $ROOT }

sub _pmat_bin { $ENV{PMAT_BIN} // "$ROOT/bin/pmat" }

sub _our_prog
{
   my ( $name ) = @_;
   return _pmat_bin() if $name eq "pmat";
   return dirname( _pmat_bin() ) . "/$name";
}

sub ours_available
{
   my ( $name ) = @_;
   return -x _our_prog( $name // "pmat" );
}

# The oracle (Devel::MAT's pmat, or one of its helper programs) must be installed.
# Without it a test file skips -- except under CI, where a missing oracle fails the file:
# a CI run that compared nothing must not pass.
sub need_oracle
{
   my ( $name ) = @_;
   my $prog = $name ? "$ORACLE_BINDIR/$name" : $ORACLE_PMAT;
   return if -x $prog;
   if( $ENV{CI} ) {
      $TB->plan( tests => 1 );
      $TB->ok( 0, "the oracle $prog is installed (CI: required)" );
      exit 1;
   }
   $TB->plan( skip_all => "the oracle $prog is not installed" );
   exit 0;
}

sub need_ours
{
   my ( $name ) = @_;
   $name //= "pmat";
   return if ours_available( $name );
   $TB->plan( skip_all => "$name is not built yet (" . _our_prog( $name ) . ")" );
   exit 0;
}

# ---------------------------------------------------------------------------------------
# Running programs
# ---------------------------------------------------------------------------------------

sub _slurp
{
   my ( $path ) = @_;
   open my $fh, "<:raw", $path or return "";
   local $/;
   return scalar <$fh> // "";
}

sub run_cmd
{
   my ( $cmd, %opt ) = @_;
   my $timeout = $opt{timeout} // $ENV{PMAT_TEST_TIMEOUT} // 600;

   make_path( $TMP );
   my ( $ofh, $ofile ) = tempfile( "run-XXXXXX", DIR => $TMP, SUFFIX => ".out", UNLINK => 0 );
   my ( $efh, $efile ) = tempfile( "run-XXXXXX", DIR => $TMP, SUFFIX => ".err", UNLINK => 0 );
   close $ofh; close $efh;
   my $ifile;
   if( defined $opt{stdin} ) {
      ( my $ifh, $ifile ) = tempfile( "run-XXXXXX", DIR => $TMP, SUFFIX => ".in", UNLINK => 0 );
      binmode $ifh; print $ifh $opt{stdin}; close $ifh;
   }

   my $pid = fork // die "Cannot fork - $!";
   if( !$pid ) {
      chdir $opt{cwd} if defined $opt{cwd};
      open STDIN,  "<", ( $ifile // "/dev/null" ) or POSIX::_exit( 120 );
      open STDOUT, ">", $ofile or POSIX::_exit( 121 );
      open STDERR, ">", $efile or POSIX::_exit( 122 );
      %ENV = ( %ENV, %{ $opt{env} } ) if $opt{env};
      exec { $cmd->[0] } @$cmd or POSIX::_exit( 127 );
   }

   my $timed_out;
   {
      local $SIG{ALRM} = sub { $timed_out = 1; kill KILL => $pid };
      alarm $timeout;
      waitpid $pid, 0;
      alarm 0;
   }
   my $status = $?;

   my %res = (
      out    => _slurp( $ofile ),
      err    => _slurp( $efile ),
      exit   => $status >> 8,
      signal => $status & 127,
      cmd    => [ @$cmd ],
   );
   $res{err} .= "\n[harness: killed after ${timeout}s]\n" if $timed_out;
   unlink grep { defined } $ofile, $efile, $ifile;
   return \%res;
}

sub run_ours
{
   my ( $dump, @argv ) = @_;
   $STATS{ours_runs}++;
   return run_cmd( [ _pmat_bin(), "-q", $dump, @argv ] );
}

sub run_ours_prog
{
   my ( $name, @args ) = @_;
   $STATS{ours_runs}++;
   return run_cmd( [ _our_prog( $name ), @args ] );
}

# ---------------------------------------------------------------------------------------
# Dumps
# ---------------------------------------------------------------------------------------

# Directives in a program's comments:  "# pmat-test: on-demand", "# pmat-test: series",
# "# pmat-test: perl-args ARGS..." (%OUT% is replaced by the output path).
sub _prog_meta
{
   my ( $prog ) = @_;
   my $file = "$PROGS/$prog.pl";
   open my $fh, "<", $file or die "No test program $file\n";
   my %meta = ( file => $file, perl_args => [] );
   local $_;   # callers may be iterating over read-only values in $_
   while( <$fh> ) {
      last if m/^\s*(?:use|package|my|our|sub)\b/;
      next unless m/^#\s*pmat-test:\s*(\S+)\s*(.*?)\s*$/;
      if( $1 eq "perl-args" )  { push @{ $meta{perl_args} }, split ' ', $2 }
      elsif( $1 eq "min-perl" ) { $meta{min_perl} = $2 }
      elsif( $1 eq "depends" ) { push @{ $meta{depends} }, split ' ', $2 }
      else                     { $meta{$1} = 1 }
   }
   # The newest mtime among the program and the files it depends on.
   my $newest = _mtime( $file );
   foreach my $dep ( @{ $meta{depends} // [] } ) {
      require File::Find;
      File::Find::find( { no_chdir => 1, wanted => sub {
         my $m = _mtime( $_ );
         $newest = $m if -f $_ and $m > $newest;
      } }, "$PROGS/$dep" ) if -e "$PROGS/$dep";
   }
   $meta{mtime} = $newest;
   return \%meta;
}

sub all_progs
{
   my ( %opt ) = @_;
   my @progs;
   foreach my $file ( sort glob "$PROGS/*.pl" ) {
      my $prog = basename( $file, ".pl" );
      my $meta = _prog_meta( $prog );
      next if $meta->{"on-demand"} and !$opt{on_demand};
      # "# pmat-test: min-perl 5.038": needs a newer perl than the one running the tests
      # (the roots' perls run it: t/perls-*.t)
      next if $meta->{min_perl} and $] < $meta->{min_perl} and !$opt{any_perl};
      next if $meta->{series} xor $opt{series};
      push @progs, $prog;
   }
   return @progs;
}

sub _dumper_setup
{
   my ( $dumper, $suite ) = @_;
   $dumper //= $ENV{PMAT_TEST_DUMPER} // "mat";
   return ( "", [] ) if $dumper eq "mat";
   if( $dumper eq "pmat" ) {
      # t/lib/pmat-shim/Devel/MAT/Dumper.pm forwards to Devel::PMAT (perl/blib), in format
      # 0.4 for the host's Devel::MAT 0.51.  In a root: Devel::PMAT built for that perl
      # (PMATRoots::build_dist), in its default format (0.6), which that root's Devel::MAT reads.
      if( ( $suite // "host" ) ne "host" ) {
         require PMATRoots;
         my $build = PMATRoots::build_dist( $suite );
         die "Devel::PMAT does not build in the $suite root:\n$build->{out}$build->{err}" if $build->{exit};
         return ( "pmat-dumper/", [ "-I$ROOT/t/lib/pmat-shim", "-I$build->{dir}/blib/lib",
                                     "-I$build->{dir}/blib/arch", "-MDevel::PMAT=-format=0.6" ] );
      }
      return ( "pmat-dumper/", [ "-I$ROOT/t/lib/pmat-shim", "-I$ROOT/perl/blib/lib",
                                  "-I$ROOT/perl/blib/arch" ] );
   }
   die "Unknown dumper '$dumper' (expected mat or pmat)\n";
}

sub _lock
{
   my ( $name ) = @_;
   make_path( "$TMP/locks" );
   open my $lock, ">", "$TMP/locks/$name.lock" or die "Cannot lock $name - $!";
   flock $lock, LOCK_EX or die "Cannot flock $name - $!";
   return $lock;
}

sub _mtime { ( stat $_[0] )[9] // 0 }

sub _generate
{
   my ( $prog, $meta, $out, $inc, $what, $suite ) = @_;
   my @args = map { ( my $a = $_ ) =~ s/%OUT%/$out/g; $a } @{ $meta->{perl_args} };
   my $cmd = [ $^X, @$inc, @args, $meta->{file}, $out ];
   if( ( $suite // "host" ) ne "host" ) {
      require PMATRoots;
      $cmd = PMATRoots::wrap( $suite, [ "perl", @$inc, @args, $meta->{file}, $out ], cwd => $ROOT );
   }
   my $res = run_cmd( $cmd, cwd => $ROOT, timeout => $ENV{PMAT_GEN_TIMEOUT} // 3600 );
   if( $res->{exit} or $res->{signal} ) {
      die "Generating $what from t/progs/$prog.pl failed (exit $res->{exit}, signal $res->{signal}):\n"
         . $res->{out} . $res->{err};
   }
   return $res;
}

sub dump_of
{
   my ( $prog, %opt ) = @_;
   my $meta = _prog_meta( $prog );
   die "t/progs/$prog.pl writes a series: use dump_series\n" if $meta->{series};
   # suite => "trixie"/"sid": written by that root's perl and Devel::MAT::Dumper
   my $suite = $opt{suite} // "host";
   my ( $sub, $inc ) = _dumper_setup( $opt{dumper}, $suite );
   $sub = "$suite/$sub" if $suite ne "host";
   my $path = "$TMP/$sub$prog.pmat";

   my $fresh = sub { -s $path and _mtime( $path ) >= $meta->{mtime} and !$opt{force} };
   return $path if $fresh->();

   my $lock = _lock( "$sub$prog" =~ s{/}{-}gr );
   return $path if $fresh->();   # someone else made it while we waited

   make_path( dirname( $path ) );
   my $tmp = "$path.tmp.$$";
   unlink $tmp;
   _generate( $prog, $meta, $tmp, $inc, "a dump", $suite );
   -s $tmp or die "t/progs/$prog.pl did not write $tmp\n";
   rename $tmp, $path or die "Cannot rename $tmp to $path - $!";
   $opt{force} = 0;
   _prune_cache( $path );
   return $path;
}

sub dump_series
{
   my ( $prog, %opt ) = @_;
   my $meta = _prog_meta( $prog );
   die "t/progs/$prog.pl is not a series program\n" unless $meta->{series};
   my ( $sub, $inc ) = _dumper_setup( $opt{dumper} );
   my $dir = "$TMP/$sub$prog";

   my $list = sub { sort { ( $a =~ m/(\d+)\.pmat$/ )[0] <=> ( $b =~ m/(\d+)\.pmat$/ )[0] }
                    glob "$dir/*.pmat" };
   my $fresh = sub {
      my @f = $list->();
      @f and _mtime( "$dir/.complete" ) >= $meta->{mtime} and !$opt{force};
   };
   return $list->() if $fresh->();

   my $lock = _lock( "$sub$prog" =~ s{/}{-}gr );
   return $list->() if $fresh->();

   my $tmpdir = "$dir.tmp.$$";
   remove_tree( $tmpdir );
   make_path( $tmpdir );
   _generate( $prog, $meta, "$tmpdir/%d.pmat", $inc, "a dump series" );
   open my $fh, ">", "$tmpdir/.complete" or die; close $fh;
   remove_tree( $dir );
   rename $tmpdir, $dir or die "Cannot rename $tmpdir to $dir - $!";
   $opt{force} = 0;
   return $list->();
}

# ---------------------------------------------------------------------------------------
# The oracle
# ---------------------------------------------------------------------------------------

my %ORACLE_SIG;
sub _oracle_sig
{
   # (only the files' part is computed once: the environment may change between calls)
   my $files = $ORACLE_SIG{$SUITE} //= do {
      my @files;
      if( $SUITE eq "host" ) {
         my ( $mat ) = grep { -f } map { "$_/Devel/MAT.pm" } @INC;
         @files = ( $mat, $ORACLE_PMAT );
      }
      else {
         require PMATRoots;
         my $dir = PMATRoots::dir_of( $SUITE );
         @files = ( glob( "$dir/usr/lib/*/perl5/*/Devel/MAT.pm" ), "$dir/usr/bin/pmat" );
      }
      join ":", $SUITE, map { my @s = stat( $_ // "" ); ( $s[9] // 0 ) . "/" . ( $s[7] // 0 ) }
         $DRIVER, @files, "$ROOT/t/lib/PMATFixes.pm";
   };
   return $files . ( $ENV{PMAT_ORACLE_RAW} ? ":raw" : "" ) . ( $ENV{PMAT_ORACLE_SORTED_HEAP} ? ":sorted" : "" )
      . ( defined $ENV{PMAT_ORACLE_FIXES} ? ":fixes=$ENV{PMAT_ORACLE_FIXES}" : "" )
      . ":seed=$ENV{PERL_HASH_SEED}/$ENV{PERL_PERTURB_KEYS}";
}

# The command that runs the oracle driver (t/lib/oracle-driver.pl) with @args, in the
# current $SUITE: the host's perl, or the root's perl under chroot (the checkout is
# bind-mounted at the same path, so every path stays valid).
sub _driver_cmd
{
   my ( @args ) = @_;
   return [ $^X, $DRIVER, @args ] if $SUITE eq "host";
   require PMATRoots;
   my %env = map { defined $ENV{$_} ? ( $_ => $ENV{$_} ) : () }
      qw( PMAT_ORACLE_RAW PMAT_ORACLE_TIMEOUT PMAT_ORACLE_LOG PMAT_ORACLE_SORTED_HEAP PMAT_ORACLE_FIXES
          PERL_HASH_SEED PERL_PERTURB_KEYS );
   return PMATRoots::wrap( $SUITE, [ "perl", $DRIVER, @args ], env => \%env );
}

sub _cache_dir
{
   my ( $dump ) = @_;
   my $name = basename( $dump ) =~ s/[^A-Za-z0-9_.-]/_/gr;
   my $pname = basename( dirname( $dump ) ) =~ s/[^A-Za-z0-9_.-]/_/gr;
   my $dir = "$TMP/oracle/" . ( $SUITE eq "host" ? "" : "$SUITE/" ) . "$pname--$name";
   make_path( $dir );
   return $dir;
}

sub _dump_id
{
   my ( $dump ) = @_;
   my @s = stat $dump;
   return join "\0", $dump, ( abs_path( $dump ) // $dump ), $s[9] // 0, $s[7] // 0, $s[1] // 0;
}

sub _cache_file
{
   my ( $dump, $argv ) = @_;
   my $key = sha1_hex( join "\0", _oracle_sig(), _dump_id( $dump ), scalar( @$argv ), @$argv );
   return _cache_dir( $dump ) . "/$key.sto";
}

# Oracle results computed before the dump was (re)written can never be used again.
sub _prune_cache
{
   my ( $dump ) = @_;
   my $mtime = _mtime( $dump );
   my $dir = _cache_dir( $dump );
   opendir my $dh, $dir or return;
   foreach my $f ( readdir $dh ) {
      next unless $f =~ m/\.(?:sto|txt)$/;
      unlink "$dir/$f" if _mtime( "$dir/$f" ) < $mtime;
   }
}

sub oracle_many
{
   my ( $dump, $cmds, %opt ) = @_;
   my @files = map { _cache_file( $dump, $_ ) } @$cmds;

   my %todo;
   for my $i ( 0 .. $#$cmds ) {
      next if -f $files[$i];
      $todo{ $files[$i] } //= $cmds->[$i];
   }

   if( %todo ) {
      my ( $fh, $reqfile ) = tempfile( "oracle-req-XXXXXX", DIR => $TMP, UNLINK => 0 );
      my $json = JSON::PP->new->canonical;
      print $fh "$_\t" . $json->encode( $todo{$_} ) . "\n" for sort keys %todo;
      close $fh;
      my $jobs = $ENV{PMAT_ORACLE_JOBS} // 1;
      my $res = run_cmd( _driver_cmd( "--jobs", $jobs, $dump, $reqfile ),
         timeout => $ENV{PMAT_ORACLE_BATCH_TIMEOUT} // 7200 );
      unlink $reqfile;
      $STATS{driver_runs}++;
      $STATS{oracle_computed} += keys %todo;
      my @missing = grep { !-f } keys %todo;
      die "oracle-driver failed on $dump (exit $res->{exit}): $res->{err}$res->{out}\n"
         if @missing or $res->{exit} or $res->{signal};
   }
   $STATS{oracle_cached} += @$cmds - keys %todo;

   my @res = map { my $r = eval { retrieve( $_ ) }; $r } @files;
   if( grep { !defined } @res and !$opt{retried} ) {
      # A result vanished (pruned by a concurrent regeneration of the dump): once more.
      unlink grep { -f and !eval { retrieve( $_ ); 1 } } @files;
      return oracle_many( $dump, $cmds, retried => 1 );
   }
   grep { !defined } @res and die "oracle_many: no result for some commands on $dump\n";
   return map { _undouble( $_ ) } @res;
}

# Devel::MAT 0.51 prints a dump's raw name bytes through a UTF-8 layer, so a name that
# already is UTF-8 (a `use utf8` program's $☺) comes out encoded twice; pmat prints it
# once (docs/compat.md "names").  Undo the second encoding in the oracle's stdout, in names
# only: outside the double-quoted PV previews ("..." with backslash escapes; a PV's bytes
# are data, not a name), a run of Latin-1-as-UTF-8 pairs whose decoded bytes are
# themselves well-formed multi-byte UTF-8 becomes those bytes.  Helper programs that
# print raw PV bytes (pmat-cat-svpv) are left alone.  Off with PMAT_ORACLE_RAW=1.
sub undouble_utf8
{
   my ( $bytes ) = @_;
   return $bytes if $ENV{PMAT_ORACLE_RAW} or $bytes !~ m/[\xC2\xC3][\x80-\xBF]/;
   my @pieces = split m/("(?:[^"\\\n]|\\.)*")/, $bytes, -1;
   for my $i ( grep { !( $_ % 2 ) } 0 .. $#pieces ) {
      $pieces[$i] =~ s{((?:[\xC2\xC3][\x80-\xBF])+)}{
         my $run = $1;
         ( my $once = $run ) =~ s/([\xC2\xC3])([\x80-\xBF])/chr( ( ( ord( $1 ) & 0x1F ) << 6 ) | ( ord( $2 ) & 0x3F ) )/ge;
         my $chars = $once;
         utf8::decode( $chars ) && length( $chars ) < length( $once ) ? $once : $run;
      }ge;
   }
   return join "", @pieces;
}

# pmat's own additions to Devel::MAT's commands (docs/compat.md "extensions"): options
# such as --retained that 0.51 lacks.  For `help CMD` comparisons: drop their lines from
# a help page and re-pad the option table, so the pages can be compared.
my @EXTENSION_OPTS = qw( retained all fold package );
sub without_extensions
{
   my ( $text ) = @_;
   my $ext = join "|", @EXTENSION_OPTS;
   my @lines = grep { !m/^  --(?:$ext)\b/ } split m/\n/, $text, -1;
   # options table rows: "  --NAME[, -X][ INT|STR]" padded to one width, then the help
   my @opt = grep { m/^  --/ } @lines;
   if( @opt ) {
      my @keys = map { m/^  (--[^\s,]+(?:, -\S)?(?: INT| STR)?)/ ? $1 : "" } @opt;
      my $w = 0; $w < length and $w = length for @keys;
      @lines = map { m/^  (--[^\s,]+(?:, -\S)?(?: INT| STR)?)\s{4,}(.*)$/ ? sprintf( "  %-*s    %s", $w, $1, $2 ) : $_ } @lines;
   }
   return join "\n", @lines;
}

sub _undouble
{
   my ( $res ) = @_;
   $res->{out} = undouble_utf8( $res->{out} ) if defined $res->{out};
   return $res;
}

sub run_oracle
{
   my ( $dump, @argv ) = @_;
   my ( $res ) = oracle_many( $dump, [ \@argv ] );
   return $res;
}

# Helper programs (pmat-leakreport, pmat-diff, ...): run the real one, cached by its
# arguments and the stat of every argument that names a file.
sub run_oracle_prog
{
   my ( $name, @args ) = @_;
   my $key = sha1_hex( join "\0", _oracle_sig(), $name,
      map { ( $_, -e $_ ? _dump_id( $_ ) : "" ) } @args );
   my $dir = "$TMP/oracle/progs";
   make_path( $dir );
   my $file = "$dir/$name-$key.sto";
   if( -f $file ) {
      $STATS{oracle_cached}++;
      my $res = retrieve( $file );
      return $name =~ m/cat-svpv/ ? $res : _undouble( $res );
   }
   # with the documented corrections of 0.51's plain bugs (t/lib/PMATFixes.pm)
   my $res = run_cmd( [ $^X, "-I$ROOT/t/lib", "-MPMATFixes", "$ORACLE_BINDIR/$name", @args ],
      timeout => $ENV{PMAT_ORACLE_BATCH_TIMEOUT} // 7200 );
   $STATS{oracle_computed}++;
   delete $res->{cmd};
   nstore $res, "$file.tmp.$$";
   rename "$file.tmp.$$", $file or die "Cannot rename to $file - $!";
   return $name =~ m/cat-svpv/ ? $res : _undouble( $res );
}

# ---------------------------------------------------------------------------------------
# Comparison
# ---------------------------------------------------------------------------------------

sub _shell_words { join " ", map { m/^[A-Za-z0-9_.,:\/=+\@%-]+$/ ? $_ : "'" . s/'/'\\''/gr . "'" } @_ }

sub strip_perl_locations
{
   my ( $text ) = @_;
   $text =~ s{ at /\S+ line \d+(?:, <[^>]*> (?:line|chunk) \d+)?\.$}{}mg;
   return $text;
}

sub _sort_lines
{
   my ( $text ) = @_;
   return $text unless length $text;
   my $nl = $text =~ m/\n\z/;
   my @lines = sort split m/\n/, $text, -1;
   shift @lines if $nl and @lines and $lines[0] eq "";   # the empty piece after the final \n
   return join( "\n", @lines ) . ( $nl ? "\n" : "" );
}

sub _diff
{
   my ( $want, $got, $label ) = @_;
   my ( $wfh, $wfile ) = tempfile( "diff-XXXXXX", DIR => $TMP, UNLINK => 0 );
   my ( $gfh, $gfile ) = tempfile( "diff-XXXXXX", DIR => $TMP, UNLINK => 0 );
   binmode $_ for $wfh, $gfh;
   print $wfh $want; close $wfh;
   print $gfh $got;  close $gfh;
   my $res = run_cmd( [ "diff", "-u", "--label", "Devel::MAT $label", "--label", "pmat $label",
                        $wfile, $gfile ] );
   unlink $wfile, $gfile;
   my @lines = split m/\n/, $res->{out};
   my $max = $ENV{PMAT_DIFF_LINES} // 60;
   if( @lines > $max ) {
      my $more = @lines - $max;
      splice @lines, $max;
      push @lines, "... ($more more diff lines; set PMAT_DIFF_LINES to see more)";
   }
   return join "\n", @lines;
}

# Compare one oracle result with ours.  Returns the test result; emits diagnostics.
sub _compare
{
   my ( $want, $got, $name, %opt ) = @_;
   local $Test::Builder::Level = $Test::Builder::Level + 2;

   my $filter = $opt{filter} // sub { $_[0] };
   my $norm = sub {
      my ( $text ) = @_;
      $text = $filter->( $text );
      $text = _sort_lines( $text ) if $opt{sorted};
      return $text;
   };

   my ( $wout, $gout ) = map { $norm->( $_->{out} ) } $want, $got;
   my @problems;
   push @problems, "stdout differs:\n" . _diff( $wout, $gout, "stdout" ) if $wout ne $gout;

   if( $opt{stderr} ) {
      my ( $werr, $gerr ) = map { $norm->( strip_perl_locations( $_->{err} ) ) } $want, $got;
      push @problems, "stderr differs:\n" . _diff( $werr, $gerr, "stderr" ) if $werr ne $gerr;
   }
   if( $got->{signal} ) {
      push @problems, "pmat was killed by signal $got->{signal}";
   }
   if( $opt{exit} // 1 ) {
      my ( $wok, $gok ) = map { !$_->{exit} && !$_->{signal} } $want, $got;
      push @problems, sprintf "exit status differs: Devel::MAT %d, pmat %d",
            $want->{exit}, $got->{exit}
         if $wok xor $gok;
      # the helper programs' statuses that are not an accidental errno: 255 (a die with
      # no errno: Need dumpfile, Need addr, ...; docs/compat.md) and 1 (option errors)
      push @problems, sprintf "exit status differs: Devel::MAT %d, pmat %d (helper programs: exact)",
            $want->{exit}, $got->{exit}
         if $opt{prog} and !$wok and !$gok and ( $want->{exit} == 255 or $want->{exit} == 1 )
            and $want->{exit} != $got->{exit}
            # a load failure is ours to report: one line with the byte offset, exit 2
            # (docs/compat.md "Helper programs: errors")
            and !( $got->{exit} == 2 and $got->{err} =~ m/^\S+: .+ at byte \d+$/m );
   }

   my $ok = $TB->ok( !@problems, $name );
   if( @problems ) {
      $TB->diag( "  oracle: " . _shell_words( @{ $want->{cmd} // [] } ) ) if $want->{cmd};
      $TB->diag( "  ours:   " . _shell_words( @{ $got->{cmd} // [] } ) ) if $got->{cmd};
      $TB->diag( $_ ) for @problems;
      if( !$opt{stderr} and length $got->{err} and $got->{err} ne $want->{err} ) {
         $TB->diag( "pmat stderr:\n" . substr( $got->{err}, 0, 2000 ) );
      }
   }
   return $ok;
}

sub _test_name
{
   my ( $dump, $argv, %opt ) = @_;
   my $name = $opt{name} // ( ( $SUITE eq "host" ? "" : "[$SUITE] " ) . basename( $dump, ".pmat" )
      . ": pmat " . _shell_words( @$argv ) );
   $name .= " [sorted: $opt{sorted}]" if $opt{sorted};
   $name .= " [$opt{why}]" if $opt{why};
   return $name;
}

sub _check_opts
{
   my ( %opt ) = @_;
   die "same_as_oracle: sorted => needs the reason as its value, not '1'\n"
      if defined $opt{sorted} and $opt{sorted} =~ m/^\d*$/;
   for ( keys %opt ) {
      die "same_as_oracle: unknown option '$_'\n"
         unless m/^(?:sorted|stderr|filter|exit|name|why)$/;
   }
}

sub same_as_oracle
{
   my ( $dump, $argv, %opt ) = @_;
   local $Test::Builder::Level = $Test::Builder::Level + 1;
   return same_as_oracle_many( $dump, [ $argv ], %opt );
}

sub same_as_oracle_many
{
   my ( $dump, $cmds, %opt ) = @_;
   local $Test::Builder::Level = $Test::Builder::Level + 1;

   my @items = map {
      ref $_ eq "HASH" ? { %opt, %$_ } : { %opt, cmd => $_ }
   } @$cmds;
   for my $item ( @items ) {
      my %o = %$item; delete $o{cmd};
      _check_opts( %o );
   }

   my @want = oracle_many( $dump, [ map { $_->{cmd} } @items ] );
   my $all = 1;
   for my $i ( 0 .. $#items ) {
      my %o = %{ $items[$i] };
      my $argv = delete $o{cmd};
      $want[$i]{cmd} = [ ( $SUITE eq "host" ? $ORACLE_PMAT : "[$SUITE] pmat" ), "-q", $dump, @$argv ];
      my $name = _test_name( $dump, $argv, %o );
      if( !ours_available() ) {
         $TB->ok( 0, $name );
         $TB->diag( "  " . _pmat_bin() . " is not built (run make)" );
         $all = 0;
         next;
      }
      my $got = run_ours( $dump, @$argv );
      $all = 0 unless _compare( $want[$i], $got, $name, %o );
   }
   return $all;
}

sub same_as_oracle_prog
{
   my ( $name, $args, %opt ) = @_;
   local $Test::Builder::Level = $Test::Builder::Level + 1;
   _check_opts( %opt );
   my $want = run_oracle_prog( $name, @$args );
   $want->{cmd} = [ "$ORACLE_BINDIR/$name", @$args ];
   my $tname = $opt{name} // ( "$name " . _shell_words( map { m{/} ? basename( $_ ) : $_ } @$args ) );
   $tname .= " [sorted: $opt{sorted}]" if $opt{sorted};
   $tname .= " [$opt{why}]" if $opt{why};
   delete $opt{name};
   if( !ours_available( $name ) ) {
      $TB->ok( 0, $tname );
      $TB->diag( "  " . _our_prog( $name ) . " is not built (run make)" );
      return 0;
   }
   my $got = run_ours_prog( $name, @$args );
   return _compare( $want, $got, $tname, %opt, prog => 1 );
}

# ---------------------------------------------------------------------------------------
# Picking SVs
# ---------------------------------------------------------------------------------------

sub sv_list
{
   my ( $dump ) = @_;
   my $key = sha1_hex( join "\0", _oracle_sig(), _dump_id( $dump ), "svlist" );
   my $file = _cache_dir( $dump ) . "/svlist-$key.txt";
   if( !-f $file ) {
      my $res = run_cmd( _driver_cmd( "--svlist", $dump, $file ) );
      die "oracle-driver --svlist failed on $dump: $res->{err}\n" if $res->{exit} or !-f $file;
      $STATS{driver_runs}++;
   }
   open my $fh, "<:raw", $file or die "Cannot read $file - $!";
   my @svs;
   while( my $line = <$fh> ) {
      chomp $line;
      my @f = map { s/\\x([0-9a-f]{2})/chr hex $1/ger } split m/\t/, $line, -1;
      utf8::decode( $_ ) for @f;
      my %sv;
      @sv{qw( addr type desc blessed rootname symname refcnt size )} = @f;
      push @svs, \%sv;
   }
   return \@svs;
}

# svs_of_kinds takes every SV of a kind a dump has at most this many of.
our $RARE = 6;

sub svs_of_kinds
{
   my ( $dump, $n, %opt ) = @_;
   $n //= 3;
   # PMAT_TEST_SCALE (default 1; 0.34 under CI=true, to keep CI within its budget)
   # scales how many SVs per kind the sampling tests pick: every kind of every dump and
   # every named symbol are still covered, only the number of extra samples shrinks.
   my $scale = test_scale();
   $n = int( $n * $scale + 0.5 ) || 1 if $scale != 1;
   my %want = map { $_ => 1 } @{ $opt{kinds} // [] };
   my %by_kind;
   foreach my $sv ( @{ sv_list( $dump ) } ) {
      next if %want and !$want{ $sv->{type} };
      next if $opt{filter} and !$opt{filter}->( $sv );
      push @{ $by_kind{ $sv->{type} } }, $sv->{addr};
   }
   my @picked;
   foreach my $kind ( sort keys %by_kind ) {
      my $list = $by_kind{$kind};   # already sorted by address
      # a kind the dump has only a few of (LVALUE, FORMAT, C_STRUCT, ...) is taken
      # whole: its few SVs are each a different variant (substr/vec/pos lvalues, ...)
      my @idx = @$list <= ( $n > $RARE ? $n : $RARE ) ? ( 0 .. $#$list )
              : $n == 1      ? ( int( $#$list / 2 ) )
              :                ( map { int( $_ * $#$list / ( $n - 1 ) + 0.5 ) } 0 .. $n - 1 );
      my %seen;
      push @picked, map { $list->[$_] } grep { !$seen{$_}++ } @idx;
   }
   return @picked;
}

# The end of a program run on a pseudo-terminal whose last input ($last: quit, Ctrl-D)
# ends it.  Never waits for ever: a program still running 5 s on lost that key to the
# terminal (typed while the line editor switched modes; seen under load), so it is typed
# once more ($read->( undef, SECONDS ) reads what follows into the caller's buffer); 10 s
# after that the program is killed and the test fails ($name), showing $$bufref.
# Returns the wait status.
sub pty_finish
{
   my ( $pid, $pty, $last, $read, $bufref, $name ) = @_;
   my $status;
   my $exited = sub {
      my ( $secs ) = @_;
      for ( 1 .. $secs * 10 ) {
         return 1 if defined $status;
         if( waitpid( $pid, POSIX::WNOHANG() ) == $pid ) { $status = $?; return 1 }
         select undef, undef, undef, 0.1;
      }
      return 0;
   };
   if( !$exited->( 5 ) and defined $last ) {
      $TB->note( "pty: $name: still running after its last input; typed it again" );
      syswrite $pty, $last;
      $read->( undef, 5 );
   }
   if( !$exited->( 10 ) ) {
      kill KILL => $pid;
      waitpid $pid, 0;
      $status = $?;
      $TB->ok( 0, "pty: $name: ended by its last input" );
      $TB->diag( "the terminal showed:\n$$bufref" );
   }
   return $status;
}

# The test scale: PMAT_TEST_SCALE, default 1; 0.34 under CI=true (to keep CI within its
# budget: on 2 cores the whole suite must finish well inside an hour).
sub test_scale { $ENV{PMAT_TEST_SCALE} // ( $ENV{CI} ? 0.34 : 1 ) }

# share_of( $seed, @variants ): the variants of a command that one case runs.  At full
# scale, all of them.  Below it, the first (the default form) and every Kth of the others
# (K = 1/scale, rounded), starting at an offset that moves with $seed: consecutive cases
# (the SVs of a dump, the dumps of the corpus) take turns, so across the corpus every
# variant still runs on every kind of case, only not on every single one.
sub share_of
{
   my ( $seed, @variants ) = @_;
   my $scale = test_scale();
   return @variants if $scale >= 1 or @variants <= 1;
   my $k = int( 1 / $scale + 0.5 ) || 1;
   my ( $first, @rest ) = @variants;
   return ( $first, map { $rest[$_] } grep { ( $_ + $seed ) % $k == 0 } 0 .. $#rest );
}

sub oracle_addr
{
   my ( $dump, @argv ) = @_;
   my $res = run_oracle( $dump, @argv );
   my ( $addr ) = $res->{out} =~ m/\b(0x[0-9a-f]+)\b/;
   die "oracle_addr: no address in the output of 'pmat @argv' on $dump:\n$res->{out}$res->{err}"
      unless $addr;
   return $addr;
}

1;

__END__

=head1 NAME

PMATTest - the oracle test harness for pmat

=head1 SYNOPSIS

   use lib 't/lib';
   use Test::More;
   use PMATTest;

   my $dump = dump_of( "scalars" );             # t/tmp/scalars.pmat, made if stale

   same_as_oracle( $dump, [ "show", '$main::NEG' ] );
   same_as_oracle( $dump, [ "roots" ],
      sorted => "roots are kept in a Perl hash, listed in hash order" );
   same_as_oracle( $dump, [ "show", "sv_undef" ], stderr => 1 );

   same_as_oracle_many( $dump, [
      [ "elems", '@main::LIST' ],
      [ "values", '%main::KEYS' ],
      { cmd => [ "find", "pv", "x" ], sorted => "find scans the heap hash" },
   ] );

   for my $addr ( svs_of_kinds( $dump, 3 ) ) {
      same_as_oracle( $dump, [ "show", $addr ], ... );
   }

   done_testing;

=head1 DESCRIPTION

Every command test runs the same command line through the real Devel::MAT 0.51
(C</usr/bin/pmat -q DUMP ARGV...>, the I<oracle>) and through our C<bin/pmat>, and compares
the text.  This module makes the dumps, runs both sides, caches the oracle's answers and
reports differences as a unified diff.

All paths are absolute; the repository root is found from this file's location, so tests
may run from any directory, and under C<prove -j2> (dump generation is locked per program
and every file is written under a temporary name and renamed).

=head2 Environment

=over

=item PMAT_BIN

Our C<pmat> (default F<REPO/bin/pmat>); helper programs are looked up beside it.

=item PMAT_ORACLE

The real C<pmat> (default F</usr/bin/pmat>); helper programs are looked up beside it.

=item PMAT_TEST_DUMPER

C<mat> (default: Devel::MAT::Dumper) or C<pmat> (our Devel::PMAT from F<perl/blib>, through
the shim F<t/lib/pmat-shim/Devel/MAT/Dumper.pm>; dumps go to F<t/tmp/pmat-dumper/>).

=item PMAT_ORACLE_RAW

The oracle normally runs with the corrections of F<t/lib/PMATFixes.pm> loaded: the few
documented places (docs/compat.md) where Devel::MAT 0.51 is plainly wrong and pmat
deliberately differs are fixed inside the oracle itself, so tests need no filters for them.
Set PMAT_ORACLE_RAW=1 for the unmodified Devel::MAT, PMAT_ORACLE_FIXES="ivuv ..." for
only the named corrections (each cached separately).  The driver, the
helper-program oracle (C<perl -MPMATFixes /usr/bin/pmat-...>) and L</sv_list> all honour it.

=item PMAT_ORACLE_JOBS

How many oracle commands the driver runs at once (default 1; C<prove -j2> already uses both
cores).

=item PMAT_ORACLE_LOG

A file to which the oracle driver appends one line per command it runs: the child's CPU
seconds, the dump and the command line (to see what makes a test slow).

=item PMAT_DIFF_LINES

Maximum number of diff lines shown per mismatch (default 60).

=item PMAT_TEST_TIMEOUT, PMAT_ORACLE_TIMEOUT, PMAT_GEN_TIMEOUT

Seconds before one of our runs / one oracle command / one dump generation is killed
(600 / 900 / 3600).

=back

=head1 FUNCTIONS

All are exported by default.

=head2 dump_of

   $path = dump_of( $prog, %opt )

Returns the absolute path of F<t/tmp/$prog.pmat>, first (re)generating it by running
C<perl t/progs/$prog.pl PATH> (from the repository root) when it is missing or older than
the program.  Dies with the program's output if it fails.  Options: C<< force => 1 >>
regenerates unconditionally; C<< dumper => 'mat'|'pmat' >> overrides C<PMAT_TEST_DUMPER>.

A program may carry directives in its leading comment block:
C<# pmat-test: perl-args ARGS> (extra perl options; C<%OUT%> becomes the output path),
C<# pmat-test: depends PATH...> (files or directories under F<t/progs/> whose changes also
make the dump stale),
C<# pmat-test: on-demand> (not listed by L</all_progs>: a big dump that only the tests which
need it ask for), C<# pmat-test: series> (see L</dump_series>).

=head2 dump_series

   @paths = dump_series( $prog, %opt )

For a series program (one that writes several dumps of one process): runs
C<perl t/progs/$prog.pl DIR/%d.pmat> and returns F<t/tmp/$prog/1.pmat>, F<2.pmat>, ... in
order.  Same options and freshness rule as L</dump_of>.

=head2 all_progs

   @names = all_progs( %opt )

The test programs that write one dump, sorted, excluding on-demand ones unless
C<< on_demand => 1 >>; with C<< series => 1 >> the series programs instead.

=head2 run_oracle, oracle_many

   $res  = run_oracle( $dump, @argv )
   @res  = oracle_many( $dump, [ \@argv1, \@argv2, ... ] )

The result of C</usr/bin/pmat -q $dump @argv> as C<< { out, err, exit, signal } >>, where
C<out> and C<err> are raw bytes.  Computed by F<t/lib/oracle-driver.pl>, which loads the dump
once with Devel::MAT's own API and runs every missing command in a forked child that starts
from the state a fresh C<pmat -q> process has (see the driver's header for how it reproduces
batch mode, including the flushing of pending C<more> pages, uncaught errors and the exit
status).  Results are cached in F<t/tmp/oracle/DIR--NAME/> keyed by the dump path, its
mtime/size/inode, the command line and the driver's and Devel::MAT's own mtimes, so
reruns cost nothing.  Batch as many commands per call as you can: each call that misses the
cache costs one driver start (about 0.3 s for a 1 MB dump).

=head2 run_ours

   $res = run_ours( $dump, @argv )

Runs C<$PMAT_BIN -q $dump @argv> (one process per command) and returns
C<< { out, err, exit, signal, cmd } >>.

=head2 run_oracle_prog, run_ours_prog

   $res = run_oracle_prog( "pmat-leakreport", "-1", @files )
   $res = run_ours_prog( "pmat-leakreport", "-1", @files )

The same for the helper programs (C<pmat-leakreport>, C<pmat-diff>, C<pmat-counts>,
C<pmat-list-orphans>, C<pmat-cat-svpv>); the oracle side is cached by the arguments and
the stat of every argument that names an existing file.

=head2 run_cmd

   $res = run_cmd( \@command, stdin => $bytes, cwd => $dir, env => \%env, timeout => $s )

Runs any command with stdout and stderr captured separately.

=head2 same_as_oracle

   same_as_oracle( $dump, \@argv, %opt )

One Test::More assertion: our stdout equals Devel::MAT's, and (unless C<< exit => 0 >>) both
succeeded or both failed (exit status zero vs non-zero; the exact non-zero value is Perl's
errno at the time of the die and not meaningful).  Our program being killed by a signal
always fails.  On failure the command lines and a unified diff (C<diff -u>, at most
PMAT_DIFF_LINES lines) are shown with C<diag>, plus our stderr when it is not compared.
Options:

=over

=item sorted => REASON

Compare the lines sorted.  Only for output whose order in Devel::MAT follows Perl's hash
order (random per process: roots, find, list-dangling-ptrs, inrefs ties, ...).  The reason
is required and becomes part of the test name.

=item stderr => 1

Also compare stderr, after removing Perl's C< at /usr/.../Foo.pm line N.> suffixes (so
C<No such SV at address 4d2> and C<Need an SV address> compare equal to ours).

=item filter => sub { my ( $text ) = @_; ...; return $text }

Normalise both texts (stdout, and stderr when compared) before comparing.  For documented
deliberate differences only (docs/compat.md); say why with C<< why => "..." >>, which is
appended to the test name.

=item exit => 0

Do not compare success/failure.

=item name => STRING

Replace the default test name (C<DUMPNAME: pmat ARGV...>).

=back

=head2 same_as_oracle_many

   same_as_oracle_many( $dump, [ \@argv1, \@argv2, { cmd => \@argv3, %opt3 }, ... ], %opt )

One assertion per command, with the oracle side computed in a single driver run.  Elements
may be hashes carrying per-command options which override C<%opt>.  Returns true if all
passed.

=head2 same_as_oracle_prog

   same_as_oracle_prog( "pmat-diff", [ $dumpA, $dumpB ], %opt )

One assertion comparing a helper program's output with the real one; options as for
L</same_as_oracle>.  When the real one fails with status 255 (a C<die> without errno:
C<Need dumpfile>, C<Need addr>, ...) or 1 (option errors), ours must fail with the same
status.

=head2 sv_list

   $svs = sv_list( $dump )

Every heap SV as a hash C<< { addr, type, desc, blessed, rootname, symname, refcnt, size } >>
(C<addr> as C<0x...> lower-case hex; C<type> is Devel::MAT's kind: SCALAR, UNDEF, BOOL, REF,
ARRAY, PAD, HASH, STASH, CODE, GLOB, IO, LVALUE, REGEXP, FORMAT, INVLIST, ...), sorted by
address.  Computed once per dump with Devel::MAT and cached.

=head2 svs_of_kinds

   @addrs = svs_of_kinds( $dump, $n_per_kind, kinds => [ ... ], filter => sub { ... } )

Up to C<$n_per_kind> (default 3) addresses of each kind present in the dump (or of the
listed kinds), spread evenly over the address-sorted list (first, last, and between), in
kind-name then address order.  A kind the dump has at most 6 SVs of (C<$PMATTest::RARE>)
is taken whole, whatever C<$n_per_kind> and PMAT_TEST_SCALE say.  Deterministic for a given dump.  C<filter> gets each
L</sv_list> hash and returns true to keep it.

=head2 share_of

   for my $i ( 0 .. $#svs ) {
      push @cmds, map { [ "identify", @$_, $svs[$i] ] } share_of( $i, [], [ "-d", 3 ], [ "--weak" ] );
   }

The variants one case runs: all of them at full scale (PMAT_TEST_SCALE=1, the default
outside CI); under CI (scale 0.34) the first and a third of the others, the third chosen
by C<$seed>, so that consecutive cases take turns and every variant still runs across
the corpus.

=head2 oracle_addr

   $addr = oracle_addr( $dump, @argv )

The first C<0x...> address in the oracle's output for that command, e.g.
C<oracle_addr( $dump, qw( find pv --eq ), "SELF CYCLE" )>.  Dies if there is none.

=head2 need_ours, ours_available

   need_ours();                    # skip_all unless bin/pmat exists
   need_ours( "pmat-diff" );
   if( ours_available() ) { ... }

=head2 need_oracle

   need_oracle();                  # skip_all unless the oracle's pmat is installed
   need_oracle( "pmat-diff" );     # ... its helper program

Under C<CI> (set) a missing oracle is one failing test instead of a skip.

=head2 repo_root

The absolute path of the checkout.

=head1 THE TEST PROGRAMS

F<t/progs/*.pl> each take the output path as C<$ARGV[0]> and call
C<Devel::MAT::Dumper::dump($ARGV[0])> at the interesting moment; see the header comment of
each for what it covers.

=cut
