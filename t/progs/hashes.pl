#!/usr/bin/perl
# hashes.pl - HASH keys that need quoting (spaces, sigils, control characters, UTF-8,
# Latin-1, empty, numeric, very long), values of every kind, NULL-valued entries
# (restricted-hash placeholders), big hashes (values/outrefs paging), empty hashes.
#   perl t/progs/hashes.pl OUT.pmat
use strict;
use warnings;
use Devel::MAT::Dumper;
use Hash::Util qw( lock_keys );

our %KEYS = (
   plain       => "plain",
   _ok1        => "underscore",
   Ok_2        => "mixed case",
   "a b"       => "space",
   '$x'        => "dollar",
   '@y'        => "at",
   '%z'        => "percent",
   "tab\there" => "tab",
   "nl\n"      => "newline",
   "\0nul"     => "nul",
   "\x01ctrl"  => "control",
   "\x1bESC"   => "escape",
   "del\x7f"   => "delete",
   "caf\x{e9}" => "latin-1 key",
   "\x{263a}"  => "wide key",
   "sn\x{f8}w\x{2603}" => "mixed key",
   ""          => "empty key",
   "123"       => "numeric",
   "0"         => "zero",
   "-1"        => "negative",
   "1.5"       => "fractional",
   "1e3"       => "exponent",
   'q"uote'    => "double quote",
   "it's"      => "single quote",
   'back\\slash' => "backslash",
   "a::b"      => "package-like",
   "main::"    => "stash-like",
   "k" x 80    => "long key",
   "9abc"      => "digit first",
   "with-dash" => "dash",
);

our %VALUES = (
   int    => 42,
   neg    => -1,
   nv     => 0.5,
   str    => "string",
   undef  => undef,
   aref   => [ 1, 2 ],
   href   => { inner => 1 },
   cref   => sub { 1 },
   glob   => *STDOUT,
   gref   => \*STDOUT,
   sref   => \"scalar",
   true   => !!1,
   false  => !!0,
   long   => "z" x 300,
   utf8   => "\x{263a} smile",
   obj    => bless( {}, "Some::Class" ),
);

our %EMPTYH = ();
our %ONE    = ( only => "one" );
our %BIGH   = map { sprintf( "key%03d", $_ ) => $_ } 1 .. 120;
our %NUMKEYS = map { $_ => "v$_" } 1 .. 40;           # numeric-looking keys, >30 outrefs

our %RESTRICTED = ( keep => 1, gone => 2, also_gone => 3 );
lock_keys( %RESTRICTED );
delete $RESTRICTED{gone};                             # leaves a placeholder (NULL value)
delete $RESTRICTED{also_gone};

our %SHARED_VALUE;
{
   my $v = "shared";
   $SHARED_VALUE{a} = \$v;
   $SHARED_VALUE{b} = \$v;
}

our %HASH_OF_HASHES = (
   h1 => { a => { b => { c => "deep" } } },
   h2 => {},
);

our $HASHREF_WITH_WEIRD = { "\x{263a}" => [ "wide" ], "" => "", " " => " " };

my %lex = ( "lexical key" => "lexical value" );

Devel::MAT::Dumper::dump( $ARGV[0] );
