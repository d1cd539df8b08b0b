#!/usr/bin/perl
# bin/pmat-cat-svpv against Devel::MAT 0.51's pmat-cat-svpv: the captured PV bytes of
# every named scalar of t/progs/scalars.pl (Latin-1, UTF-8 with and without wide
# characters, NULs, 300 UTF-8 bytes cut by max_string), scalars of other dumps, one SV of
# every other kind, the immortals, and the ways the address argument can be written
# (0x hex, decimal, junk, zero).  stdout is compared byte for byte, stderr without the
# Perl warnings pmat does not reproduce (docs/compat.md "Perl's warnings").
use strict;
use warnings;
no warnings "portable";

use FindBin;
use lib "$FindBin::Bin/lib";

use Test::More;
use PMATTest;

PMATTest::need_oracle( "pmat-cat-svpv" );
need_ours( "pmat-cat-svpv" );

my $PERL_WARNING = qr/^(?:Hexadecimal number > 0xffffffff non-portable|Argument ".*" isn't numeric in .*|Integer overflow in hexadecimal number|Illegal hexadecimal digit '.' ignored|Wide character in print|Malformed UTF-8 character.*)\n/m;
sub no_perl_warnings { my ( $t ) = @_; $t =~ s/$PERL_WARNING//g; return $t }

sub same
{
   my ( $dump, $addr, $what ) = @_;
   local $Test::Builder::Level = $Test::Builder::Level + 1;
   my $label = length $addr ? $addr : "''";
   same_as_oracle_prog( "pmat-cat-svpv", [ $dump, $addr ], stderr => 1,
      filter => \&no_perl_warnings,
      name => "pmat-cat-svpv " . ( $dump =~ s{.*/}{}r ) . " $label" . ( $what ? " ($what)" : "" ) );
}

# The immortals' addresses, from the oracle's own loader.
sub immortals
{
   my ( $dump ) = @_;
   my $res = run_cmd( [ $^X, "-MDevel::MAT", "-e",
      'my $df = Devel::MAT->load( shift )->dumpfile; print join " ", @{$df}{qw( undef_at yes_at no_at )}',
      $dump ] );
   return split ' ', $res->{out};
}

my $scalars = dump_of( "scalars" );
my @svs = @{ sv_list( $scalars ) };

subtest "named scalars of scalars.pl" => sub {
   for my $sv ( grep { $_->{symname} =~ m/^\$main::[A-Z]/ } @svs ) {
      same( $scalars, $sv->{addr}, "$sv->{symname} $sv->{desc}" );
   }
};

subtest "other dumps, other kinds" => sub {
   for my $prog ( qw( maxstring maxstring0 kinds hashes ) ) {
      my $dump = dump_of( $prog );
      my @pv = grep { $_->{desc} =~ m/PV/ } @{ sv_list( $dump ) };
      same( $dump, $pv[ $_ * $#pv / 3 ]{addr}, "a PV" ) for 0 .. 3;
   }
   for my $addr ( svs_of_kinds( $scalars, 1 ) ) {
      same( $scalars, $addr );
   }
};

subtest "the immortals" => sub {
   my ( $undef, $yes, $no ) = immortals( $scalars );
   ok( $yes, "found the immortals" ) or return;
   same( $scalars, sprintf( "0x%x", $yes ), "sv_yes" );
   same( $scalars, sprintf( "0x%x", $no ), "sv_no" );
   same( $scalars, sprintf( "0x%x", $undef ), "sv_undef" );
   same( $scalars, "$yes", "sv_yes in decimal" );
   same( $scalars, "$no.0", "sv_no as a decimal fraction: compared as a number" );
};

subtest "address forms" => sub {
   my ( $hello ) = map { $_->{addr} } grep { $_->{symname} eq '$main::HELLO' } @svs;
   my $dec = hex $hello;
   same( $scalars, "$dec", "decimal" );
   same( $scalars, "0$dec", "decimal with a leading zero: not a heap key" );
   same( $scalars, " $dec", "decimal with a leading space" );
   same( $scalars, "+$dec", "decimal with a plus sign" );
   same( $scalars, "$dec.0", "decimal fraction" );
   same( $scalars, uc( $hello ) =~ s/^0X/0x/r, "upper-case hex digits" );
   same( $scalars, uc $hello, "0X prefix: not hex to 0.51" );
   same( $scalars, "${hello}zz", "trailing junk after hex" );
   same( $scalars, $hello =~ s/^0x(....)/0x$1_/r, "an underscore between hex digits" );
   same( $scalars, "0x1" );
   same( $scalars, "12345" );
   same( $scalars, $_ ) for "0", "", "0x0", "0x", "xyz", "-1", "1.5", "00", "1e3", "inf", "-Inf",
      "nan", "99999999999999999999999", "0xffffffffffffffffffff", "0x_12", "0x1__2";
};

subtest "errors" => sub {
   same_as_oracle_prog( "pmat-cat-svpv", [], stderr => 1, name => "no file: Need dumpfile" );
   same_as_oracle_prog( "pmat-cat-svpv", [ $scalars ], stderr => 1, name => "no address: Need addr" );
   same_as_oracle_prog( "pmat-cat-svpv", [ "/nonexistent/x.pmat", "0x1" ] );
   my $res = run_ours_prog( "pmat-cat-svpv", "/nonexistent/x.pmat", "0x1" );
   like( $res->{err}, qr{^pmat-cat-svpv: /nonexistent/x\.pmat: No such file or directory$}m, "load error format" );
   is( $res->{exit}, 2, "... exit 2" );
};

done_testing;
