#!/usr/bin/perl
# oracle-driver.pl - run many `pmat -q DUMP CMD...` command lines against the real
# Devel::MAT 0.51 while loading the dump only once.
#
#   perl t/lib/oracle-driver.pl [--jobs N] DUMP REQFILE
#   perl t/lib/oracle-driver.pl DUMP -- CMD ARGS...     (one command, printed like pmat -q)
#   perl t/lib/oracle-driver.pl --svlist DUMP OUTFILE   (one line per SV, for PMATTest)
#
# REQFILE holds one request per line: "RESULTFILE<TAB>JSON-array-of-argv".  For each
# request the result {argv, out, err, exit, signal} is written with Storable::nstore to
# RESULTFILE (atomically: temp name + rename).  out/err are the raw bytes that
# `/usr/bin/pmat -q DUMP ARGV...` would write to stdout/stderr; exit is its exit status.
#
# How it stays byte-for-byte faithful to /usr/bin/pmat (batch mode):
#  * the dump is loaded once in this process; every command then runs in a forked child,
#    so each one starts from exactly the state a fresh `pmat -q` has after loading
#    (no tools loaded, no pending `more` pages, fresh identify IDs, no size caches);
#  * the child does what /usr/bin/pmat does: STDOUT binmode :encoding(UTF-8) + autoflush,
#    run_command(Commandable::Invocation->new_from_tokens(@argv)), then
#    `Devel::MAT::Tool::more->run while can_more` to flush pending pages, then exits 0;
#  * an exception is NOT caught: it propagates to the top level of the child exactly as in
#    /usr/bin/pmat, so perl itself prints it to STDERR and picks the exit status;
#  * warnings printed while loading (e.g. "Skipping unrecognised SVx") are captured once
#    and prepended to every command's stderr, as each pmat process would print them;
#  * if the load dies, every child repeats the load so the error and exit status are
#    produced by perl itself.
# Module loading order matters for nothing visible, except that the Inrefs tool (which has
# no UI role, so `tools` does not show it) is pre-built in the parent when a request needs
# it, to save time; Sizes/Reachability (UI tools) are never pre-loaded.
use v5.14;
use warnings;

use POSIX ();
use Storable qw( nstore );
use JSON::PP ();
use IO::Handle;

my $JOBS = 1;
if( @ARGV and $ARGV[0] eq "--jobs" ) {
   shift @ARGV;
   $JOBS = shift @ARGV;
}

# The documented corrections of 0.51's plain bugs (t/lib/PMATFixes.pm, docs/compat.md),
# loaded after Devel::MAT in every mode; PMAT_ORACLE_RAW=1 makes PMATFixes a no-op.
sub load_fixes
{
   require File::Basename;
   local @INC = ( File::Basename::dirname( __FILE__ ), @INC );
   require PMATFixes;
}

if( @ARGV and $ARGV[0] eq "--svlist" ) {
   shift @ARGV;
   svlist( @ARGV );
   exit 0;
}

my $DUMP = shift @ARGV // die "usage: oracle-driver.pl DUMP REQFILE | DUMP -- CMD...\n";

my @requests;   # [ resultfile-or-undef, \@argv ]
if( @ARGV and $ARGV[0] eq "--" ) {
   shift @ARGV;
   @requests = ( [ undef, [ @ARGV ] ] );
}
else {
   my $reqfile = shift @ARGV // die "Need REQFILE\n";
   open my $fh, "<", $reqfile or die "Cannot read $reqfile - $!\n";
   my $json = JSON::PP->new;
   while( <$fh> ) {
      chomp;
      next unless length;
      my ( $file, $argv ) = split m/\t/, $_, 2;
      push @requests, [ $file, $json->decode( $argv ) ];
   }
}

