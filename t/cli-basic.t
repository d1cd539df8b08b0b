#!/usr/bin/perl
# The pmat shell against the oracle (Devel::MAT 0.51's /usr/bin/pmat): banner, help,
# tools, time, option and SV-argument errors, unknown commands, and the interactive
# loop through a pipe and through a pseudo-terminal.  Under CI a missing oracle or
# IO::Pty is a failure, not a skip.
use strict;
use warnings;

use FindBin;
use File::Spec;
use POSIX ();
use Time::HiRes qw( sleep );
use Test::More;

my $ROOT   = File::Spec->rel2abs( "$FindBin::Bin/.." );
my $ORACLE = $ENV{PMAT_ORACLE} // "/usr/bin/pmat";
my $OURS   = $ENV{PMAT_BIN} // "$ROOT/bin/pmat";

plan skip_all => "bin/pmat is not built" unless -x $OURS;
my $HAVE_ORACLE = -x $ORACLE;
# under CI nothing may be skipped for want of the oracle or IO::Pty (the terminal block)
if( $ENV{CI} and ( !$HAVE_ORACLE or !eval { require IO::Pty; 1 } ) ) {
   plan tests => 1;
   fail( "CI: the oracle $ORACLE and IO::Pty (libio-pty-perl, scripts/deps.sh) are installed" );
   exit 1;
}

# ---- the dump ----
my $DUMP = "$ROOT/t/tmp/cli-basic.pmat";
unless( -s $DUMP ) {
   mkdir "$ROOT/t/tmp";
   my $tmp = "$DUMP.$$";
   system( $^X, "-MDevel::MAT::Dumper", "-e", 'Devel::MAT::Dumper::dump(shift)', $tmp ) == 0
      or BAIL_OUT( "cannot make a dump" );
   rename $tmp, $DUMP or BAIL_OUT( "rename: $!" );
}

