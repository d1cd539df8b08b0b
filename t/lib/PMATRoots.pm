package PMATRoots;
# The other perls we serve: Debian roots made by scripts/perls.sh (trixie: perl 5.40 with
# Devel::MAT 0.53 and Devel::MAT::Dumper 0.50; sid: perl 5.42 with Devel::MAT 0.56 and
# Devel::MAT::Dumper 0.52), run with chroot.  The checkout is bind-mounted into the root
# at its own path, in a private mount namespace (unshare -m), so a command inside reads
# and writes the same files as the host at the same paths, and the mount disappears with
# the process.
#
#   use PMATRoots;
#   for my $r ( PMATRoots::roots() ) { ... }      # "host", "trixie", "sid" (those present)
#   PMATRoots::need( "sid" );                        # skip_all with the reason (fails under CI)
#   my $res = PMATRoots::run_in( "sid", [ "perl", "-e", ... ], env => {...}, cwd => ... );
#   PMATRoots::info( "sid" )  # { perl => "5.42.0", mat => "0.56", dumper => "0.52", dir => ... }
#   my $b = PMATRoots::build_dist( "sid" );  # Devel::PMAT built for that perl: { dir, exit, out, err }
#
# "host" runs the command directly, so one loop covers all three perls.
use strict;
use warnings;

use Cwd qw( abs_path );
use File::Basename qw( dirname );
use Test::More ();
use PMATTest ();

our $ROOTS = $ENV{PMAT_ROOTS} // "/var/cache/pmat-roots";
our $REPO  = abs_path( dirname( __FILE__ ) . "/../.." );
our @SUITES = qw( trixie sid );

my %INFO;

sub dir_of { "$ROOTS/$_[0]" }

# A root is usable when its stamp exists (scripts/perls.sh writes it last) and we may
# chroot (root).
sub present
{
   my ( $suite ) = @_;
   return 1 if $suite eq "host";
   return 0 unless $> == 0;
   return -f dir_of( $suite ) . ".ok" && -x dir_of( $suite ) . "/usr/bin/perl";
}

sub roots { grep { present( $_ ) } "host", @SUITES }

sub why_missing
{
   my ( $suite ) = @_;
   return "chroot into the $suite root needs root" unless $> == 0;
   return "the $suite root is not made (scripts/perls.sh makes it)";
}

# Skip the whole file unless the root is there; under CI a missing root fails instead,
# because CI must test every perl.
sub need
{
   my @missing = grep { !present( $_ ) } @_;
   return 1 unless @missing;
   my $why = join "; ", map { why_missing( $_ ) } @missing;
   if( $ENV{CI} ) {
      Test::More::plan( tests => 1 );
      Test::More::fail( "CI needs the perl roots: $why" );
      exit 1;
   }
   Test::More::plan( skip_all => $why );
}

sub _sh_quote { join " ", map { m/^[A-Za-z0-9_.,:\/=+\@%-]+$/ ? $_ : "'" . s/'/'\\''/gr . "'" } @_ }