# Load the same modules /usr/bin/pmat loads, in the same order.  Devel::MAT::Cmd::Terminal
# decides about colour from -t STDOUT at compile time: make sure it sees a non-terminal.
my $TTY_OUT = -t STDOUT;
open my $real_stdout, ">&", \*STDOUT or die "dup STDOUT - $!";
open STDOUT, ">", "/dev/null" or die "reopen STDOUT - $!" if $TTY_OUT;
require Devel::MAT;
require Devel::MAT::Cmd::Terminal;
load_fixes();
# PMAT_ORACLE_SORTED_HEAP=1: Devel::MAT iterates its heap in address order, as pmat does
# (t/lib/SortedHeap.pm), so orders that follow the heap hash (inrefs, identify branches,
# find) become comparable line for line
if( $ENV{PMAT_ORACLE_SORTED_HEAP} ) {
   require File::Basename;
   local @INC = ( File::Basename::dirname( __FILE__ ), @INC );
   require SortedHeap;
}
require Commandable::Invocation;
open STDOUT, ">&", $real_stdout or die "restore STDOUT - $!" if $TTY_OUT;
# What each child's `STDOUT->binmode( ":encoding(UTF-8)" )` would otherwise load afresh
# (IO::File, PerlIO::encoding, the UTF-8 encoding object: ~12 ms per command); pmat
# loads them before the dump too, so nothing a command prints depends on it.
require IO::File;
{ open my $null, ">", "/dev/null" or die "open /dev/null - $!"; binmode $null, ":encoding(UTF-8)" }

# PMAT_ORACLE_LOG=FILE appends one line per command: CPU seconds (child) TAB dump TAB argv,
# to find what makes the oracle slow (exact with --jobs 1).
my $COST_LOG;
if( my $log = $ENV{PMAT_ORACLE_LOG} ) {
   open $COST_LOG, ">>", $log or die "Cannot append to $log - $!";
   $COST_LOG->autoflush( 1 );
}
my $cpu_before = child_cpu();
sub child_cpu { my ( undef, undef, $cu, $cs ) = times; return $cu + $cs }

