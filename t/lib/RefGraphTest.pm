package RefGraphTest;

# Helpers shared by the reference-graph tests (t/cmd-refs.t, t/cmd-identify.t): what in
# Devel::MAT 0.51's output follows its heap-hash order, and comparisons insensitive to
# exactly that.  See the POD at the end.

use strict;
use warnings;
use utf8;
use Exporter qw( import );
use Digest::SHA ();
use PMATTest ();

our @EXPORT_OK = qw( aliased_cvs canonical_identify identify_graph_facts has_ties
                     unify_alias_symbols sorted_heap_oracle );

# ---------------------------------------------------------------------------------------
# Imported subs: a CODE in the CODE slot of several globs

my %ALIASED;
sub aliased_cvs
{
   my ( $dump ) = @_;
   return $ALIASED{$dump} //= do {
      my $file = "$dump.aliased-cvs";
      if( !-f $file or -M $file > -M $dump ) {
         my $res = PMATTest::run_cmd( [ $^X, "-MDevel::MAT", "-e", <<'PERL', $dump, "$file.tmp.$$" ] );
my $df = Devel::MAT->load( $ARGV[0], progress => undef )->dumpfile;
my %names;
for my $gv ( $df->heap ) {
   next unless $gv->type eq "GLOB" and my $cv = $gv->code;
   my $name = $gv->stashname // next;
   push @{ $names{ $cv->addr } }, "&$name";
}
open my $fh, ">:raw", $ARGV[1] or die;
for my $addr ( sort { $a <=> $b } keys %names ) {
   next unless @{ $names{$addr} } > 1;
   printf $fh "%#x\t%s\n", $addr, join "\t", sort @{ $names{$addr} };
}
PERL
         die "aliased-cvs: $res->{err}" if $res->{exit};
         rename "$file.tmp.$$", $file or die "Cannot rename to $file - $!";
      }
      open my $fh, "<:raw", $file or die "Cannot read $file - $!";
      my %set;
      while( <$fh> ) {
         chomp;
         my ( $addr, @names ) = split m/\t/;
         $set{$addr} = \@names;
      }
      \%set;
   };
}

# "the symbol '&POSIX::freopen'" and "the symbol '&main::freopen'" name the same CV:
# rewrite every alias to the first name of its group.
sub unify_alias_symbols
{
   my ( $text, $aliased ) = @_;
   my %to;
   for my $names ( values %$aliased ) {
      $to{$_} = $names->[0] for @$names;
   }
   return $text unless %to;
   $text =~ s{the symbol '(&[^']*)'}{ "the symbol '" . ( $to{$1} // $1 ) . "'" }ge;
   return $text;
}

# ---------------------------------------------------------------------------------------
# identify trees

my $BRANCH = qr/[├└]─/;

