package Devel::PMAT;

use strict;
use warnings;

our $VERSION = '0.01';

use Fcntl ();
use File::Basename ();
use File::Spec;
use POSIX ();

require XSLoader;
XSLoader::load( __PACKAGE__, $VERSION );

# Read by the XS code at dump time.
our $MAX_STRING = 256;
our $FORMAT;          # undef: "0.6", what Devel::MAT::Dumper 0.52 writes

# Extra roots: pairs of (NAME, REF); see EXTRA ROOTS in the POD.
our @MORE_ROOTS;

my $dumpfile = do {
   my $base = File::Basename::basename( $0 );
   # a leading '-' confuses command-line parsers: "-e" becomes "perl-e"
   $base = "perl$base" if $base =~ m/^-e\z/i;
   File::Spec->rel2abs( "$base.pmat" );
};

my $serial = 0;
my $at_end;
my %opt = ( fork => 0, compress => undef );
my $eager;   # { fh, tmp, path, pid } while an -eager_open file is pending

my %SUFFIX = ( zstd => ".zst", zst => ".zst", gzip => ".gz", gz => ".gz" );

# The name the next hook-triggered dump is written to: NNN becomes the
# serial number, zero-padded to 3 digits so that a shell glob lists the dumps
# in order (Devel::MAT::Dumper writes 0, 1, ..., 10), and the compression
# suffix is appended.
sub _next_name
{
   my $name = $dumpfile;
   $name =~ s/NNN/sprintf "%03d", $serial++/e;
   my $sfx = $opt{compress} ? $SUFFIX{ $opt{compress} } // "" : "";
   $name .= $sfx if length $sfx and substr( $name, -length $sfx ) ne $sfx;
   return $name;
}

# Announce a hook-triggered dump on STDERR and return its file name.
#
# The hooks below call it as _hook_write( _announce( WHY ) ): this sub has
# returned before the XS runs, so no frame of ours other than the hook sub
# itself is live during the dump, and the argument stack holds just the
# file name - what a Devel::MAT::Dumper hook leaves, so `callers` and
# `stack` read the same for dumps by either module. _hook_write never dies
# (a failure is reported on STDERR) and leaves $! alone, so the program's
# own exception, warning, signal or exit status always goes through.
sub _announce
{
   my ( $why ) = @_;
   my $name = _next_name();
   print STDERR "Dumping to $name because of $why\n";
   return $name;
}

END {
   if( $at_end ) {
      local $?;
      if( $eager and $eager->{pid} == $$ ) {
         my $e = $eager;
         undef $eager;
         my $err = Devel::PMAT::_hook_write_fh( $e->{fh} );
         $err = "Cannot write $e->{path} - $err\n" if length $err;
         my $closed = close $e->{fh};
         $err ||= "Cannot write $e->{path} - $!\n" unless $closed;
         # only a complete dump is renamed into place
         $err = "Cannot rename $e->{tmp} to $e->{path} - $!\n"
            if !$err and !rename $e->{tmp}, $e->{path};
         if( $err ) {
            unlink $e->{tmp};
            print STDERR $err;
         }
      }
      else {
         Devel::PMAT::_hook_write( _announce( "END" ) );
      }
   }
   elsif( $eager and $eager->{pid} == $$ ) {
      close $eager->{fh};
      unlink $eager->{tmp};
   }
   # collect the exited helpers of forked dumps
   Devel::PMAT::_reap( 0 ) if defined &Devel::PMAT::_reap;
}

# The handler of -dump_at_SIGNAME: dump, then (unless it is to stay, as for
# SIGQUIT) restore the default disposition and raise the signal again.
sub _signal_hook
{
   my ( $sig, $stay ) = @_;
   return sub {
      Devel::PMAT::_hook_write( _announce( "SIG$sig" ) );
      return if $stay;
      $SIG{$sig} = 'DEFAULT';
      kill $sig => $$;
   };
}

