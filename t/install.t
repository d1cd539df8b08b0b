#!/usr/bin/perl
# `make install PREFIX=$tmp` into a temporary directory, from the already-built tree, then
# use what was installed as a user would: every program runs, every man page renders
# (man -l, and groff -ww with no warnings), the installed Devel::PMAT (found with
# -I$tmp/lib/perl5 alone) writes a dump that the installed pmat loads, and
# `make uninstall` takes it all away again.
use strict;
use warnings;

use File::Temp qw( tempdir );
use File::Find ();
use File::Spec;
use FindBin;
use Test::More;

my $ROOT = File::Spec->rel2abs( "$FindBin::Bin/.." );

sub have { my ( $prog ) = @_; grep { -x "$_/$prog" } File::Spec->path }

plan skip_all => "make is not available" unless have( "make" );
plan skip_all => "not a pmat checkout" unless -f "$ROOT/Makefile" && -d "$ROOT/cli";

# The programs and their man pages.  A program is expected once its cli/main_NAME.c exists.
my @PROGS = qw( pmat pmat-leakreport pmat-diff pmat-counts pmat-list-orphans pmat-cat-svpv );
my %BUILT = map { $_ => -f "$ROOT/cli/main_$_.c" } @PROGS;

# Run a command with stdin from /dev/null; returns { out, err, status }.
sub run
{
   my ( @cmd ) = @_;
   my $dir = tempdir( CLEANUP => 1 );
   my $pid = fork // die "fork: $!";
   if( !$pid ) {
      open STDIN,  "<", "/dev/null";
      open STDOUT, ">", "$dir/out";
      open STDERR, ">", "$dir/err";
      exec { $cmd[0] } @cmd or do { print STDERR "exec $cmd[0]: $!\n"; POSIX::_exit( 127 ) };
   }
   waitpid $pid, 0;
   my %r = ( status => $? >> 8, signal => $? & 127 );
   for my $f ( qw( out err ) ) {
      open my $fh, "<:raw", "$dir/$f" or die;
      local $/;
      $r{$f} = <$fh>;
   }
   return \%r;
}
require POSIX;

# The sub-make must not inherit `make check`'s jobserver or overrides; build into the same
# build directory as the suite, so an up-to-date tree rebuilds nothing.
delete @ENV{qw( MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES PERL5LIB PERLLIB PERL5OPT
                PERL_MM_OPT PERL_MB_OPT MANPATH )};
