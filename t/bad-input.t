#!/usr/bin/perl
# Bad dumps: every class of damage gets exactly one line
#    pmat: FILE: <what went wrong> at byte N
# on stderr and exit status 2 — never a crash, a hang or a sanitizer report.  Damaged
# files are made from the tiny hand-made dump of t/tools/mkdump.pl, whose --boundaries
# list gives the offset of every section and record.  Data that is merely odd (pointers
# to nowhere, extension records for missing SVs, size tables with short or huge entries)
# must load.  Huge hostile-but-valid inputs must load in linear time.
use strict;
use warnings;
no warnings "portable";

use FindBin;
use File::Path qw( make_path );
use File::Spec;
use IPC::Open3;
use Symbol qw( gensym );
use Test::More;
use Time::HiRes qw( time );

my $ROOT = File::Spec->rel2abs( "$FindBin::Bin/.." );
my $PMAT = $ENV{PMAT_BIN} // "$ROOT/bin/pmat";
plan skip_all => "no $PMAT (run make)" unless -x $PMAT;
my $DIR = "$ROOT/t/tmp/bad-input-$$";
make_path( $DIR );
END { system "rm", "-rf", $DIR if $DIR && -d $DIR }

sub slurp { open my $fh, "<:raw", $_[0] or die "$_[0]: $!"; local $/; scalar <$fh> }
sub spew  { open my $fh, ">:raw", $_[0] or die "$_[0]: $!"; print $fh $_[1]; close $fh or die; $_[0] }

