#!/usr/bin/perl
# hashkeys.pl - hash keys that are distinct in perl but have the same bytes in a dump
# (the format has no UTF-8 flag for a key): in PL_strtab, "caf\xe9" is held once as a
# byte key and once flagged "was UTF-8"; a character key "\x{263a}" and the byte key
# "\xe2\x98\xba" are both in %DUP.  Also many hashes sharing keys, deleted keys and a
# restricted hash's placeholders.  (HASH(N) and `values` must agree: t/cmd-hashkeys.t)
# pmat-test: on-demand
use strict;
use warnings;
use Devel::MAT::Dumper;
use Hash::Util qw( lock_keys );

our %DUP = ( "\x{263a}" => [ "char" ], "\xe2\x98\xba" => [ "bytes" ], "caf\xe9" => [ "latin1" ] );
{
   my $upgraded = "caf\x{e9}";
   utf8::upgrade( $upgraded );
   $DUP{$upgraded} = [ "upgraded" ];   # the same perl key as "caf\xe9": replaces its value
}
our %BYTES = ( "na\xefve" => 1 );
our %CHARS;
{
   my $k = "na\x{ef}ve";
   utf8::upgrade( $k );
   $CHARS{$k} = 2;
   $CHARS{"\x{263a}$_"} = $_ for 1 .. 20;
   $CHARS{"\xe2\x98\xba$_"} = $_ for 1 .. 20;   # bytes of the characters above
}
our @SHARED = map { { map { ( "field$_" => $_ ) } 1 .. 10 } } 1 .. 50;
our %DELETED = map { ( "gone$_" => $_ ) } 1 .. 20;
delete $DELETED{"gone$_"} for 1 .. 10;
our %LOCKED = ( a => 1, b => 2, c => 3 );
lock_keys( %LOCKED, qw( a b c d e ) );
delete $LOCKED{b};

Devel::MAT::Dumper::dump( $ARGV[0] );
