package PMATTestUtil;
# Shared helpers for perl/t: where the built module is, running perl in a
# subprocess against it, and parsing `pmat -q FILE count`.
use strict;
use warnings;
use Exporter 'import';
use File::Basename qw( dirname );
use File::Spec;
use Cwd qw( abs_path );

our @EXPORT = qw( $BLIB_LIB $BLIB_ARCH $PROGS $DUMPER_FORMAT $MAT_FORMAT $QUICK
   perl_cmd run_capture run_parallel pmat_counts have_pmat );

my $t = abs_path( File::Spec->catdir( dirname( __FILE__ ), '..' ) );
our $BLIB_LIB  = abs_path("$t/../blib/lib");
our $BLIB_ARCH = abs_path("$t/../blib/arch");
our $PROGS     = "$t/progs";

# PMAT_PERL_T_QUICK=1: leave out what only measures size and speed (the million-SV heap,
# 17 of the 20 fork dumps, throughput).  The pmat checkout's t/perls-dumper.t sets it when it runs
# this suite under CI inside the other perls' roots; the host's run keeps everything.
our $QUICK = $ENV{PMAT_PERL_T_QUICK} ? 1 : 0;

# tests use the module built in perl/blib
use lib ();
lib->import( $BLIB_LIB, $BLIB_ARCH );

# The format the installed Devel::MAT::Dumper writes (0.4 up to 0.46, 0.6 from
# 0.48 on), and the newest one the installed Devel::MAT reads without
# complaint (0.6 from 0.53 on; 0.51 reads 0.5 only with a warning that it is
# experimental): tests that compare with the one or load in the other dump in
# that format. The versions are read from the files: loading Devel::MAT::Dumper
# would take over the DMD helper entry point from Devel::PMAT.
sub installed_version
{
   my ( $module ) = @_;
   ( my $file = "$module.pm" ) =~ s{::}{/}g;
   for my $dir ( grep { !ref } @INC ) {
      next unless -f "$dir/$file";
      require ExtUtils::MakeMaker;
      my $v = MM->parse_version( "$dir/$file" );
      return $v if defined $v and $v ne 'undef';
   }
   return 0;
}
our $DUMPER_FORMAT = installed_version( "Devel::MAT::Dumper" ) >= 0.48 ? "0.6" : "0.4";
our $MAT_FORMAT    = installed_version( "Devel::MAT::Dumpfile" ) >= 0.53 ? "0.6" : "0.4";

die "Devel::PMAT is not built (run `make` at the top of the checkout)\n"
   unless -e "$BLIB_ARCH/auto/Devel/PMAT/PMAT.so";

# argv for running perl with the built module
sub perl_cmd { return ( $^X, "-I$BLIB_LIB", "-I$BLIB_ARCH", @_ ) }

# Run a command (list form); return ( exit status, stdout, stderr ).
sub run_capture
{
   my @cmd = @_;
   require File::Temp;
   my $out = File::Temp->new; my $err = File::Temp->new;
   my $pid = fork // die "fork: $!";
   if( !$pid ) {
      open STDOUT, '>', $out->filename or die;
      open STDERR, '>', $err->filename or die;
      exec @cmd or die "exec $cmd[0]: $!";
   }
   waitpid $pid, 0;
   my $st = $?;
   local $/;
   open my $o, '<', $out->filename; my $so = <$o>;
   open my $e, '<', $err->filename; my $se = <$e>;
   return ( $st, $so // '', $se // '' );
}

# Run several commands concurrently; returns a list of [ status, out, err ].
sub run_parallel
{
   my @cmds = @_;
   require File::Temp;
   my @jobs;
   for my $cmd ( @cmds ) {
      my $out = File::Temp->new; my $err = File::Temp->new;
      my $pid = fork // die "fork: $!";
      if( !$pid ) {
         open STDOUT, '>', $out->filename or die;
         open STDERR, '>', $err->filename or die;
         exec @$cmd or die "exec $cmd->[0]: $!";
      }
      push @jobs, [ $pid, $out, $err ];
   }
   my @res;
   for my $j ( @jobs ) {
      waitpid $j->[0], 0;
      my $st = $?;
      local $/;
      open my $o, '<', $j->[1]->filename; my $so = <$o>;
      open my $e, '<', $j->[2]->filename; my $se = <$e>;
      push @res, [ $st, $so // '', $se // '' ];
   }
   return @res;
}

sub have_pmat { return -x '/usr/bin/pmat' }

# { KIND => count } from `pmat -q FILE count`. Devel::MAT 0.56 counts undefined
# scalars in a row of their own (UNDEF); they are folded into SCALAR, where
# earlier versions and count_svs() count them.
sub pmat_counts
{
   my ( $text ) = @_;
   my %c;
   for ( split /\n/, $text ) {
      next unless m/^  ([A-Z_]+)\s+(\d+)\s/;
      $c{ $1 eq "UNDEF" ? "SCALAR" : $1 } += $2;
   }
   return \%c;
}

1;