# ---- running ----
sub slurp { my ( $f ) = @_; open my $fh, "<:raw", $f or return ""; local $/; my $s = <$fh>; $s // "" }

my $N = 0;
# run( \@argv, stdin => STRING, env => {...} ) -> { out, err, rc }
sub run
{
   my ( $argv, %opt ) = @_;
   my $base = "$ROOT/t/tmp/cli-basic.$$." . $N++;
   my $pid = fork // die "fork: $!";
   if( !$pid ) {
      if( defined $opt{stdin} ) {
         open my $in, ">:raw", "$base.in" or die; print $in $opt{stdin}; close $in;
         open STDIN, "<", "$base.in" or die;
      }
      else {
         open STDIN, "<", "/dev/null" or die;
      }
      open STDOUT, ">", "$base.out" or die;
      open STDERR, ">", "$base.err" or die;
      $ENV{$_} = $opt{env}{$_} for keys %{ $opt{env} // {} };
      exec { $argv->[0] } @$argv or POSIX::_exit( 127 );
   }
   waitpid $pid, 0;
   my %r = ( rc => $? >> 8, out => slurp( "$base.out" ), err => slurp( "$base.err" ) );
   unlink "$base.out", "$base.err", "$base.in";
   return \%r;
}

sub ours   { run( [ $OURS,   "-q", $DUMP, @_ ] ) }

# The oracle is slow to start (~0.5s a run): fetch every result we need in one batch
# through the shared harness (t/lib/PMATTest.pm: one process, on-disk cache) when it is
# available, else run /usr/bin/pmat each time.
my %ORACLE_CACHE;
sub prefetch_oracle
{
   my @cmds = @_;
   my @res = eval {
      require lib; lib->import( "$FindBin::Bin/lib" );
      require PMATTest;
      PMATTest::oracle_many( $DUMP, \@cmds );
   } or return note "oracle batch unavailable, running it per command: $@";
   $ORACLE_CACHE{ join "\0", @{ $cmds[$_] } } = $res[$_] for 0 .. $#cmds;
}
sub oracle
{
   if( my $r = $ORACLE_CACHE{ join "\0", @_ } ) {
      return { out => $r->{out}, err => $r->{err}, rc => $r->{exit} };
   }
   return run( [ $ORACLE, "-q", $DUMP, @_ ] );
}

# Perl's " at FILE line N." on messages and warnings
sub strip_locations { my ( $s ) = @_; $s =~ s/ at \S+ line \d+\.$//mg; $s }

sub same
{
   my ( $name, $args, %opt ) = @_;
   my $o = ours( @$args );
   my $p = oracle( @$args );
   for my $r ( $o, $p ) {
      $r->{err} = strip_locations( $r->{err} );
      $opt{filter}->( $r ) if $opt{filter};
   }
   my $ok = is( $o->{out}, $p->{out}, "$name: stdout" );
   $ok &= is( $o->{err}, $p->{err}, "$name: stderr" );
   $ok &= is( $o->{rc} ? 2 : 0, $p->{rc} ? 2 : 0, "$name: exit status" );
   return $ok;
}

# Which commands do we have?  (our `help` lists them)
my %ours = map { m/^(\S+)\s+- / ? ( $1 => 1 ) : () } split /\n/, ours( "help" )->{out};
ok( scalar keys %ours, "our help lists commands" );

# ---- option errors (through whichever commands exist) ----
my @option_cases = (
   [ qw( identify --nosuch defstash ) ],
   [ qw( identify -Z defstash ) ],
   [ qw( identify -1 defstash ) ],
   [ qw( identify defstash -d ) ],
   [ qw( identify -d abc defstash ) ],
   [ qw( identify -d 0x10 defstash ) ],
   [ qw( identify --no-elide-x defstash ) ],
   [ qw( elems -c ) ],
   [ qw( elems -c x @main::INC ) ],
   [ qw( values --count=5 %main:: ) ],
   [ qw( show --full-pvx defstash ) ],
   [ qw( callers --nosuch ) ],
   [ qw( count -x ) ],
   [ qw( largest --nope ) ],
   [ qw( symbols -Q ) ],
   [ qw( packages --versions=1 ) ],
   [ qw( find -Z ) ],
   [ qw( find cv -p ) ],
   [ qw( find magic --vtbl zz ) ],
   [ qw( find magic --vtbl ) ],
   [ qw( find pv ) ],
);
# ("0x" and "0x1g" are errors of ours, not 0.51's warning + lookup: t/cli-conventions.t)
my @sv_args = ( undef, "zzz", "1234", "0x1", "0", "0X10", "0123", "1e3", "1.5",
                "fdpid", "fdpidav", '$main::no_such_var', '@main::nope',
                '%No::Such::', '&main::nope', "18446744073709551616" );
my @ALL_CMDS = qw( callers count elems find help identify inrefs largest list-dangling-ptrs
   more outrefs packages roots show size stack summary symbols time tool tools values );
my @FILTERS = qw( blessed cv io lexical magic num pv struct );
prefetch_oracle(
   [ "summary" ], [ "help" ], ( map { [ "help", $_ ] } @ALL_CMDS, "nosuch" ),
   ( map { [ "help", "find", $_ ] } @FILTERS ),
   [ "tools" ], [ "tool", "Sizes" ], [ "tool", "Reachability" ], [ "more" ],
   [ "time", "summary" ], [ "time", "tools" ], [ "nosuch", "x" ], [ "time", "nosuch" ],
   @option_cases,
   ( map { my $c = $_; map { [ $c, defined $_ ? $_ : () ] } @sv_args } qw( size show identify outrefs inrefs ) ),
   [ "size", "-1" ],
) if $HAVE_ORACLE;

my ( @oracle_cmds, @missing, @extra );
SKIP: {
skip "the oracle $ORACLE is not installed", 1 unless $HAVE_ORACLE;

@oracle_cmds = map { m/^(\S+)\s+- / ? $1 : () } split /\n/, oracle( "help" )->{out};
cmp_ok( scalar @oracle_cmds, ">=", 20, "the oracle lists its commands" );
@missing = grep { !$ours{$_} } @oracle_cmds;
is( "@missing", "", "every command of the oracle's help is ours" );
@extra = grep { my $c = $_; !grep { $_ eq $c } @oracle_cmds } sort keys %ours;
# pmat's own commands beyond 0.51's: exactly the documented extensions (docs/compat.md
# "extensions") and the two commands of Devel::MAT 0.56 (stop, strtab: t/strtab.t
# compares them with 0.56)
is( "@extra", "dominators path retained stop strtab unreachable",
   "our own commands are the documented extensions and 0.56's" );
my %both = map { $_ => 1 } grep { $ours{$_} } @oracle_cmds;

sub have { my @need = grep { !$ours{$_} } @_; return !@need }

# ---- banner and summary ----
same( "summary", [ "summary" ] );
{
   my $o = run( [ $OURS,   $DUMP, "summary" ] );
   my $p = run( [ $ORACLE, $DUMP, "summary" ] );
   is( $o->{out}, $p->{out}, "banner + summary (summary twice)" );
   like( $o->{out}, qr/\A(?:Perl memory dumpfile from perl 5\.\d+\.\d+ (?:non-)?threaded\nHeap contains \d+ objects\n){2}\z/,
      "summary format" );
   is( $o->{err}, "", "no progress on a non-terminal stderr" );
}

# ---- help ----
# in full, less the lines of our extension commands (compat.md "extensions")
{
   my %ext = map { $_ => 1 } @extra;
   same( "help", [ "help" ], filter => sub {
      $_[0]{out} = join "", grep { !( m/^(\S+)\s+- / and $ext{$1} ) } split m/^/m, $_[0]{out} } );
}
foreach my $cmd ( @oracle_cmds ) {
   next if $cmd eq "help"; # deliberately different, see below
   # values/elems have 0.56's options: compared with the oracle declaring them too
   # (t/lib/PMATFixes.pm "newopts"), below
   next if $cmd eq "values" or $cmd eq "elems";
   SKIP: {
      skip "$cmd not registered", 3 unless $ours{$cmd};
      # pmat's added options (--retained, count's --package) are left out of the
      # comparison: compat.md "extensions", "count -b: --all, --package"
      same( "help $cmd", [ "help", $cmd ],
         filter => sub { $_[0]{out} = PMATTest::without_extensions( $_[0]{out} =~ s/^  --package .*\n//mr ) } );
   }
}
foreach my $cmd ( grep { $ours{$_} } qw( values elems ) ) {
   require PMATTest;
   my $r = PMATTest::run_cmd( [ $^X, "-I$ROOT/t/lib", "-MPMATFixes", $ORACLE, "-q", $DUMP, "help", $cmd ] );
   is( ours( "help", $cmd )->{out}, $r->{out}, "help $cmd: stdout (0.56's options)" );
}
SKIP: {
   skip "find not registered", 1 unless $ours{find};
   my $list = oracle( "help", "find" )->{out};
   foreach my $filter ( $list =~ m/^  find (\S+) - /mg ) {
      same( "help find $filter", [ "help", "find", $filter ] );
   }
}
{
   # help help: 0.51 crashes; we print a normal page (docs/compat.md)
   is( ours( "help", "help" )->{out}, <<'EOF', "help help (deliberate difference)" );
help - Display a list of available commands

SYNOPSIS:
  help $CMDNAME

ARGUMENTS:
  $CMDNAME...    name of a command to display more help
EOF
}
same( "help nosuch", [ "help", "nosuch" ] );

# ---- tools, tool, time, more ----
same( "tools", [ "tools" ] );
same( "tool Sizes", [ "tool", "Sizes" ] );
same( "tool Reachability", [ "tool", "Reachability" ] );
same( "more", [ "more" ] );
{
   my $numbers = sub { $_[0]{out} =~ s/Loaded in \d+\.\d{3}s, ran in \d+\.\d{3}s/Loaded in N, ran in N/g };
   same( "time summary", [ "time", "summary" ], filter => $numbers );
   same( "time tools", [ "time", "tools" ], filter => $numbers );
   like( ours( "time", "summary" )->{out}, qr/\n\nLoaded in \d+\.\d{3}s, ran in \d+\.\d{3}s\n\z/,
      "time format" );
}
{
   my $r = ours( "tool", "NoSuchTool" );
   is_deeply( [ $r->{out}, $r->{err}, $r->{rc} ], [ "", "No such tool 'NoSuchTool'\n", 2 ],
      "tool with an unknown name (deliberate difference)" );
}

# ---- unknown commands ----
same( "unknown command", [ "nosuch", "x" ] );
same( "unknown command after time", [ "time", "nosuch" ] );

foreach my $case ( @option_cases ) {
   SKIP: {
      skip "$case->[0] not registered", 3 unless $ours{ $case->[0] };
      same( "option error: @$case", $case );
   }
}
SKIP: {
   skip "identify / show not registered", 2 unless have( "identify" ) || have( "show" );
   my @cmd = have( "show" ) ? ( "show", "--full-pv" ) : ( "identify", "--no-elide" );
   my $o = ours( @cmd, "defstash" );
   is( $o->{err}, "", "dash spelling @cmd accepted (deliberate difference)" );
   my @under = map { s/^--(.*)$/"--" . ( $1 =~ tr{-}{_}r )/er } @cmd;
   is( $o->{out}, ours( @under, "defstash" )->{out}, "... same as @under" );
}

# ---- SV argument errors (through whichever SV-taking commands exist) ----
my ( $svcmd ) = grep { $ours{$_} } qw( size show identify outrefs inrefs );
SKIP: {
   skip "no SV-taking command registered", 1 unless $svcmd;
   foreach my $arg ( @sv_args ) {
      same( "SV argument " . ( $arg // "(none)" ), [ $svcmd, defined $arg ? $arg : () ] );
   }
   same( "SV argument -1", [ "size", "-1" ] ) if $ours{size};
}

} # SKIP oracle

# ---- invocation ----
{
   my $r = run( [ $OURS ] );
   is( $r->{out}, "", "no dumpfile: nothing on stdout" );
   like( $r->{err}, qr/\ANeed dumpfile\n\nUsage: pmat /, "no dumpfile: 0.51's message, then the usage" );
   is( $r->{rc}, 2, "no dumpfile: exit 2" );
   $r = run( [ $OURS, "-x", $DUMP ] );
   is_deeply( [ $r->{err}, $r->{rc} ], [ "Unknown option: x\n", 1 ], "unknown program option" );
   $r = run( [ $OURS, "$ROOT/t/tmp/no-such-file.pmat" ] );
   like( $r->{err}, qr{\Apmat: \S+no-such-file\.pmat: No such file or directory\n\z}, "unreadable file: message" );
   is( $r->{rc}, 2, "unreadable file: exit 2" );
   my $bad = "$ROOT/t/tmp/cli-basic-bad.$$.pmat";
   open my $fh, ">", $bad or die; print $fh "not a dump at all\n"; close $fh;
   $r = run( [ $OURS, $bad ] );
   like( $r->{err}, qr{\Apmat: \Q$bad\E: File magic signature not found at byte 0\n\z}, "bad file: one-line message" );
   is( $r->{rc}, 2, "bad file: exit 2" );
   unlink $bad;
   $r = run( [ $OURS, "--quiet", "--blib", $DUMP, "tools" ] );
   is( $r->{rc}, 0, "--quiet --blib accepted" );
   unlike( $r->{out}, qr/Perl memory/, "--quiet drops the banner" );
   $r = run( [ $OURS, $DUMP, "nosuch" ] );
   like( $r->{out}, qr/\APerl memory dumpfile/, "batch error: banner kept" );
   is( $r->{err}, "Unrecognised command 'nosuch'\n", "batch error: message on stderr" );
   is( $r->{rc}, 2, "batch error: exit 2" );
}

# ---- interactive loop through a pipe (no prompt; see docs/compat.md) ----
{
   my $summary = ours( "summary" )->{out};
   my $r = run( [ $OURS, $DUMP ], stdin => "summary\n\nmore\n  \nnosuch\ntools\nquit\nsummary\n" );
   is( $r->{out}, $summary . $summary . "\n" . "No more\n\n" . "\n" .
      "  Reachability - <no desc>\n  Sizes        - <no desc>\n\n" . "\n",
      "pipe: outputs, blank lines between commands, quit" );
   is( $r->{err}, "Unrecognised command 'nosuch'\n", "pipe: errors on stderr" );
   is( $r->{rc}, 2, "pipe: a command failed: exit 2 (docs/compat.md)" );
   $r = run( [ $OURS, "-q", $DUMP ], stdin => "summary\ntools\n" );
   is( $r->{rc}, 0, "pipe: every command succeeded: exit 0" );
   $r = run( [ $OURS, "-q", $DUMP ], stdin => "tool Sizes\ntools" );
   is( $r->{out}, "\n  Reachability - <no desc>\n* Sizes        - <no desc>\n\n\n",
      "pipe: EOF without newline ends the loop; tools remembered" );
   $r = run( [ $OURS, "-q", $DUMP ], stdin => "exit now\nsummary\n" );
   is( $r->{out}, "\n", "pipe: exit" );
   $r = run( [ $OURS, "-q", $DUMP ], stdin => qq(help "summary"\n) );
   like( $r->{out}, qr/\Asummary - Print basic/, "pipe: quoted token" );
}

# ---- through a pseudo-terminal: prompt, colours, progress ----
SKIP: {
   eval { require IO::Pty; 1 } or skip "IO::Pty not installed (apt-get install libio-pty-perl; a failure under CI)", 1;

   # Run argv on a fresh pty; feed lines one by one, each after the prompt (or after a
   # pause); return everything the terminal showed.
   my $on_pty = sub {
      my ( $argv, $lines, %opt ) = @_;
      my $pty = IO::Pty->new;
      my $pid = fork // die;
      if( !$pid ) {
         POSIX::setsid();
         my $slave = $pty->slave;
         close $pty;
         open STDIN, "<&", $slave or die; open STDOUT, ">&", $slave or die;
         open STDERR, ">&", $slave or die;
         $ENV{TERM} = "xterm";
         delete $ENV{NO_COLOR};
         $ENV{$_} = $opt{env}{$_} for keys %{ $opt{env} // {} };
         exec { $argv->[0] } @$argv or POSIX::_exit( 127 );
      }
      $pty->close_slave;
      my $buf = "";
      my $mark = 0; # only output after the last input counts as a new prompt
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
      my $prompt = qr/pmat(?: \[more\])?>(?:\e\[24m)? (?:\e\[24m)?(?:\e\[1m)?\z/;
      foreach my $line ( @$lines ) {
         $read->( $prompt, 20 );
         # (a moment for the line editor to settle in its raw mode after drawing the prompt:
         # a key typed into the terminal while it switches modes can be lost)
         sleep 0.1;
         $mark = length $buf;
         syswrite $pty, $line;
      }
      $read->( undef, $opt{tail} // 20 );
      # (the lines end in quit or Ctrl-D: never a wait for ever, PMATTest::pty_finish)
      PMATTest::pty_finish( $pid, $pty, @$lines ? $lines->[-1] : undef, $read, \$buf, "'@$argv'" );
      return $buf;
   };
   my $plain = sub { my $s = $_[0]; $s =~ s/\r\n/\n/g; $s };

   my $t = $on_pty->( [ $OURS, $DUMP ], [ "help\r", "more\r", "nosuch\r", "tools\r", "quit\r" ] );
   $t = $plain->( $t );
   like( $t, qr/\r\e\[KLoading file/, "pty: progress on the terminal's stderr" );
   like( $t, qr/\e\[4mpmat>\e\[24m /, "pty: underlined prompt" );
   like( $t, qr/^\e\[1;33mhelp\e\[m +- Display a list of available commands$/m, "pty: coloured help list" );
   like( $t, qr/\e\[1;33mNo more\e\[m\n\n/, "pty: coloured No more, then a blank line" );
   like( $t, qr/Unrecognised command 'nosuch'\n\n/, "pty: error then blank line" );
   like( $t, qr/^  \e\[1;33mReachability\e\[m - <no desc>$/m, "pty: coloured tools" );

   $t = $plain->( $on_pty->( [ $OURS, "-q", $DUMP ], [ "summary\r", "\x04" ] ) );
   unlike( $t, qr/Loading file/, "pty: no progress with -q" );
   like( $t, qr/Heap contains \d+ objects\n\n.*pmat>.*\n\z/s, "pty: EOF (Ctrl-D) leaves with a newline" );

   $t = $plain->( $on_pty->( [ $OURS, "-q", $DUMP, "help" ], [], env => { NO_COLOR => 1 } ) );
   unlike( $t, qr/\e\[/, "pty: NO_COLOR turns colours off" );

   SKIP: {
      skip "the oracle is not installed", 1 unless $HAVE_ORACLE;
      # the same coloured batch output, byte for byte
      foreach my $cmd ( ( @missing || @extra ? () : [ "help" ] ), [ "help", "tool" ], [ "tools" ], [ "more" ],
                        ( $ours{identify} ? [ "help", "identify" ] : () ),
                        # (not `help elems`/`help values`: they have 0.56's options, compat.md)
                        ( $ours{show} ? [ "help", "show" ] : () ) ) {
         my $o = $plain->( $on_pty->( [ $OURS, "-q", $DUMP, @$cmd ], [], tail => 20 ) );
         # identify's added --fold row (compat.md "extensions") is not the oracle's
         $o =~ s/^  \e\[1;36m--fold\e\[m .*\n//m if "@$cmd" eq "help identify";
         my $p = $plain->( $on_pty->( [ $ORACLE, "-q", $DUMP, @$cmd ], [], tail => 20 ) );
         is( $o, $p, "pty: coloured '@$cmd' identical to the oracle's" );
      }
   }

   SKIP: {
      skip "find not registered", 1 unless $ours{find};
      $t = $plain->( $on_pty->( [ $OURS, "-q", $DUMP ], [ "find\r", "\r", "quit\r" ] ) );
      like( $t, qr/pmat \[more\]>(?:\e\[[0-9;]*m)* /, "pty: [more] prompt while a listing is pending" );
   }
}

done_testing;