sub import
{
   my $pkg = shift;
   my ( $want_eager, $hooked );

   while( @_ ) {
      my $sym = shift;
      $hooked = 1 if $sym =~ m/^-dump_at_/;
      if( $sym eq "-dump_at_DIE" ) {
         my $prev = $SIG{__DIE__};
         $SIG{__DIE__} = sub {
            local $SIG{__DIE__} = $prev if defined $prev;
            # only exceptions that are about to end the program
            return if !defined $^S or $^S;
            Devel::PMAT::_hook_write( _announce( "DIE" ) );
            die @_;
         };
      }
      elsif( $sym eq "-dump_at_WARN" ) {
         my $prev = $SIG{__WARN__};
         $SIG{__WARN__} = sub {
            local $SIG{__WARN__} = $prev if defined $prev;
            Devel::PMAT::_hook_write( _announce( "WARN" ) );
            warn @_;
         };
      }
      elsif( $sym eq "-dump_at_END" ) {
         $at_end = 1;
      }
      elsif( $sym eq "-dump_at_SIGQUIT" ) {
         $SIG{QUIT} = _signal_hook( "QUIT", 1 );
      }
      elsif( $sym =~ m/^-dump_at_SIG(\S+)$/ ) {
         my $sig = $1;
         exists $SIG{$sig} or die "Unrecognised signal name SIG$sig\n";
         if( $sig eq "ABRT" ) {
            # unsafe (immediate) delivery, so a dump can see the state of
            # whatever XS or C code called abort()
            my $act = POSIX::SigAction->new( _signal_hook( $sig ) );
            $act->safe( 0 );
            POSIX::sigaction( POSIX::SIGABRT(), $act );
         }
         else {
            $SIG{$sig} = _signal_hook( $sig );
         }
      }
      elsif( $sym eq "-file" ) {
         $dumpfile = File::Spec->rel2abs( shift );
      }
      elsif( $sym eq "-max_string" ) {
         $MAX_STRING = shift;
      }
      elsif( $sym eq "-eager_open" ) {
         $want_eager = 1;
      }
      elsif( $sym eq "-fork" ) {
         $opt{fork} = 1;
      }
      elsif( $sym =~ m/^-format(?:=(.*))?$/ ) {
         my $f = defined $1 ? $1 : shift;
         defined $f and $f =~ m/^0\.[456]\z/ or
            die "Unrecognised Devel::PMAT format " . ( $f // "(none)" ) . " (want 0.6, 0.5 or 0.4)\n";
         $FORMAT = $f;
      }
      elsif( $sym =~ m/^-compress(?:=(.*))?$/ ) {
         my $c = defined $1 ? $1 : shift;
         defined $c and exists $SUFFIX{$c} or
            die "Unrecognised Devel::PMAT compression " . ( $c // "(none)" ) . "\n";
         $opt{compress} = $c;
      }
      else {
         die "Unrecognised $pkg import symbol $sym\n";
      }
   }

   Devel::PMAT::_set_hook_options( $opt{fork}, $opt{compress} );
   # a descriptor kept for the hook dumps of a program that runs out of them
   Devel::PMAT::_reserve_fd() if $hooked;

   if( $want_eager ) {
      # The name is used as given (no NNN substitution), like
      # Devel::MAT::Dumper; the file is created privately and renamed into
      # place once the END dump is complete.
      my $path = $dumpfile;
      my $sfx = $opt{compress} ? $SUFFIX{ $opt{compress} } : "";
      $path .= $sfx if length $sfx and substr( $path, -length $sfx ) ne $sfx;
      my $tmp = "$path.tmp.$$";
      # (named as Devel::MAT::Dumper's, for the name pmat gives its glob)
      sysopen my $dumpfh, $tmp,
         Fcntl::O_WRONLY() | Fcntl::O_CREAT() | Fcntl::O_EXCL() | Fcntl::O_NOFOLLOW(), 0600
         or die "Cannot open $path for writing - $!\n";
      $eager = { fh => $dumpfh, tmp => $tmp, path => $path, pid => $$ };
   }
}

1;

__END__

=head1 NAME

Devel::PMAT - write a heap dump file for Devel::MAT and pmat

=head1 SYNOPSIS

   # from the command line
   $ perl -MDevel::PMAT=-dump_at_END prog.pl
   Dumping to /home/me/prog.pl.pmat because of END
   $ pmat prog.pl.pmat

   # from code
   use Devel::PMAT;
   Devel::PMAT::dump( "/var/tmp/heap.pmat" );
   Devel::PMAT::dump( "/var/tmp/heap.pmat", fork => 1, compress => "zstd" );

   # a cheap census, e.g. once per loop iteration
   my $counts = Devel::PMAT::count_svs();            # { SCALAR => 8123, ARRAY => 512, ... }
   my $objs   = Devel::PMAT::count_svs_by_class();   # { "My::Obj" => 12, ... }

=head1 DESCRIPTION

C<Devel::PMAT> writes a snapshot of every SV in the perl interpreter's
arenas, with the references between them, the roots, the argument stack,
the C<local> save stack, the call contexts and the mortals, to a file in
the C<.pmat> format (version 0.6 by default; 0.5 and 0.4 on request, see
L</FILE FORMATS>). The file can be examined with L<Devel::MAT> (the
C<pmat> shell and its helper programs) or with this project's C
implementation of C<pmat>.

It is a re-implementation of L<Devel::MAT::Dumper> 0.52 with the same
interface and the same file contents, plus forked dumps, atomic and
private file creation, compression, faster output and an in-process SV
census. It is tested on perl 5.36, 5.40 and 5.42, including the objects,
classes and fields of C<use feature 'class'>.

=head1 FUNCTIONS

These functions are not exported; call them fully-qualified.

=head2 dump

   $written = Devel::PMAT::dump( $path, %options );

Writes a heap dump to C<$path> and returns the name actually written (which
gains C<.zst> or C<.gz> with compression). Croaks on failure. Options:

=over 4

=item fork => BOOL

Write the dump from a forked copy of the process and return at once; see
L</FORKED DUMPS>.

=item compress => "zstd" | "gzip"

Compress the output; see L</COMPRESSION>.

=item format => "0.6" | "0.5" | "0.4"

The file format version; see L</FILE FORMATS>. The default is
C<$Devel::PMAT::FORMAT> if set (by the C<-format> import option or by the
program), else C<"0.6">.

=back

=head2 dumpfh

   Devel::PMAT::dumpfh( $fh, %options );

Writes a heap dump to an already open handle's file descriptor (anything
that can be written to: a file, a pipe, a socket; it need not be
seekable). Any data buffered in the Perl handle is flushed first. The
options are C<compress> and C<format>, as for L</dump>. No temporary file
or rename is involved: the caller owns the handle.

=head2 count_svs

   my $counts = Devel::PMAT::count_svs();

Walks the arenas (no file is written) and returns a hash reference of live
SV counts by kind, using the kind names of Devel::MAT's C<count> command:
C<SCALAR> (including undefined scalars), C<BOOL>, C<REF>, C<ARRAY>, C<PAD>
(arrays that are pads of a subroutine), C<HASH>, C<STASH>, C<CODE>,
C<GLOB>, C<IO>, C<LVALUE>, C<REGEXP>, C<FORMAT>, C<INVLIST>, and on perls
with C<use feature 'class'> (5.38 and later) C<OBJECT> (instances) and
C<CLASS> (the stashes of classes, not counted as C<STASH>). C<UNKNOWN>
counts SVs of a type this module does not know (from a perl newer than
5.42); there are none on the perls it is tested with. Kinds with a
zero count are omitted. The walk allocates nothing until the result hash
is built, and takes a few milliseconds per million SVs, so it is cheap
enough to call once per iteration of a main loop to watch for growth. The
counts include the result hash of the previous call until it is freed.

=head2 count_svs_by_class

   my $counts = Devel::PMAT::count_svs_by_class();

Like L</count_svs>, but counts blessed SVs per package name (in the spirit
of L<Devel::Gladiator>).

=head1 IMPORT OPTIONS

Used as C<perl -MDevel::PMAT=OPT,OPT,... prog.pl> or
C<use Devel::PMAT qw( OPT ... )>. They behave exactly like those of
L<Devel::MAT::Dumper> 0.46. Before each dump triggered by one of the hooks
below, a line C<Dumping to FILE because of REASON> is printed on STDERR.
See L</HOOK-TRIGGERED DUMPS> for what such a dump records and what
happens when it cannot be written.

=head2 -dump_at_DIE

Installs a C<__DIE__> hook that dumps when an exception is about to end the
program (not inside C<eval>, not while compiling), then rethrows it. A
previously installed C<__DIE__> hook remains in effect while handling.

=head2 -dump_at_WARN

Installs a C<__WARN__> hook that dumps on every warning, then re-issues the
warning. Combine with C<NNN> in the file name to keep every dump.

=head2 -dump_at_END

Dumps from an C<END> block, just before the interpreter exits.

=head2 -dump_at_SIGQUIT

Dumps whenever C<SIGQUIT> arrives; the handler stays installed, so it can
be used repeatedly (e.g. C<kill -QUIT PID>, or Ctrl-\ on a terminal - which
also reaches any children in the foreground process group).

=head2 -dump_at_SIGI<NAME>

For any other signal name (C<-dump_at_SIGUSR1>, C<-dump_at_SIGINT>,
C<-dump_at_SIGABRT>, ...): dumps when the signal arrives, then restores the
default disposition and sends the signal to the process again, so it
usually terminates as it would have. C<SIGABRT> is handled "unsafely"
(immediately, not deferred to the next Perl op) so that a dump can capture
the state of XS or C code that called C<abort()>. An unknown name dies with
C<Unrecognised signal name SIGFOO>.

=head2 -file PATH

The dump file name. The default is the basename of C<$0> with C<.pmat>
appended; for one-liners (C<$0> is C<-e> or C<-E>) it is prefixed with
C<perl> (C<perl-e.pmat>). The name is made absolute at import time, so a
later C<chdir> does not move the dump. The first C<NNN> in the name is
replaced by a serial number for each hook-triggered dump, zero-padded to three
digits (C<000>, C<001>, ...) so that a shell glob such as C<app-*.pmat> lists
the dumps in the order they were written (as C<pmat-leakreport> wants them).
Devel::MAT::Dumper writes C<0>, C<1>, ..., C<10> instead, which a glob sorts
as C<0 1 10 2 ...>.

=head2 -max_string N

The maximum number of bytes of each string value to store (default 256).
The full length is always recorded. A negative value stores whole strings;
0 stores none. Also settable as C<$Devel::PMAT::MAX_STRING>.

=head2 -eager_open

Creates the dump file at import time (under the name as given, without
C<NNN> substitution), for programs that later change user, change
directory or run out of file descriptors. Only the C<END> dump uses it,
and it prints no message. (If the program forks, only the importing
process uses the eagerly opened file.)

=head2 -fork

Hook-triggered dumps are written by a forked child; see L</FORKED DUMPS>.

=head2 -compress=zstd, -compress=gzip

Hook-triggered dumps are compressed; see L</COMPRESSION>.

=head2 -format=0.6, -format=0.5, -format=0.4

The file format of every dump that does not ask for one (it sets
C<$Devel::PMAT::FORMAT>); see L</FILE FORMATS>. Also spelt
C<-format 0.4>. Any other version dies with
C<Unrecognised Devel::PMAT format ...>.

Any other option dies with C<Unrecognised Devel::PMAT import symbol OPT>.

=head1 HOOK-TRIGGERED DUMPS

=head2 The call stack at the moment of the hook

Perl runs a C<__DIE__> or C<__WARN__> hook, a signal handler, a sort
block, and also C<DESTROY>, tie, overload and C<END> code, on a context
stack of its own, linked to the one of the code it interrupted. The dump
records the call frames of every one of these stacks, innermost first, so
a dump made by C<-dump_at_DIE> shows (in C<pmat>'s C<callers>) the hook
sub, then the sub that died, its callers with their arguments, and any
C<eval>, sort block or signal handler they were called from - the state
of the program at the moment of death. The same holds for C<dump()>
called from such code.

The hook subs call the dumper directly with the file name as the only
argument, so the dumper adds no frame of its own and the argument stack
(C<stack>) holds just that name: C<callers> and C<stack> of a dump by this
module read exactly like those of a L<Devel::MAT::Dumper> dump of the same
program, except for the name of the hook sub (C<&Devel::PMAT::__ANON__>,
C<&Devel::PMAT::END>; with C<-eager_open>, the handle's glob
C<*Devel::PMAT::$dumpfh>). (A C<die> inside a signal handler is rethrown by
perl after the handler has returned, so a C<-dump_at_DIE> dump then shows
only the frames the signal interrupted - with either module.)

=head2 When the dump cannot be written

A hook never replaces what the program was doing with an error of its own:
if the dump fails (no such directory, disk full, ...) the reason is printed
on STDERR (C<Cannot open FILE for writing - REASON>) and the program's own
exception, warning or signal goes on as without the hook, with the same
message and the same exit status (C<$!> is left as the program had it;
Devel::MAT::Dumper 0.46 lets its own error replace the exception and its
own C<errno> become C<die>'s exit status). As with C<dump>, a failed dump
leaves no file behind.

Running out of file descriptors is the common way for a program to die
that needs a dump most. So while a C<-dump_at_*> hook is installed, the
module holds one descriptor in reserve (an anonymous C<memfd>, placed at
the top of the descriptor range, C<min(RLIMIT_NOFILE, 1024) - 1>, so that
the program's own descriptors keep their usual numbers; it is
close-on-exec). When creating the dump file fails with C<EMFILE> or
C<ENFILE>, the reserve is closed, the file is created in its place, and
the reserve is taken again after the dump. A program that closes every
descriptor it does not know (a daemon) closes the reserve too; a
descriptor that later reuses its number is recognised as not ours and
left alone. Calls of C<dump> from code benefit from the reserve while it
is held.

=head1 FORKED DUMPS

With C<fork =E<gt> 1> (or C<-fork>) the process forks, and the copy writes
the dump from its copy-on-write snapshot of memory while the program
continues at once. The program pauses only for the kernel to copy its page
tables (about 1-2 ms per 100 MB of heap on an idle machine), against the
seconds a direct dump of a large heap takes. The dump reflects the moment
of the call. Memory use grows only by the pages the program modifies while
the dump is being written.

The child is kept out of the program's own child handling:

=over 4

=item *

It is created with a raw C<clone(2)> whose exit signal is 0. The kernel
sends no C<SIGCHLD> when it exits, and C<wait()>, C<waitpid(-1, ...)> and
Perl's C<wait>/C<waitpid> in the program never return it (they only see
ordinary children). So a program's C<$SIG{CHLD}> handler and its reaping
loops see exactly the children they made.

=item *

That child only C<fork()>s the writer and exits immediately; the writer is
thereby reparented to init (or the nearest subreaper), which reaps it.

=item *

The exited clone child is reaped by pid (C<waitpid(PID, __WCLONE|WNOHANG)>)
at the next call of C<dump> and at C<END>; until then it is a zombie that
occupies a process-table slot and nothing else.

=back

The writer never runs Perl code (no C<END> blocks, no destructors); it
leaves with C<_exit>. Because the dump is renamed into place only when
complete, waiting for the file to appear is a reliable way to know it is
finished. Errors in the writer are reported on STDERR
(C<Devel::PMAT: Cannot write ...>) and leave no file.

=head1 FILE CREATION AND SECURITY

B<A heap dump contains everything the program had in memory: passwords,
API keys, session tokens, private keys, personal data.> Treat dump files as
secrets: keep them out of shared or world-readable directories, don't
attach them to bug reports, and delete them when finished.

To make that easier, C<dump> never exposes or leaves a partial file:

=over 4

=item *

It writes to C<PATH.tmp.PID>, created with
C<O_CREAT|O_EXCL|O_NOFOLLOW> and mode C<0600> (only the owner can read
it; the umask can only make it stricter). A file or symlink planted at the
temporary name makes the dump fail rather than write through it.

=item *

When the dump is complete the file is renamed to C<PATH>. A symlink at
C<PATH> is replaced, never followed, so a planted link cannot make the dump
overwrite another file.

=item *

On any write error (C<ENOSPC>, C<EIO>, C<EFBIG>, ...) the temporary file
is removed and C<dump> croaks with C<Cannot write PATH - REASON>.
C<SIGXFSZ> is ignored during the dump, so exceeding C<RLIMIT_FSIZE>
(C<ulimit -f>) is such an error instead of killing the program.

=back

C<dumpfh> writes to the caller's handle as is.

=head1 COMPRESSION

C<compress =E<gt> "zstd"> (libzstd, level 1) or C<"gzip"> (zlib, level 1)
compresses the stream as it is written; the file name gains C<.zst> or
C<.gz> unless it already ends so. Dumps compress very well (typically to
10-20%). Devel::MAT itself cannot read compressed files: decompress them
first (C<zstd -d>, C<gunzip>), or use this project's C<pmat>, which reads
them directly.

=head1 EXTRA ROOTS

   push @Devel::PMAT::MORE_ROOTS, "+the request cache" => \%cache;

Pairs of a name and a reference in C<@Devel::PMAT::MORE_ROOTS> are written
as extra roots, naming the referenced SV. A leading C<+> or C<-> in the
name makes Devel::MAT treat the root as strong or weak. The pairs XS
modules register with C<DMD_ADD_ROOT> (in
C<@Devel::MAT::Dumper::MORE_ROOTS>, holding the SV itself) are written too.

=head1 FILE FORMATS

Which format to write depends on the L<Devel::MAT> that will read the file:

=over 4

=item 0.6 (the default)

What L<Devel::MAT::Dumper> 0.48 to 0.52 write, on every perl. Read by
L<Devel::MAT> 0.53 and later and by this project's C<pmat>. Compared with
0.4 it adds the objects, classes and fields of C<use feature 'class'>,
the mortals (the temporaries stack), and the addresses of shared hash
keys (HEKs): of every hash key, of the names of globs and subs, and of
strings that share their buffer with a key (a C<PV_SHARED_HEK> record);
Devel::MAT's C<strtab> command uses them.

=item 0.5

Format 0.4 plus the objects, classes and fields of C<use feature 'class'>
and the mortals, without the HEK addresses: for L<Devel::MAT> 0.48 to 0.52
on a perl with classes. (0.51 and 0.52 warn when loading it that its
support is experimental.)

=item 0.4

What L<Devel::MAT::Dumper> 0.46 writes (on perls without classes), for
L<Devel::MAT> 0.52 and earlier, e.g. Debian 12's 0.51. It has no record for
an object of C<use feature 'class'>: objects are left out and classes are
written as plain stashes.

=back

=head1 COMPATIBILITY WITH Devel::MAT

The file holds the same records as L<Devel::MAT::Dumper>'s in the same
format (0.52's for 0.6, 0.46's for 0.4): the header and size tables; the
same roots in the same order (with the extra roots of
C<@Devel::MAT::Dumper::MORE_ROOTS> and C<@Devel::PMAT::MORE_ROOTS>); the
argument stack; every SV of every arena (freed slots skipped; C<SVt_NULL>
and undefined scalars as UNDEF; booleans as YES/NO; references as REF;
named hashes as STASH, those of classes as CLASS with their fields and
C<ADJUST> blocks; objects as OBJECT with their field values; code with its
pad names (and which of them are fields of which class), pads and the pad
indexes of the constants and globs its op tree uses; IO file numbers;
LVALUE; REGEXP; FORMAT; INVLIST); MAGIC records with their virtual table
address; the C<local> records from the save stack; the sub/eval call
contexts of every context stack (see L</HOOK-TRIGGERED DUMPS>), innermost
first; and the mortals. Sizes are computed with the
same formulas, so C<count>, C<largest> and C<size> agree with dumps from
Devel::MAT::Dumper. Two dumps of the same state by both modules differ only
in the few SVs each dump call itself creates.

Differences: SV types this module does not know (from a newer perl) are
left out rather than written as an unreadable record; the save-stack walk
knows every entry type of the running perl, so it does not stop early; the
file name argument comes back as the return value. In format 0.6 a named
sub's record carries the address of its name's HEK, which
Devel::MAT::Dumper 0.48 to 0.52 leave NULL (they test for a C<CvNAME_HEK>
macro that perl has turned into a function), so Devel::MAT's C<show> of it
prints a C<name_hek> line. Devel::MAT::Dumper 0.47 and later compute the
linear C<@ISA> of every object's class while dumping, which can create
SVs (and mortals pointing at them) after their arena slot was written, so
that Devel::MAT warns "marked mortal but there is no SV"; this module
allocates nothing while it walks, so every mortal it writes is in the
file. Devel::MAT::Dumper 0.50 crashes on a class without fields; this
module does not.

XS modules that support Devel::MAT::Dumper through
L<Devel::MAT::Dumper::Helper> work unchanged: package and magic helpers
registered in C<PL_modglobal> are called, their annotations written, and
C<DMD_DUMP_STRUCT> writes struct records through the C<writestruct()>
entry point this module publishes. If Devel::MAT::Dumper is loaded too and
has published its own entry point, helpers are not called by this module
(they would hand our context to the other dumper).

=head1 SEE ALSO

L<Devel::MAT>, L<Devel::MAT::Dumper>, the C<pmat> program of this project.

=cut
