#!/usr/bin/perl
# `make demo` (examples/demo.sh): a leaky "service" dumped with Devel::PMAT, then pmat
# finding its leaks.  Checks that what the README walks through really comes out: the
# growing container first by retained size and named by identify, the leaked file
# handles in find io and pmat-leakreport, and identify of a leaked handle.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use PMATTest;

PMATTest::need_ours( "pmat-leakreport" );
my $root = PMATTest::repo_root();
plan skip_all => "the dumper is not built (perl/blib)" unless -e "$root/perl/blib/lib/Devel/PMAT.pm";

my $res = PMATTest::run_cmd( [ "sh", "$root/examples/demo.sh" ], cwd => $root );
my $out = $res->{out};
is( $res->{exit}, 0, "demo.sh exits 0" );
like( $out, qr/^wrote examples\/out\/leaky-06\.pmat$/m, "six dumps written with Devel::PMAT" );
unlike( $out, qr/\(not built yet\)|failed/, "every step ran" );

my ( $retained ) = $out =~ m/^\$ bin\/pmat -q \S+ largest --retained 3 2\n(.*)$/m;
like( $retained // "", qr/^HASH\(6\) at (0x[0-9a-f]+): [\d.]+ KiB: of which$/,
   "largest --retained: a six-key hash first" );
my ( $top ) = ( $retained // "" ) =~ m/at (0x[0-9a-f]+)/;
like( $out, qr/^\$ bin\/pmat -q \S+ identify \Q${\ ( $top \/\/ "none" )}\E\nHASH\(6\) at \S+ is:\n└─the symbol '%main::PENDING'$/m,
   "... and identify names it: %main::PENDING, the forgotten container" );

my @open = grep { $_ >= 3 } $out =~ m/^IO\(\)=IO::File at \S+: ifileno=(\d+) ofileno=-1$/mg;
is( scalar @open, 6, "find io: the six leaked read handles (fds above stdio)" );
like( $out, qr/^LEAK\[2\] IO\(\) at 0x/m, "pmat-leakreport -1 reports a leaked IO" );
like( $out, qr/^unreachable: kept alive by a cycle of \d+ SVs through CODE\(PP,closure\) at 0x[0-9a-f]+\nIO\(\)=IO::File at \S+ is:\n└─the io of GLOB\(\*I\) at \S+, which is:\n  └─an anonymous glob '\*main::\$log' \(not in the symbol table\)$/m,
   "identify of the leaked handle: kept alive by a closure's cycle, the anonymous glob of \$log" );
like( $out, qr/^\$ bin\/pmat -q \S+ unreachable -v -c 3\nunreachable: [\d.]+ KiB in \d+ SVs/m,
   "unreachable: the leaked cycles are shown" );
like( $out, qr/^IO::File +\d+ SVs .* in LEAK\[2-5\], e\.g\. IO\(\)=IO::File at 0x/m,
   "pmat-leakreport --summary groups the leaked handles" );

done_testing;