sub run_pmat
{
   my ( @args ) = @_;
   my $err = gensym;
   my $pid = open3( my $in, my $out, $err, "timeout", "-s", "KILL", "60", $PMAT, @args );
   close $in;
   my ( $o, $e );
   { local $/; $o = <$out> // ""; $e = <$err> // "" }
   waitpid $pid, 0;
   return { exit => $? >> 8, signal => $? & 127, out => $o, err => $e };
}

# The file must fail with exactly this message.
sub bad_ok
{
   my ( $name, $bytes, $msg, $at ) = @_;
   my $f = spew( "$DIR/$name.pmat", $bytes );
   my $r = run_pmat( "-q", $f, "summary" );
   my $want = defined $at ? "pmat: $f: $msg at byte $at\n" : "pmat: $f: $msg\n";
   subtest $name => sub {
      is( $r->{signal}, 0, "no signal" );
      is( $r->{exit}, 2, "exit 2" );
      is( $r->{err}, $want, "the error line" );
      is( $r->{out}, "", "nothing on stdout" );
   };
}

# The file must load (exit 0), whatever it warns.
sub loads_ok
{
   my ( $name, $bytes, @cmd ) = @_;
   my $f = spew( "$DIR/$name.pmat", $bytes );
   my $r = run_pmat( "-q", $f, @cmd ? @cmd : "summary" );
   subtest $name => sub {
      is( $r->{signal}, 0, "no signal" );
      is( $r->{exit}, 0, "exit 0" ) or diag $r->{err};
      unlike( $r->{err}, qr/Sanitizer|runtime error/, "no sanitizer report" );
   };
   return $r;
}

# ---- the base dump and its record boundaries ----
my $base = "$DIR/base.pmat";
system( $^X, "$ROOT/t/tools/mkdump.pl", "--mortals", "--boundaries", "$DIR/base.b", $base ) == 0
   or BAIL_OUT( "mkdump.pl failed" );
my $B = slurp( $base );
my @marks = map { [ split / /, $_, 2 ] } split /\n/, slurp( "$DIR/base.b" );
my %first; $first{ $_->[1] } //= $_->[0] for @marks;
my ( $I, $P ) = ( 8, 8 );
my $COMMON = 1 + $P + 4 + $I + $P; # type byte + common part
loads_ok( "the base dump", $B );

# ---- truncation at every record boundary ----
# What the loader was reading when the bytes ran out, by the label of the boundary.
my %reading = ( header => "the header", roots => "the immortal SVs", stack => "the stack size",
   contexts => "the contexts", "context record" => "the contexts", "contexts end" => "the contexts" );
my $n = 0;
for my $m ( @marks ) {
   my ( $off, $label ) = @$m;
   next if $off >= length $B;
   if( $label eq "mortals" ) { # the mortals trailer is optional: ending before it is fine
      loads_ok( "truncated before the mortals", substr( $B, 0, $off ) );
      next;
   }
   my $what = $reading{$label} // "the heap";
   bad_ok( "truncated at $off ($label)", substr( $B, 0, $off ), "unexpected end of file reading $what", $off );
   $n++;
}
cmp_ok( $n, ">", 60, "truncated at $n boundaries" );

# ... and one byte into every record: some "unexpected end of file" at or before the cut
for my $m ( @marks ) {
   my $cut = $m->[0] + 1;
   next if $cut >= length $B || $m->[1] eq "mortals" || $m->[1] eq "contexts end"; # (ending there is valid)
   my $f = spew( "$DIR/cut.pmat", substr( $B, 0, $cut ) );
   my $r = run_pmat( "-q", $f, "summary" );
   ok( !$r->{signal} && $r->{exit} == 2 && $r->{err} =~ /\Apmat: \Q$f\E: unexpected end of file reading [^\n]+ at byte (\d+)\n\z/ && $1 <= $cut,
      "truncated 1 byte into $m->[1] at $m->[0]" ) or diag "exit $r->{exit} signal $r->{signal}: $r->{err}";
}

# ---- header ----
sub patch { my ( $s, $off, $bytes ) = @_; substr( $s, $off, length $bytes ) = $bytes; $s }
bad_ok( "empty file", "", "unexpected end of file reading the header", 0 );
bad_ok( "wrong magic", patch( $B, 0, "PMAX" ), "File magic signature not found", 0 );
bad_ok( "text file", "hello, world\n" x 10, "File magic signature not found", 0 );
bad_ok( "bad flags", patch( $B, 4, "\x36" ), "unrecognised flags 20", 4 );
bad_ok( "bad flags 0x80", patch( $B, 4, "\x96" ), "unrecognised flags 80", 4 );
bad_ok( "zero field not zero", patch( $B, 5, "\x01" ), "'zero' header field is not zero", 5 );
bad_ok( "major version 1", patch( $B, 6, "\x01" ), "format version major unrecognised", 6 );
bad_ok( "minor version 7", patch( $B, 7, "\x07" ), "format version minor unrecognised (7)", 7 );
bad_ok( "minor version 255", patch( $B, 7, "\xff" ), "format version minor unrecognised (255)", 7 );
bad_ok( "no SV size table", substr( $B, 0, 12 ) . "\0\0\0", "SV size table has no common entry", 15 );
{
   my $r = run_pmat( "-q", "$DIR/does-not-exist.pmat" );
   is( $r->{err}, "pmat: $DIR/does-not-exist.pmat: No such file or directory\n", "missing file: error line" );
   is( $r->{exit}, 2, "missing file: exit 2" );
}

{
   my $r = run_pmat( "-q", $DIR );
   is( $r->{err}, "pmat: $DIR: Is a directory\n", "a directory: error line" );
   is( $r->{exit}, 2, "a directory: exit 2" );
   for my $dev ( "/dev/zero", "/dev/urandom" ) { # endless: must stop at the first bytes
      $r = run_pmat( "-q", $dev );
      is( $r->{err}, "pmat: $dev: File magic signature not found at byte 0\n", "$dev: error line" );
      is( $r->{exit}, 2, "$dev: exit 2" );
   }
   my $pipe = `cat $base | $PMAT -q /dev/stdin summary 2>&1`;
   like( $pipe, qr/^Heap contains \d+ objects/m, "a dump from a pipe loads" );
   $r = run_pmat( "-q", "/dev/null" );
   is( $r->{err}, "pmat: /dev/null: unexpected end of file reading the header at byte 0\n", "/dev/null: error line" );
   is( $r->{exit}, 2, "/dev/null: exit 2" );
}

# ---- counts larger than the file ----
my $roots = $first{roots};
my $nroots_at = $roots + 3 * $P;
bad_ok( "root count huge", patch( $B, $nroots_at, pack "L<", 0xFFFFFFF0 ),
   "root count 4294967280 is larger than the file", $nroots_at );
my $stack_at = $first{stack};
bad_ok( "stack size huge", patch( $B, $stack_at, pack "Q<", 1 << 60 ),
   sprintf( "stack size %d is larger than the file", 1 << 60 ), $stack_at );
bad_ok( "root name longer than the file", patch( $B, $nroots_at + 4, pack "Q<", 1 << 40 ),
   "unexpected end of file reading a root name", $nroots_at + 4 + 8 );
my $arr = $first{"ARRAY record"};
bad_ok( "ARRAY count huge", patch( $B, $arr + $COMMON, pack "Q<", 0x7FFFFFFFFFFFFFFF ),
   "element count 9223372036854775807 is larger than the file", $arr + $COMMON );
my $hv = $first{"HASH record"};
bad_ok( "HASH count huge", patch( $B, $hv + $COMMON, pack "Q<", ~0 ),
   "key count 18446744073709551615 is larger than the file", $hv + $COMMON );
my $ms = $first{"META_STRUCT record"};
bad_ok( "struct field count huge", patch( $B, $ms + 1 + $I, pack "Q<", 1 << 62 ),
   sprintf( "struct field count %d is larger than the file", 1 << 62 ), $ms + 1 + $I );
my $mort = $first{mortals};
bad_ok( "mortal count huge", patch( $B, $mort, pack "Q<", 1 << 50 ),
   sprintf( "mortal count %d is larger than the file", 1 << 50 ), $mort );
my $sc = $first{"SCALAR record"};
# PV length (the SCALAR's STR) huge: after flags, IV, NV, PVLEN and OURSTASH
my $pv_at = $sc + $COMMON + 1 + $I + 8 + $I + $P;
bad_ok( "string longer than the file", patch( $B, $pv_at, pack "Q<", 1 << 33 ),
   "unexpected end of file reading an SV record", $pv_at + $I );

# ---- unknown record types and bad flags ----
bad_ok( "unknown SV type", patch( $B, $sc, "\x12" ), "Cannot load unknown SV type 18", $sc );
bad_ok( "SV type beyond the table", patch( $B, $sc, "\x10" ), "Cannot load unknown SV type 16", $sc );
bad_ok( "META tag F1", patch( $B, $sc, "\xF1" ), "Unrecognised META tag F1", $sc );
bad_ok( "META tag FF", patch( $B, $sc, "\xFF" ), "Unrecognised META tag FF", $sc );
bad_ok( "unknown extension type", patch( $B, $sc, "\xA0" ), "Unrecognised SV extension type a0", $sc );
my $ctx = $first{"context record"};
bad_ok( "unknown context type", patch( $B, $ctx, "\x04" ), "Cannot load unknown CTX type 4", $ctx );
bad_ok( "SCALAR flags 0x20", patch( $B, $sc + $COMMON, "\x2b" ), "Unrecognised SCALAR flags 20", $sc + $COMMON );
bad_ok( "SCALAR flags 0xe0", patch( $B, $sc + $COMMON, "\xe1" ), "Unrecognised SCALAR flags e0", $sc + $COMMON );
my $rv = $first{"REF record"};
bad_ok( "REF flags 0x02", patch( $B, $rv + $COMMON, "\x02" ), "Unrecognised REF flags 02", $rv + $COMMON );
bad_ok( "REF flags 0xff", patch( $B, $rv + $COMMON, "\xff" ), "Unrecognised REF flags fe", $rv + $COMMON );
# the first CODE (&foo) starts its body with a GVIX sub-record: make it type 11
my $cv = $first{"CODE record"};
my $body = $cv + $COMMON + ( $I + 1 + $P + 4 ) + 5 * $P + ( $I + 4 ) + $I; # "t.pl", undef name
is( unpack( "C", substr( $B, $body, 1 ) ), 4, "(found the CODE body)" );
bad_ok( "unhandled CODE sub-record", patch( $B, $body, "\x0b" ), "unhandled CODE sub-record type 11", $body );
bad_ok( "unhandled CODE sub-record 0xff", patch( $B, $body, "\xff" ), "unhandled CODE sub-record type 255", $body );
my $st = $first{"STRUCT record"};
bad_ok( "STRUCT of an undefined type", patch( $B, $st + 1 + $P + 4 + $I, pack "Q<", 99 ),
   "Dumpfile does not define a struct type of ID=99", $st );
# field types of the META_STRUCT: "the sv" PTR (after id, nfields, "Test/Struct", "the sv")
my $ft = $ms + 1 + 2 * $I + ( $I + 11 ) + ( $I + 6 );
bad_ok( "struct field of unknown type", patch( $B, $ft, "\x09" ), "TODO: load struct field type = 9",
   $st + 1 + $P + 4 + $I + $P );

# ---- odd but valid: these are data, not damage ----
for my $f ( sort glob "$ROOT/t/data/fuzz-regress/{dangling,ext-orphan,short-tables,wide-tables,zero-sizes,struct-redefined,code-huge-padix}.bin" ) {
   my $name = ( File::Spec->splitpath( $f ) )[2];
   loads_ok( "valid oddity $name", slurp( $f ), "count" );
}
{
   # every pointer in the base dump's roots and stack pointing nowhere
   my $s = $B;
   substr( $s, $roots + $_ * $P, $P ) = pack "Q<", 0xdead0000 + $_ for 0 .. 2;
   substr( $s, $stack_at + $I, $P ) = pack "Q<", 0xbad;
   my $r = loads_ok( "immortals and stack pointing nowhere", $s, "summary" );
}

# ---- compressed dumps ----
# The same checks for each format: loads whole; truncated, corrupt and header-only data
# each give one error line and exit 2; a "bomb" stops at the decompression limit
# (PMAT_MAX_DECOMPRESSED; by default the machine's physical memory) in every program.
for my $fmt (
   { name => "gzip", tool => "gzip -9c", magic => "\x1f\x8b\x08", corrupt_at => 40, junk => "\xff",
     corrupt => qr/corrupt gzip data \([^)]*\)|truncated gzip data|unexpected end of file reading [^\n]+/ },
   { name => "zstd", tool => "zstd -q -19 -c", magic => "\x28\xb5\x2f\xfd", corrupt_at => 20, junk => "\xa5",
     corrupt => qr/corrupt zstd data \([^)]*\)|truncated zstd data|unexpected end of file reading [^\n]+/ },
) {
   my $n = $fmt->{name};
   SKIP: {
      skip "no $n", 10 unless `$n --version 2>/dev/null`;
      system( "$fmt->{tool} $base > $DIR/base.$n" ) == 0 or die;
      my $data = slurp( "$DIR/base.$n" );
      loads_ok( $n, $data );
      my $f = spew( "$DIR/$n-trunc.pmat", substr( $data, 0, length( $data ) - 20 ) );
      my $r = run_pmat( "-q", $f );
      like( $r->{err}, qr/\Apmat: \Q$f\E: truncated $n data at byte \d+\n\z/, "$n truncated: the error line" );
      is( $r->{exit}, 2, "$n truncated: exit 2" );
      my $c = $data; substr( $c, $fmt->{corrupt_at}, 16 ) = $fmt->{junk} x 16;
      $f = spew( "$DIR/$n-corrupt.pmat", $c );
      $r = run_pmat( "-q", $f );
      like( $r->{err}, qr/\Apmat: \Q$f\E: (?:$fmt->{corrupt}) at byte \d+\n\z/, "$n corrupt: one error line" );
      is( $r->{exit}, 2, "$n corrupt: exit 2" );
      $f = spew( "$DIR/$n-header.pmat", $fmt->{magic} );
      $r = run_pmat( "-q", $f );
      like( $r->{err}, qr/\Apmat: \Q$f\E: (truncated|corrupt) $n data[^\n]* at byte \d+\n\z/, "$n header only" );

      # 64 MB of zeros, a few KB compressed, against a 16 MB limit
      my $bomb = "$DIR/bomb.$n";
      system( "head -c 67108864 /dev/zero | $fmt->{tool} > $bomb" ) == 0 or die;
      local $ENV{PMAT_MAX_DECOMPRESSED} = 16 << 20;
      $r = run_pmat( "-q", $bomb, "summary" );
      like( $r->{err}, qr/\Apmat: \Q$bomb\E: decompressed data larger than 16777216 bytes at byte \d+\n\z/,
         "$n bomb: stops at the limit" );
      is( $r->{exit}, 2, "$n bomb: exit 2" );
      my $lr = ( $PMAT =~ s{pmat$}{pmat-leakreport}r );
      my $err = `$lr $bomb $bomb $bomb 2>&1 >/dev/null`;
      like( $err, qr/\Apmat-leakreport: \Q$bomb\E: decompressed data larger than 16777216 bytes/,
         "$n bomb: pmat-leakreport has the same limit" );
      is( $? >> 8, 2, "$n bomb: pmat-leakreport exits 2" );
   }
}