# The argv that runs @$cmd inside the root, with $env set and in $cwd (default: the
# checkout).  PATH and locale are the root's own; nothing else of the host environment
# is passed in except what $env names and the pinned hash seed.
sub wrap
{
   my ( $suite, $cmd, %opt ) = @_;
   my $cwd = $opt{cwd} // $REPO;
   return [ "env", "-C", $cwd, ( map { "$_=$opt{env}{$_}" } sort keys %{ $opt{env} // {} } ), @$cmd ]
      if $suite eq "host";
   my $root = dir_of( $suite );
   # the pinned hash seed (PMATTest) goes in too, so runs inside a root are as repeatable
   my %env = ( ( map { defined $ENV{$_} ? ( $_ => $ENV{$_} ) : () } qw( PERL_HASH_SEED PERL_PERTURB_KEYS ) ),
               %{ $opt{env} // {} } );
   my @env = ( "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C.UTF-8",
               "HOME=/root", map { "$_=$env{$_}" } sort keys %env );
   my $script = join " && ",
      "mkdir -p " . _sh_quote( "$root$REPO" ),
      "mount --bind " . _sh_quote( $REPO, "$root$REPO" ),
      "mount -t proc proc " . _sh_quote( "$root/proc" ),
      "exec chroot " . _sh_quote( $root, "/usr/bin/env", "-i", @env, "/bin/sh", "-c",
         'cd "$1" && shift && exec "$@"', "sh", $cwd, @$cmd );
   return [ "unshare", "-m", "--propagation", "private", "/bin/sh", "-c", $script ];
}

# run_cmd (PMATTest's) inside the root: { out, err, exit, signal }.
sub run_in
{
   my ( $suite, $cmd, %opt ) = @_;
   my $env = delete $opt{env};
   my $cwd = delete $opt{cwd};
   return PMATTest::run_cmd( wrap( $suite, $cmd, env => $env, cwd => $cwd ), %opt );
}

# The newest modification time of the files of perl/ that a build depends on.
sub _dist_mtime
{
   my $newest = 0;
   my @dirs = ( "$REPO/perl" );
   while( defined( my $d = shift @dirs ) ) {
      opendir my $dh, $d or next;
      for my $e ( readdir $dh ) {
         next if $e =~ m/^\./ or $e =~ m/^(?:blib|Makefile|Makefile\.old|pm_to_blib|MYMETA\..*|tmp)$/;
         next if $e =~ m/\.(?:o|bs|c)$/ and $e ne "ppport.h";
         my $path = "$d/$e";
         if( -d $path ) { push @dirs, $path; next }
         my $m = ( stat $path )[9] // 0;
         $newest = $m if $m > $newest;
      }
   }
   return $newest;
}

# Devel::PMAT built for the perl of $suite, in a copy of perl/ at t/tmp/perl-SUITE (the
# host's perl/blib is built for the host's perl).  Built once while perl/ is unchanged,
# under a lock, so the tests that dump with it and t/perls-dumper.t share one build; the
# build's output is kept beside it for the test that checks it.
sub build_dist
{
   my ( $suite ) = @_;
   my $tmp = "$REPO/t/tmp";
   my $dist = "$tmp/perl-$suite";
   my $lock = PMATTest::_lock( "perl-$suite" );
   my $stamp = "$dist/.pmat-build";
   my $slurp = sub { -e $_[0] ? PMATTest::_slurp( $_[0] ) : "" };
   if( -e "$stamp.exit" and PMATTest::_mtime( "$stamp.exit" ) >= _dist_mtime() ) {
      return { dir => $dist, exit => 0 + $slurp->( "$stamp.exit" ), out => $slurp->( "$stamp.out" ),
               err => $slurp->( "$stamp.err" ) };
   }
   require File::Path;
   File::Path::remove_tree( $dist );
   File::Path::make_path( $dist );
   my $copy = PMATTest::run_cmd( [ "sh", "-c",
      'tar -C "$1" --exclude=./blib --exclude=./Makefile --exclude=./Makefile.old '
    . '--exclude="*.o" --exclude=./PMAT.c --exclude="*.bs" --exclude=./pm_to_blib '
    . '--exclude="./MYMETA.*" --exclude=./t/tmp -cf - . | tar -C "$2" -xf -',
      "sh", "$REPO/perl", $dist ] );
   my $res = $copy->{exit} ? $copy
      : run_in( $suite, [ "sh", "-c", "perl Makefile.PL && make" ], cwd => $dist, timeout => 1200 );
   for my $k ( qw( out err exit ) ) {
      open my $fh, ">", "$stamp.$k" or die "Cannot write $stamp.$k - $!";
      print $fh $res->{$k} // "";
      close $fh;
   }
   return { dir => $dist, exit => $res->{exit}, out => $res->{out}, err => $res->{err} };
}

# Versions inside a root, asked once.
sub info
{
   my ( $suite ) = @_;
   return $INFO{$suite} //= do {
      my $res = run_in( $suite, [ "perl", "-e",
         'my @v = sprintf "%vd", $^V; for my $m (qw(Devel::MAT Devel::MAT::Dumper)) {'
       . ' push @v, eval "require $m; \$${m}::VERSION" // "none" } print join " ", @v' ] );
      my ( $perl, $mat, $dumper ) = split ' ', $res->{out} // "";
      { perl => $perl, mat => $mat, dumper => $dumper, dir => ( $suite eq "host" ? "/" : dir_of( $suite ) ) };
   };
}

1;