my @SAN = ( ( $ENV{PMAT_BUILD} // "" ) =~ m{san} ? ( "SANITIZE=1" ) : () );
$ENV{MANPAGER} = $ENV{PAGER} = "cat";
$ENV{MANWIDTH} = 80;

my $tmp = tempdir( "pmat-install-XXXXXX", TMPDIR => 1, CLEANUP => 1 );
my $inst = run( "make", "-s", "-C", $ROOT, "install", "PREFIX=$tmp", "DESTDIR=", @SAN );
is( $inst->{status}, 0, "make install PREFIX=\$tmp exits 0" )
   or diag( $inst->{out} . $inst->{err} );
BAIL_OUT( "make install failed" ) if $inst->{status};

my $DUMP = "$tmp/x.pmat";
my $PERLLIB = "$tmp/lib/perl5";

subtest "programs in PREFIX/bin" => sub {
   for my $p ( @PROGS ) {
      SKIP: {
         skip "$p is not written yet (no cli/main_$p.c)", 2 unless $BUILT{$p};
         my $f = "$tmp/bin/$p";
         ok( -f $f && -x _, "$p installed" );
         is( sprintf( "%o", ( stat $f )[2] & 07777 ), "755", "$p mode 755" );
      }
   }
   my $r = run( "$tmp/bin/pmat" );
   like( $r->{err}, qr/\ANeed dumpfile\n/, "installed pmat without arguments: Need dumpfile" );
   is( $r->{status}, 2, "... exit 2" );
};

# man -l FILE must render with nothing on stderr, in a UTF-8 and in the C locale.
sub renders
{
   my ( $file, $name ) = @_;
   for my $locale ( "C.UTF-8", "C" ) {
      local $ENV{LC_ALL} = $locale;
      local $ENV{LANG} = $locale;
      my $r = run( "man", "-l", $file );
      is( $r->{status}, 0, "man -l $name ($locale) exits 0" );
      is( $r->{err}, "", "... no warnings" );
      like( $r->{out}, qr/^NAME\n\s+\Q$name\E\b/m, "... has its NAME section" );
   }
   if( have( "groff" ) ) {
      my $r = run( "groff", "-man", "-Tutf8", "-ww", "-z", $file );
      is( $r->{err}, "", "groff -ww $name: no warnings" );
   }
}

subtest "man pages in PREFIX/share/man/man1" => sub {
   plan skip_all => "man is not available" unless have( "man" );
   for my $p ( @PROGS ) {
      my $f = "$tmp/share/man/man1/$p.1";
      ok( -f $f, "$p.1 installed" ) or next;
      is( sprintf( "%o", ( stat $f )[2] & 07777 ), "644", "$p.1 mode 644" );
      renders( $f, $p );
   }
};

subtest "Devel::PMAT from PREFIX/lib/perl5" => sub {
   ok( -f "$PERLLIB/Devel/PMAT.pm", "Devel/PMAT.pm installed" );
   my $where = run( $^X, "-I$PERLLIB", "-MDevel::PMAT", "-e",
      'print $INC{"Devel/PMAT.pm"}, "\n", grep( m{/PMAT\.so$}, @DynaLoader::dl_shared_objects ), "\n"' );
   is( $where->{status}, 0, "perl -I\$tmp/lib/perl5 -MDevel::PMAT loads" ) or diag( $where->{err} );
   my ( $pm, $so ) = split m/\n/, $where->{out};
   like( $pm // "", qr/^\Q$PERLLIB\E\//, "... the installed .pm" );
   like( $so // "", qr/^\Q$PERLLIB\E\//, "... the installed PMAT.so" );

   # format 0.4: the dump is read by pmat, and Devel::MAT 0.51 reads it too
   my $r = run( $^X, "-I$PERLLIB", "-MDevel::PMAT", "-e",
      'our $marker = "installed-" . "dumper"; Devel::PMAT::dump(shift, format => "0.4")', $DUMP );
   is( $r->{status}, 0, "Devel::PMAT::dump writes a dump" ) or diag( $r->{err} );
   ok( -s $DUMP, "... x.pmat is there" );

   SKIP: {
      skip "man is not available", 1 unless have( "man" );
      my $f = "$tmp/share/man/man3/Devel::PMAT.3pm";
      ok( -f $f, "Devel::PMAT.3pm installed" ) or skip "no Devel::PMAT.3pm", 1;
      my $m = run( "man", "-l", $f );
      is( $m->{status}, 0, "man -l Devel::PMAT.3pm exits 0" );
      like( $m->{out}, qr/^NAME\n\s+Devel::PMAT - /m, "... renders its NAME section" );
   }
};

subtest "the installed programs read that dump" => sub {
   plan skip_all => "no dump" unless -s $DUMP;
   my $r = run( "$tmp/bin/pmat", "-q", $DUMP, "summary" );
   is( $r->{status}, 0, "pmat -q x.pmat summary exits 0" ) or diag( $r->{err} );
   like( $r->{out}, qr/^Perl memory dumpfile from perl \d+\.\d+\.\d+ (?:non-)?threaded\nHeap contains \d+ objects\n\z/,
      "... prints the summary" );

   my $show = run( "$tmp/bin/pmat", "-q", $DUMP, "show", '$main::marker' );
   my ( $addr ) = $show->{out} =~ m/^SCALAR\(PV\) at (0x[0-9a-f]+)/;
   ok( $addr, "pmat show \$main::marker finds the scalar" ) or diag( $show->{out} . $show->{err} );

   SKIP: {
      skip "pmat-cat-svpv not built", 2 unless $BUILT{"pmat-cat-svpv"} && $addr;
      my $c = run( "$tmp/bin/pmat-cat-svpv", $DUMP, $addr );
      is( $c->{status}, 0, "pmat-cat-svpv exits 0" );
      is( $c->{out}, "installed-dumper", "... prints the string" );
   }
   my %args = (
      "pmat-leakreport"   => [ $DUMP, $DUMP, $DUMP ],
      "pmat-diff"         => [ $DUMP, $DUMP ],
      "pmat-counts"       => [ $DUMP ],
      "pmat-list-orphans" => [ $DUMP ],
   );
   my %want = (
      "pmat-leakreport"   => qr/\A\z/,
      "pmat-diff"         => qr/^0 unique to .*^\d+ common$/ms,
      "pmat-counts"       => qr/^\Q$DUMP\E\n.*\(total\)/ms,
      "pmat-list-orphans" => qr/ at 0x[0-9a-f]+$/m,
   );
   for my $p ( sort keys %args ) {
      SKIP: {
         skip "$p not built", 2 unless $BUILT{$p};
         my $o = run( "$tmp/bin/$p", @{ $args{$p} } );
         is( $o->{status}, 0, "$p exits 0" ) or diag( $o->{err} );
         like( $o->{out}, $want{$p}, "... output as expected" );
      }
   }
};

subtest "make uninstall" => sub {
   unlink $DUMP;
   my $u = run( "make", "-s", "-C", $ROOT, "uninstall", "PREFIX=$tmp", "DESTDIR=" );
   is( $u->{status}, 0, "make uninstall exits 0" ) or diag( $u->{out} . $u->{err} );
   my @left;
   File::Find::find( { no_chdir => 1, wanted => sub { push @left, $_ if !-d } }, $tmp );
   is( "@left", "", "no file is left under PREFIX" );
};

done_testing;