# ---- huge hostile-but-valid inputs load in linear time ----
system( $^X, "$ROOT/t/tools/mkhostile.pl", "--big", "$DIR/big" ) == 0 or die "mkhostile.pl --big";
for my $c ( ( map { [ $_, "count" ] } qw( many-roots many-contexts many-constix many-structs zero-sizes obj-fields ) ),
            [ "ref-chain", "identify", sprintf( "0x%x", 0x1000 + 0x18 * 999_999 ) ], [ "ref-chain", "dominators" ],
            [ "ref-chain", "largest", "--owned" ], [ "ref-chain", "show", "0x1000" ] ) {
   my ( $name, @cmd ) = @$c;
   my $t0 = time;
   my $r = run_pmat( "-q", "$DIR/big/$name.bin", @cmd );
   my $dt = time - $t0;
   ok( $r->{exit} == 0 && !$r->{signal}, "big $name: @cmd" ) or diag $r->{err};
   # linear versus quadratic, not a speed figure (bench/ measures speed): these take
   # 1-5 s on an idle machine and 20-30 s with the whole suite running beside them; a
   # quadratic walk of a 1 M-SV chain would take hours
   cmp_ok( $dt, "<", 180, sprintf "big $name: @cmd in %.1f s (linear)", $dt );
}
{
   my $r = run_pmat( "-q", "$DIR/big/many-orphans.bin", "summary" );
   my @w = split /\n/, $r->{err};
   is( scalar @w, 11, "300000 orphan extension records: 10 warnings and a count" );
   is( $w[-1], "... and 299990 more SV extension records that refer to no SV", "... the count" );
}
{
   my $t0 = time;
   my $r = run_pmat( "-q", "$DIR/big/big-hash.bin", "outrefs", "0xd000" );
   my $dt = time - $t0;
   my $lines = () = $r->{out} =~ /\n/g;
   ok( $r->{exit} == 0 && $lines >= 300_000, "outrefs of a 300000-key hash" ) or diag "$r->{exit} $lines $r->{err}";
   cmp_ok( $dt, "<", 20, sprintf "... in %.1f s (linear)", $dt );
}

