package PMATSizes;

# Oracle comparisons for the size commands (t/cmd-sizes.t, t/cmd-count.t).
#
# Two oracles:
#  * the "sizes oracle": Devel::MAT 0.51 (with the harness's t/lib/PMATFixes.pm) plus
#    t/lib/PMATSizesFixes.pm, which makes pmat's two deliberate differences (owned sets
#    take each SV once; `largest` ranks equal sizes by address) inside Devel::MAT itself.
#    Its output is deterministic; ours must equal it byte for byte, always.
#  * the plain harness oracle (same_as_oracle).  Where the sizes oracle reports that
#    neither fix changed anything, the plain oracle's answer is deterministic and equal
#    to the sizes oracle's, so ours must equal it byte for byte too.  Otherwise only
#    what is still deterministic is compared (see same_as_sizes_oracle).
# Results of the sizes oracle are cached like the harness's, in t/tmp/oracle/sizes/.

use strict;
use warnings;

use Digest::SHA qw( sha1_hex );
use Exporter qw( import );
use File::Basename qw( basename dirname );
use File::Path qw( make_path );
use File::Temp qw( tempfile );
use JSON::PP ();
use Storable qw( retrieve );
use Test::Builder;
use PMATTest;

our @EXPORT = qw( sizes_oracle_many same_as_sizes_oracle top_level_sizes );

my $TB = Test::Builder->new;
my $ROOT = repo_root();
my $FIXES = "$ROOT/t/lib/PMATSizesFixes.pm";

sub _key
{
   my ( $dump, $argv ) = @_;
   my @s = stat $FIXES;
   return sha1_hex( join "\0", PMATTest::_oracle_sig(), "sizes", $s[9] // 0, $s[7] // 0,
      PMATTest::_dump_id( $dump ), scalar( @$argv ), @$argv );
}

# Like PMATTest::oracle_many, through the sizes oracle.  Each result has out, err (the
# fix markers removed), exit, signal, and the flags ties / dups (the plain oracle would
# have answered differently or at random).
sub sizes_oracle_many
{
   my ( $dump, $cmds ) = @_;
   my $name = basename( dirname( $dump ) ) . "--" . basename( $dump );
   $name =~ s/[^A-Za-z0-9_.-]/_/g;
   my $dir = "$ROOT/t/tmp/oracle/sizes/$name";
   make_path( $dir );
   my @files = map { "$dir/" . _key( $dump, $_ ) . ".sto" } @$cmds;
   my %todo;
   $todo{ $files[$_] } //= $cmds->[$_] for grep { !-f $files[$_] } 0 .. $#$cmds;
   if( %todo ) {
      my ( $fh, $req ) = tempfile( "sizes-req-XXXXXX", DIR => "$ROOT/t/tmp", UNLINK => 0 );
      my $json = JSON::PP->new->canonical;
      print $fh "$_\t" . $json->encode( $todo{$_} ) . "\n" for sort keys %todo;
      close $fh;
      my $res = run_cmd( [ $^X, "-I$ROOT/t/lib", "-MPMATSizesFixes", "$ROOT/t/lib/oracle-driver.pl",
                           "--jobs", $ENV{PMAT_ORACLE_JOBS} // 1, $dump, $req ],
                         timeout => $ENV{PMAT_ORACLE_BATCH_TIMEOUT} // 7200 );
      unlink $req;
      my @missing = grep { !-f } keys %todo;
      die "sizes oracle failed on $dump (exit $res->{exit}): $res->{err}$res->{out}\n"
         if @missing or $res->{exit} or $res->{signal};
   }
   return map {
      my $r = retrieve( $_ );
      $r->{ties} = $r->{err} =~ s/^#pmat-sizes-fixes: tie\n//mg ? 1 : 0;
      $r->{dups} = $r->{err} =~ s/^#pmat-sizes-fixes: owned-dup\n//mg ? 1 : 0;
      $r;
   } @files;
}

# The sizes of the top-level entries of a `largest` listing (not "others"): which sizes
# lead the heap is deterministic even when the SVs that have them tie.
sub top_level_sizes
{
   my ( $text ) = @_;
   return join "\n", map { m/: (\d+(?:\.\d)? \S+)(?:: of which)?$/ ? $1 : "?" }
                     grep { !m/^ / and !m/^others: / } split m/\n/, $text;
}

# For each command (an argv, or { cmd => argv, %opts }):
#  1. ours equals the sizes oracle (stdout; stderr too with stderr => 1);
#  2. when the sizes oracle changed nothing, ours equals the plain oracle as well;
#     when only `largest` ties were broken, the top-level sizes equal the plain oracle's;
#     when an owned set had a duplicate, nothing more (the pinned tests cover it).
# Returns a hash of counts: exact (plain oracle compared exactly), ties, dups.
sub same_as_sizes_oracle
{
   my ( $dump, $cmds, %opt ) = @_;
   local $Test::Builder::Level = $Test::Builder::Level + 1;
   my @items = map { ref $_ eq "HASH" ? { %opt, %$_ } : { %opt, cmd => $_ } } @$cmds;
   my @fixed = sizes_oracle_many( $dump, [ map { $_->{cmd} } @items ] );
   my @plain = oracle_many( $dump, [ map { $_->{cmd} } grep { !$_->{no_plain} } @items ] );
   my %stats = ( exact => 0, ties => 0, dups => 0 );
   my $base = basename( $dump, ".pmat" );
   for my $i ( 0 .. $#items ) {
      my $item = $items[$i];
      my $argv = $item->{cmd};
      my $label = "$base: pmat " . join( " ", @$argv );
      my $got = run_ours( $dump, @$argv );
      my $want = $fixed[$i];
      my $ok = $TB->is_eq( $got->{out}, $want->{out}, "$label [sizes oracle]" );
      $TB->is_eq( PMATTest::strip_perl_locations( $got->{err} ),
                  PMATTest::strip_perl_locations( $want->{err} ), "$label: stderr" )
         if $item->{stderr};
      $TB->diag( "pmat stderr: $got->{err}" ) if !$ok and length $got->{err};
      next if $item->{no_plain};
      my $plain = shift @plain;
      if( $want->{dups} ) {
         $stats{dups}++;
         $TB->note( "$label: an owned set with a duplicate; plain oracle not compared" );
      }
      elsif( $want->{ties} ) {
         $stats{ties}++;
         $TB->is_eq( top_level_sizes( $got->{out} ), top_level_sizes( $plain->{out} ),
            "$label [plain oracle, top-level sizes only: it breaks ties in hash order]" );
      }
      else {
         $stats{exact}++;
         $TB->is_eq( $got->{out}, $plain->{out}, "$label [plain oracle]" );
      }
   }
   return \%stats;
}

1;