sub parse_tree
{
   my ( $out ) = @_;
   my @lines = split m/\n/, $out;
   my $top = { text => shift( @lines ) // "", kids => [] };
   my @at = ( $top );   # $at[L]: the node whose children are at level L
   foreach my $line ( @lines ) {
      $line =~ m/^((?:│ |  )*)/;
      my $level = length( $1 ) / 2;
      substr( $line, 0, length $1 ) = "";
      my $plain = $line !~ s/^$BRANCH//;
      my $node = { text => $line, plain => $plain, kids => [] };
      my $parent = $at[$level] // $at[-1];
      push @{ $parent->{kids} }, $node;
      $#at = $level;
      $at[ $level + 1 ] = $node;
   }
   return $top;
}

# The reference name of a branch line (what Devel::MAT sorted by), or the whole text.
sub branch_key
{
   my ( $text ) = @_;
   return $1 if $text =~ m/^(.*) of \S+ at 0x[0-9a-f]+\S*, which is(?: \(\*[A-Z]+\))?:$/;
   return $text;
}

sub branch_sv
{
   my ( $text ) = @_;
   return $1 if $text =~ m/ of (\S+ at 0x[0-9a-f]+\S*), which is(?: \(\*[A-Z]+\))?:$/;
   return undef;
}

sub mask_ids
{
   my ( $text ) = @_;
   $text =~ s/ ?\(\*[A-Z]+\)//g;
   $text =~ s/as \*[A-Z]+/as */g;
   return $text;
}

# Returns a digest of the node's canonical subtree (digests keep this linear on
# 10 000-deep trees).
sub canon_node
{
   no warnings 'recursion';
   my ( $node ) = @_;
   my @kids = @{ $node->{kids} };
   $_->{canon} = canon_node( $_ ) for @kids;
   my @out;
   while( @kids ) {
      my $key = branch_key( $kids[0]{text} );
      my @run;
      push @run, shift @kids while @kids and !$kids[0]{plain} and branch_key( $kids[0]{text} ) eq $key;
      push @run, shift @kids unless @run;
      push @out, sort { $a->{canon} cmp $b->{canon} } @run;
   }
   $node->{kids} = \@out;
   my $text = mask_ids( $node->{text} );
   utf8::encode( $text );
   return Digest::SHA::sha1_hex( join "\n", $text, map { $_->{canon} } @out );
}

sub render
{
   no warnings 'recursion';
   my ( $node, $prefix, $lines ) = @_;
   my @kids = @{ $node->{kids} };
   for my $i ( 0 .. $#kids ) {
      my $kid = $kids[$i];
      my $last = $i == $#kids;
      push @$lines, $kid->{plain} ? $prefix . $kid->{text}
                                  : $prefix . ( $last ? "└─" : "├─" ) . $kid->{text};
      render( $kid, $prefix . ( $last ? "  " : "│ " ), $lines );
   }
}

# Within every run of consecutive siblings with the same reference name, sort the
# subtrees (by their text with ID letters masked); redraw the glyphs; rename the *ID
# letters in order of first appearance.  Bytes in, bytes out.
sub canonical_identify
{
   my ( $out ) = @_;
   utf8::decode( $out );
   my $top = parse_tree( $out );
   canon_node( $top );
   my @lines = ( $top->{text} );
   render( $top, "", \@lines );
   my $text = join "\n", @lines;
   my %map;
   my $next = "A";
   $text =~ s{(\(\*|as \*)([A-Z]+)}{ $1 . ( $map{$2} //= $next++ ) }ge;
   utf8::encode( $text );
   return $text . "\n";
}

# Does some node list two references with the same name (a heap-hash-order tie)?
sub has_ties
{
   my ( $out ) = @_;
   utf8::decode( $out );
   my @todo = ( parse_tree( $out ) );
   while( my $n = shift @todo ) {
      my %k;
      for my $kid ( @{ $n->{kids} } ) {
         return 1 if !$kid->{plain} and defined branch_sv( $kid->{text} )
                     and $k{ branch_key( $kid->{text} ) }++;
      }
      push @todo, @{ $n->{kids} };
   }
   return 0;
}

# What a tree says about the graph, independent of the order branches were printed in:
# the sorted list of distinct "NODE <- REFERENCE" and "NODE: ROOT" facts (IDs masked;
# "already found" lines, which only say where a node was printed, left out), and the
# number of lines.
sub identify_graph_facts
{
   my ( $out ) = @_;
   utf8::decode( $out );
   my $top = parse_tree( $out );
   ( my $topsv = $top->{text} ) =~ s/ is:$//;
   my %facts;
   my $lines = 1;
   my @todo = ( [ $top, $topsv ] );
   while( my $item = shift @todo ) {
      my ( $n, $sv ) = @$item;
      for my $kid ( @{ $n->{kids} } ) {
         $lines++;
         my $text = mask_ids( $kid->{text} );
         next if $text =~ m/^already found / or $kid->{plain};
         $facts{"$sv <- $text"} = 1;
         my $child = branch_sv( $kid->{text} );
         push @todo, [ $kid, $child ] if defined $child;
      }
   }
   my $facts = join "\n", sort keys %facts;
   utf8::encode( $facts );
   return ( $facts, $lines );
}

# ---------------------------------------------------------------------------------------
# Devel::MAT with its heap iterated in address order (t/lib/SortedHeap.pm)

sub sorted_heap_oracle
{
   my ( $dump, @argv ) = @_;
   require Digest::SHA;
   require Storable;
   require File::Path;
   my $dir = "$PMATTest::TMP/oracle-sorted";
   File::Path::make_path( $dir );
   my $key = Digest::SHA::sha1_hex( join "\0", PMATTest::_oracle_sig(), PMATTest::_dump_id( $dump ),
      -M "$PMATTest::ROOT/t/lib/SortedHeap.pm", @argv );
   my $file = "$dir/$key.sto";
   return Storable::retrieve( $file ) if -f $file;
   my $res = PMATTest::run_cmd( [ $^X, "-I$PMATTest::ROOT/t/lib", "-MSortedHeap",
      $PMATTest::DRIVER, $dump, "--", @argv ] );
   delete $res->{cmd};
   Storable::nstore( $res, "$file.tmp.$$" );
   rename "$file.tmp.$$", $file or die "Cannot rename to $file - $!";
   return $res;
}

1;

__END__

=head1 NAME

RefGraphTest - comparisons for outrefs/inrefs/identify that ignore exactly what Devel::MAT
0.51 decides by its heap-hash order

=head1 FUNCTIONS

=over

=item aliased_cvs( $dump )

C<{ ADDR =E<gt> [ "&Pkg::name", ... ] }> for every CODE that is in the CODE slot of
several globs (imported subs).  Devel::MAT's fix-up gives such a CV, as its C<glob>, the
last of those globs in hash order: its "the glob" reference and its symbol name vary.
Computed once per dump with Devel::MAT and cached beside the dump.

=item unify_alias_symbols( $text, $aliased )

Rewrites C<the symbol '&NAME'> for every alias to the first name of its group.

=item canonical_identify( $out )

Sorts sibling subtrees within runs of equal reference names, redraws glyphs, renames *ID
letters by first appearance.

=item sorted_heap_oracle( $dump, @argv )

Runs the real Devel::MAT 0.51 with F<t/lib/SortedHeap.pm> loaded (its heap iterated in
address order, as pmat does) and returns the result like C<run_oracle> (cached under
F<t/tmp/oracle-sorted/>).

=item has_ties( $out ), identify_graph_facts( $out )

Whether a tree has equal-named sibling references; the order-independent facts of a tree
(and its line count), for trees whose tie order changed which branch shows a shared node
in full and which says "already found".

=back

=cut