# ---- the shell: bad lines get a message and the shell goes on ----
{
   my $f = spew( "$DIR/shell.pmat", $B );
   my @lines = ( "show 0x", "show 0xffffffffffffffffffffffff", "show 99999999999999999999999999",
      "show -1", "show &main::nope", 'show $no::such::thing', "show @", "show %", "", "   ", "\t",
      "identify 0x0", "show 0xdeadbeef", "elems --count 99999999999999999999 defstash",
      "nosuchcmd", 'show "unterminated', "show 'x", "show \\", "help nosuchcmd",
      "show " . ( "9" x 100_000 ), "x" x 1_000_000, "show 0x" . ( "f" x 100_000 ),
      "\x00\xff\xfe binary \x01", "count" );
   my $in = join "", map { "$_\n" } @lines;
   chop $in; # the last line has no newline: end of input ends it
   my $err = gensym;
   my $pid = open3( my $w, my $out, $err, "timeout", "-s", "KILL", "120", $PMAT, "-q", $f );
   my $kid = fork // die;
   if( !$kid ) { close $out; close $err; print $w $in; close $w; exit 0 }
   close $w;
   my ( $o, $e );
   { local $/; $o = <$out> // ""; $e = <$err> // "" }
   waitpid $kid, 0; waitpid $pid, 0;
   my ( $rc, $sig ) = ( $? >> 8, $? & 127 );
   is( $sig, 0, "shell: no signal" );
   # piped commands that failed make the exit status 2 (docs/compat.md "CLI conventions")
   is( $rc, 2, "shell: exit 2 at end of input (commands failed)" );
   unlike( $e, qr/Sanitizer|runtime error/, "shell: no sanitizer report" );
   like( $o, qr/\(total\)\s+\d+/, "shell: still answers after the bad lines (count ran)" );
   my @msgs = grep { length } split /\n/, $e;
   cmp_ok( scalar @msgs, ">=", 15, "shell: a message for the bad lines" );
   like( $e, qr/^Unrecognised command 'nosuchcmd'$/m, "shell: unknown command message" );
   like( $e, qr/^No such SV at address deadbeef$/m, "shell: unknown address message" );
}

# ---- Ctrl-C in a long command: "Aborted", then the shell goes on ----
SKIP: {
   my $big = "$ROOT/t/tmp/bad-input-big.pmat";
   unless( -s $big ) {
      system( "$^X $ROOT/bench/gen 1000000 $big.tmp >/dev/null 2>&1" ) == 0 and rename "$big.tmp", $big;
   }
   skip "cannot make a big dump with bench/gen", 4 unless -s $big;
   my $err = gensym;
   my $pid = open3( my $w, my $out, $err, "timeout", "-s", "KILL", "300", $PMAT, "-q", $big );
   $w->autoflush( 1 );
   print $w "summary\n";
   my $line = <$out>; # the shell is ready once summary answers
   print $w "largest --owned 100000\n";
   select undef, undef, undef, 0.15;
   kill "INT", $pid;
   print $w "summary\n"; close $w;
   my ( $o, $e );
   { local $/; $o = <$out> // ""; $e = <$err> // "" }
   waitpid $pid, 0;
   my ( $rc, $sig ) = ( $? >> 8, $? & 127 );
   is( $sig, 0, "Ctrl-C: pmat not killed" );
   is( $rc, 2, "Ctrl-C: exit 2 at end of input (the aborted command failed)" );
   like( $e, qr/Aborted/, "Ctrl-C: the command says Aborted" );
   like( $o, qr/Heap contains \d+ objects\s*\z/, "Ctrl-C: the next command runs" );
}

done_testing;
