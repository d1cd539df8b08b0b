#!/usr/bin/perl
# man pmat (docs/man/pmat.1) documents every command of the shell and every option of
# each, as the command table declares them (what `help` and `help CMD` print): a new
# command or option without its man page entry fails here.  Also `find`'s filters and
# their options.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use PMATTest;

need_ours();
my $DUMP = dump_of( "scalars" );
my $man = do { local ( @ARGV, $/ ) = repo_root() . "/docs/man/pmat.1"; <> };
# roff to text enough for matching: \- is -, font escapes go
( my $text = $man ) =~ s/\\-/-/g;
$text =~ s/\\f[BIRP]//g;

my @cmds = map { m/^(\S+)\s+- / ? $1 : () } split m/\n/, run_ours( $DUMP, "help" )->{out};
ok( scalar @cmds > 10, "help lists the commands" );
my %is_cmd = map { $_ => 1 } @cmds;

# The man page entry of each command: from its ".TP" + ".B[RI] name" line to the next
# command's.
my %entry;
{
   my @lines = split m/\n/, $text;
   my $cur;
   for my $i ( 0 .. $#lines ) {
      if( $i and $lines[ $i - 1 ] eq ".TP" and $lines[$i] =~ m/^\.B[RI]? "?([a-z][a-z-]*)/ and $is_cmd{$1} ) {
         $cur = $1;
         next if $entry{$cur}; # the first entry is the command's own
         $entry{$cur} = "";
      }
      $entry{$cur} .= "$lines[$i]\n" if defined $cur;
   }
}

sub options_of
{
   my ( $help ) = @_;
   my ( $opts ) = $help =~ m/^OPTIONS:\n((?:  .*\n)*)/m or return ();
   return map { m/^\s+(--\S+?)(?:,|\s)/ ? $1 : () } split m/\n/, $opts;
}

for my $cmd ( @cmds ) {
   ok( defined $entry{$cmd}, "man pmat has an entry for '$cmd'" ) or next;
   my $help = run_ours( $DUMP, "help", $cmd )->{out};
   for my $opt ( options_of( $help ) ) {
      ( my $dash = $opt ) =~ s/(?<=\w)_(?=\w)/-/g;
      ok( index( $entry{$cmd}, $dash ) >= 0 || index( $entry{$cmd}, $opt ) >= 0,
         "man pmat: '$cmd' documents $dash" );
   }
   if( $cmd eq "find" ) {
      for my $filter ( $help =~ m/^  find (\S+) - /mg ) {
         like( $entry{find}, qr/^\.B[RI]? "?\Q$filter\E\b/m, "man pmat: find filter '$filter'" );
         my $fh = run_ours( $DUMP, "help", "find", $filter )->{out};
         for my $opt ( options_of( $fh ) ) {
            ( my $dash = $opt ) =~ s/(?<=\w)_(?=\w)/-/g;
            ok( index( $entry{find}, $dash ) >= 0, "man pmat: find $filter documents $dash" );
         }
      }
   }
}

# `help retained` says what it prints
my $hr = run_ours( $DUMP, "help", "retained" )->{out};
like( $hr, qr/retained size/i, "help retained: the retained size" );
like( $hr, qr/chain|dominat/i, "help retained: the chain of SVs that keep it alive" );

done_testing;
