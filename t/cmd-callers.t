#!/usr/bin/perl
# `callers [--pad|-P]` against Devel::MAT 0.51 on every corpus dump (callers.pl and
# callers_misc.pl hold the interesting stacks: methods, recursion, no-argument calls,
# shift()ed @_, immortals and temporaries as arguments, eval {} / eval STRING frames,
# goto &sub, closures, lexical subs, sort comparators, tie and DESTROY frames; the
# others cover "no contexts" and dumps written from END).
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use PMATTest;
use PMATInspect;

need_ours();

foreach my $prog ( all_progs() ) {
   my $dump = dump_of( $prog );
   my @cmds = ( [ "callers" ], [ "callers", "-P" ], [ "callers", "--pad" ] );
   oracle_many( $dump, \@cmds );
   compare_inspect( $dump, $_ ) for @cmds;
}

same_as_oracle_many( dump_of( "callers" ), [ [ "callers", "-x" ] ], stderr => 1 );
# an extra argument is an error (0.51 ignores it; docs/compat.md, t/cli-conventions.t)
{
   my $r = run_ours( dump_of( "callers" ), "callers", "extra" );
   is_deeply( [ $r->{out}, $r->{err}, $r->{exit} ],
      [ "", "Unexpected argument 'extra' (see 'help callers')\n", 2 ], "callers extra: an error" );
}

done_testing;
