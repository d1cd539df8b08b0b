#!/usr/bin/perl
# The interactive shell on a terminal (our additions, docs/compat.md "Interactive
# shell"): Tab completes command names, option names, symbol names and the addresses of
# SVs printed recently; Ctrl-C at the prompt abandons the line and the shell carries on;
# history is kept in ~/.pmat_history (here $PMAT_HISTORY) and read back next time.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use PMATTest;
use POSIX ();

need_ours();
eval { require IO::Pty; 1 } or plan skip_all => "IO::Pty not installed (apt-get install libio-pty-perl)";

my $OURS = $ENV{PMAT_BIN} // repo_root() . "/bin/pmat";
my $DUMP = dump_of( "scalars" );
my $HIST = "$PMATTest::TMP/cli-interactive-history.$$";
END { unlink $HIST if $HIST }

# Run pmat on a fresh pty, typing each input after the prompt shows; returns the screen
# text (CRLF -> LF) and the exit status.
sub on_pty
{
   my ( $inputs, %opt ) = @_;
   my $pty = IO::Pty->new;
   my $pid = fork // die;
   if( !$pid ) {
      $pty->make_slave_controlling_terminal;   # so Ctrl-C raises SIGINT
      my $slave = $pty->slave;
      close $pty;
      open STDIN, "<&", $slave or die; open STDOUT, ">&", $slave or die;
      open STDERR, ">&", $slave or die;
      $ENV{TERM} = "xterm";
      $ENV{NO_COLOR} = 1;
      $ENV{PMAT_HISTORY} = $HIST;
      exec $OURS, "-q", $DUMP or POSIX::_exit( 127 );
   }
   $pty->close_slave;
   my ( $buf, $mark ) = ( "", 0 );
   my $read = sub {
      my ( $until, $timeout ) = @_;
      my $end = time + $timeout;
      while( time <= $end ) {
         return 1 if defined $until and substr( $buf, $mark ) =~ $until;
         my $rin = ""; vec( $rin, fileno $pty, 1 ) = 1;
         select( my $rout = $rin, undef, undef, 0.2 ) or next;
         my $n = sysread $pty, my $chunk, 65536;
         return 0 unless $n;
         $buf .= $chunk;
      }
      return 0;
   };
   foreach my $in ( @$inputs ) {
      $read->( qr/pmat(?: \[more\])?> \z/, 20 );
      select undef, undef, undef, 0.1;   # (as t/cli-basic.t: let the line editor settle)
      $mark = length $buf;
      # type a line in pieces (Tab needs the text before it to be read first)
      for my $piece ( split m/(?<=\t)|(?=\x03)/, $in ) {
         syswrite $pty, $piece;
         select undef, undef, undef, 0.3;
      }
   }
   $read->( undef, 10 );
   # (the inputs end in quit: never a wait for ever, PMATTest::pty_finish)
   my $status = PMATTest::pty_finish( $pid, $pty, $inputs->[-1], $read, \$buf, "pmat" );
   $buf =~ s/\r\n/\n/g;
   return ( $buf, $status );
}

my $addr = do {
   my $r = run_ours( $DUMP, "largest", "1" );
   ( $r->{out} =~ m/ at (0x[0-9a-f]+)/ )[0];
};
my $prefix = substr $addr, 0, length( $addr ) - 3;

my ( $t, $st ) = on_pty( [ "larg\t 1\r", "show $prefix\t\r", "count --bl\t\r",
   "show %main::EN\t\r", "summ\x03", "help\r", "quit\r" ] );
like( $t, qr/^others: /m, "Tab completes a command name (larg -> largest)" );
like( $t, qr/^\S+ at \Q$addr\E\S* with refcount/m, "Tab completes a recently printed address" );
like( $t, qr/^      \S+ +0 +\d+ /m, "Tab completes an option name (--bl -> --blessed)" );
like( $t, qr/^  named as %main::ENV$/m, "Tab completes a symbol name (%main::EN -> %main::ENV)" );
like( $t, qr/\^C\n.*pmat> .*help +- Display a list of available commands/s,
   "Ctrl-C abandons the line; the shell carries on" );
unlike( $t, qr/Heap contains/, "... without running the abandoned line" );
is( $st, 0, "quit: exit 0" );

ok( -s $HIST, "history written to \$PMAT_HISTORY" );
my $hist = do { local ( @ARGV, $/ ) = $HIST; <> // "" };
$hist =~ s/\\(\d{3})/chr oct $1/ge;   # libedit's history file escapes spaces as \040
like( $hist, qr/^count --blessed $/m, "... with the completed lines" );

( $t ) = on_pty( [ "\x10\x10\r", "quit\r" ] );
like( $t, qr/help +- Display a list/, "the next session recalls the history (Ctrl-P twice: help)" );

done_testing;