# Load once, capturing load-time warnings.
my $tmpbase = ( $requests[0][0] // "/tmp/pmat-oracle" ) . ".$$";
my $loaderr_file = "$tmpbase.loaderr";
my ( $pmat, $load_failed, $load_warnings );
my $ERRNO_BEFORE_CMD = 0;
{
   open my $saved_err, ">&", \*STDERR or die "dup STDERR - $!";
   open STDERR, ">", $loaderr_file or die "Cannot write $loaderr_file - $!";
   $pmat = eval { Devel::MAT->load( $DUMP, progress => undef ) };
   $load_failed = !$pmat;
   open STDERR, ">&", $saved_err or die "restore STDERR - $!";
   $load_warnings = slurp( $loaderr_file );
   unlink $loaderr_file;
}

if( !$load_failed ) {
   # What the first run_command would do anyway: require every tool module.
   $pmat->available_tools;
   # pmat's exit status after an uncaught error is perl's: errno at the time of the die.
   # In pmat the last failing system calls before a command runs are those made while
   # requiring the tool modules (just done above); remember errno to restore it in the
   # children, whose own file redirections would otherwise leave e.g. ENOTTY behind.
   $ERRNO_BEFORE_CMD = $! + 0;
   if( grep { my $r = $_; grep { m/^(?:identify|inrefs)$/ } @{ $r->[1] } } @requests ) {
      $pmat->load_tool( "Inrefs" );
   }
   # `count --owned` / `largest --owned` compute the owned size of every SV (seconds on a
   # test dump) and cache it in the SV: do it once here rather than in every child.  The
   # cached sizes are what each child would compute (0.51's own, possibly hash-order
   # dependent, walk; or PMATSizesFixes's, which still reports duplicates per command).
   if( grep { my $r = $_; grep { m/^--?owned$/ } @{ $r->[1] } } @requests ) {
      if( defined &PMATSizesFixes::precompute_owned ) {
         PMATSizesFixes::precompute_owned( $pmat->dumpfile );
      }
      else {
         $_->owned_size for $pmat->dumpfile->heap;
      }
   }
}

my %running;   # pid => request
my $EXIT = 0;   # exit status of the single-command mode's child
my $n = 0;
foreach my $req ( @requests ) {
   reap( 0 ) while keys %running >= $JOBS;
   my $tmp = "$tmpbase." . $n++;
   my $pid = fork // die "Cannot fork - $!";
   if( !$pid ) {
      run_child( $req->[1], $req->[0] ? $tmp : undef );
      # run_child never returns
   }
   $running{$pid} = [ @$req, $tmp ];
}
reap( 0 ) while keys %running;
exit $EXIT;

sub reap
{
   my $pid = waitpid( -1, 0 );
   return if $pid <= 0;
   my $status = $?;
   my $req = delete $running{$pid} or return;
   if( $COST_LOG ) {
      my $cpu = child_cpu();
      printf $COST_LOG "%.3f\t%s\t%s\n", $cpu - $cpu_before, $DUMP, join " ", @{ $req->[1] };
      $cpu_before = $cpu;
   }
   my ( $file, $argv, $tmp ) = @$req;
   if( !defined $file ) {
      $EXIT = $status & 127 ? 128 + ( $status & 127 ) : $status >> 8;
      return;
   }

   my %res = (
      argv   => $argv,
      out    => slurp( "$tmp.out" ),
      err    => slurp( "$tmp.err" ),
      exit   => $status >> 8,
      signal => $status & 127,
   );
   unlink "$tmp.out", "$tmp.err";
   nstore \%res, "$file.tmp.$$";
   rename "$file.tmp.$$", $file or die "Cannot rename to $file - $!";
}

sub run_child
{
   my ( $argv, $tmp ) = @_;

   if( defined $tmp ) {
      open STDOUT, ">", "$tmp.out" or POSIX::_exit( 121 );
      open STDERR, ">", "$tmp.err" or POSIX::_exit( 122 );
   }
   # Safety net against a runaway command: SIGALRM's default action ends the child.
   alarm( $ENV{PMAT_ORACLE_TIMEOUT} // 900 );

   # As /usr/bin/pmat: UTF-8 stdout, autoflushed.
   STDOUT->binmode( ":encoding(UTF-8)" );
   STDOUT->autoflush( 1 );

   print STDERR $load_warnings;

   if( $load_failed ) {
      # Let perl report the failure itself, as /usr/bin/pmat would.
      Devel::MAT->load( $DUMP, progress => undef );
      POSIX::_exit( 0 );   # not reached
   }

   # Not inside any eval: an exception ends this process the same way it ends pmat.
   $! = $ERRNO_BEFORE_CMD;
   $pmat->run_command(
      Commandable::Invocation->new_from_tokens( @$argv ),
      progress => undef,
   );
   Devel::MAT::Tool::more->run while Devel::MAT::Tool::more->can_more;

   close STDOUT;
   close STDERR;
   POSIX::_exit( 0 );
}

sub slurp
{
   my ( $path ) = @_;
   open my $fh, "<:raw", $path or return "";
   local $/;
   return scalar <$fh> // "";
}

# One line per heap SV (and nothing else):
#   ADDR(hex) TAB TYPE TAB DESC TAB BLESSED TAB ROOTNAME TAB SYMNAME TAB REFCNT TAB SIZE
# sorted by address.  Used by PMATTest::sv_list / svs_of_kinds.
sub svlist
{
   my ( $dump, $outfile ) = @_;
   require Devel::MAT;
   require Devel::MAT::Cmd::Terminal;
   load_fixes();
   my $pmat = Devel::MAT->load( $dump, progress => undef );
   my $df = $pmat->dumpfile;
   open my $out, ">:raw", "$outfile.tmp.$$" or die "Cannot write $outfile - $!";
   foreach my $sv ( sort { $a->addr <=> $b->addr } $df->heap ) {
      my $blessed = $sv->blessed;
      my $symname = eval { $sv->symname } // "";
      my @f = (
         sprintf( "0x%x", $sv->addr ),
         $sv->type,
         $sv->desc,
         ( $blessed ? $blessed->stashname : "" ),
         $sv->rootname // "",
         $symname,
         $sv->refcnt,
         $sv->size,
      );
      s/([\t\n\\])/sprintf "\\x%02x", ord $1/ge for @f;
      utf8::encode( $_ ) for @f;
      print $out join( "\t", @f ), "\n";
   }
   close $out or die "Cannot write $outfile - $!";
   rename "$outfile.tmp.$$", $outfile or die "Cannot rename to $outfile - $!";
}
