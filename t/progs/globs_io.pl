#!/usr/bin/perl
# globs_io.pl - GLOBs with every slot (scalar, array, hash, code, io, form, egv), aliased
# globs (a strong egv), glob copies in scalars, anonymous globs (Symbol::gensym), a glob
# whose stash is gone, and IO handles in every state: a file read, a file written,
# read/write, pipes, a child process (fdpid), dup'd and fdopen'd handles, a closed
# handle, an in-memory handle, a directory handle, a socketpair, DATA, and FORMATs.
#   perl t/progs/globs_io.pl OUT.pmat
use strict;
use warnings;
use Devel::MAT::Dumper;
use Symbol qw( gensym );

my $scratch = "$ARGV[0].scratch";

# A glob with every slot filled.
our $FULL = "full scalar";
our @FULL = ( 1, 2 );
our %FULL = ( k => "v" );
open( FULL, "<", $0 ) or die "Cannot open $0 - $!";
my $first_line = <FULL>;
sub FULL { return "full code" }    # (after the bareword uses, which it would shadow)
format FULL =
@<<<<<<<<<< @>>>>
$FULL,      $FULL[0]
.

# Aliases: *ALIAS shares *FULL's GP; its egv is *FULL.
{ no warnings 'once'; *ALIAS = *FULL; }
# Slot-only aliases.
{ no warnings 'once'; *SCALAR_ALIAS = \$FULL; *CODE_ALIAS = \&FULL; }

# Glob copies and references.
our $GLOB_COPY = *STDOUT;
our $GLOB_REF  = \*FULL;
my  $lex_glob_copy = *STDERR;

# Anonymous globs.
our $GENSYM = gensym;
open( $GENSYM, "<", $0 ) or die;
our $ANON_GLOB = do { no warnings 'once'; local *ANON_GLOB_NAME; \*ANON_GLOB_NAME };

# A glob whose stash was removed from the symbol table.
{ no warnings 'once'; $Vanishing::thing = 1; }
our $VANISHED_GLOB = \*Vanishing::thing;
delete $main::{"Vanishing::"};

# Bareword handles and lexical handles in every state.
open( BARE_READ, "<", $0 ) or die;
open( my $write_fh, ">", $scratch ) or die "Cannot write $scratch - $!";
print $write_fh "scratch\n";
open( my $rw_fh, "+<", $scratch ) or die;
pipe( my $pipe_r, my $pipe_w ) or die "pipe - $!";
open( my $child_fh, "-|", $^X, "-e", "print qq(child\\n)" ) or die "fork - $!";
open( my $dup_fh, ">&", \*STDOUT ) or die "dup - $!";
open( my $fdopen_fh, ">&=", fileno( STDERR ) ) or die "fdopen - $!";
open( my $closed_fh, "<", $0 ) or die; close( $closed_fh );
my $mem_buf = "in memory\n";
open( my $mem_fh, "<", \$mem_buf ) or die;
open( my $mem_out, ">", \my $mem_target ) or die;
opendir( my $dir_fh, "." ) or die;
socketpair( my $sock_a, my $sock_b, 1, 1, 0 ) or die "socketpair - $!";   # AF_UNIX, SOCK_STREAM
our $DATA_LINE = <DATA>;
our %HANDLES = ( write => $write_fh, pipe_r => $pipe_r, pipe_w => $pipe_w, child => $child_fh,
                 dup => $dup_fh, fdopen => $fdopen_fh, closed => $closed_fh, mem => $mem_fh,
                 dir => $dir_fh, sock => $sock_a, rw => $rw_fh );
our $IO_ONLY = *BARE_READ{IO};

# Formats.
format STDOUT_TOP =
Top of page
.
format STDOUT =
@<<<< @###.##
$FULL, 3.14159
.
format LONELY =
just text
.
our $FORMAT_REF = *LONELY{FORMAT};

Devel::MAT::Dumper::dump( $ARGV[0] );

close $child_fh;
unlink $scratch;

__DATA__
data line one
data line two
