#!/usr/bin/perl
# Retained sizes against a brute-force reference computed here, independently of our
# code: with Devel::MAT's own API, build the strong-reference graph and the root set of
# docs/dominators.md, and for a sample of SVs compute what is no longer reachable from
# the roots once that SV is removed.  That set's total size is the SV's retained size.
use strict;
use warnings;
use Test::More;
no warnings 'portable';   # 64-bit addresses
use FindBin;
use lib "$FindBin::Bin/lib";
use PMATTest;
use Devel::MAT;

PMATTest::need_ours();

sub graph_of
{
   my ( $dump ) = @_;
   my $df = Devel::MAT->load( $dump )->dumpfile;
   my ( %succ, %size, @roots );
   foreach my $sv ( $df->heap ) {
      $size{ $sv->addr } = $sv->size;
      $succ{ $sv->addr } = [ map { $_->addr } grep { defined } map { $_->sv } $sv->outrefs_strong ];
      # values held by the save stack (`local`) are roots
      foreach my $s ( @{ $sv->{saved} || [] } ) {
         push @roots, grep { $_ } @$s[ $sv->type eq "GLOB" || $sv->type eq "ARRAY" ? 1 : ( 0, 1 ) ];
      }
   }
   my %roots = $df->roots_strong;
   push @roots, map { $_->addr } grep { defined } values %roots;
   push @roots, map { $_->addr } grep { defined } $df->stack;
   foreach my $ctx ( $df->contexts ) {
      push @roots, map { $_->addr } grep { defined }
         $ctx->type eq "SUB" ? ( $ctx->cv, $ctx->{args_at} ? $df->sv_at( $ctx->{args_at} ) : () )
       : $ctx->type eq "EVAL" ? ( $ctx->code ) : ();
   }
   push @roots, @{ $df->{mortals_at} || [] };
   return ( \%succ, \%size, [ grep { $df->sv_at( $_ ) } @roots ], $df );
}

# Addresses reachable from the roots without passing through $without.
sub reachable
{
   my ( $succ, $roots, $without ) = @_;
   my %seen;
   my @todo = grep { !defined $without or $_ != $without } @$roots;
   while( defined( my $a = pop @todo ) ) {
      next if $seen{$a}++;
      push @todo, grep { !$seen{$_} and ( !defined $without or $_ != $without ) } @{ $succ->{$a} || [] };
   }
   return \%seen;
}

foreach my $prog (qw( dominators cycles objects leaked )) {
   my $dump = PMATTest::dump_of( $prog );
   my ( $succ, $size, $roots, $df ) = graph_of( $dump );
   my $all = reachable( $succ, $roots );
   my @reach = sort { $a <=> $b } grep { exists $size->{$_} } keys %$all;
   # every blessed SV, plus an even spread over the reachable heap
   my %pick = map { $_ => 1 } grep { $df->sv_at( $_ )->blessed } @reach;
   my $step = int( @reach / 20 ) || 1;
   $pick{ $reach[ $_ * $step ] } = 1 for 0 .. int( $#reach / $step );
   my ( @cmds, @want );
   foreach my $addr ( sort { $a <=> $b } keys %pick ) {
      my $without = reachable( $succ, $roots, $addr );
      my $lost = 0;
      $lost += $size->{$_} // 0 for grep { !$without->{$_} } keys %$all;
      push @cmds, [ "retained", sprintf "%#x", $addr ];
      push @want, $lost;
   }
   # and an unreachable one, if any
   my ( $unreach ) = grep { !$all->{$_} } sort { $a <=> $b } keys %$size;
   my $bad = 0;
   for my $i ( 0 .. $#cmds ) {
      my $res = PMATTest::run_ours( $dump, @{ $cmds[$i] } );
      my ( $got ) = $res->{out} =~ m/ retains .*?(\d+) bytes\)$/m;
      $got = $1 if !defined $got and $res->{out} =~ m/ retains (\d+) bytes /;
      next if defined $got and $got == $want[$i];
      $bad++;
      diag "$prog: @{ $cmds[$i] }: want $want[$i] bytes, got: $res->{out}$res->{err}" if $bad <= 5;
   }
   is( $bad, 0, "$prog: retained size of " . scalar( @cmds ) . " SVs equals the brute-force reference" );
   if( defined $unreach ) {
      my $res = PMATTest::run_ours( $dump, "retained", sprintf "%#x", $unreach );
      like( $res->{out}, qr/is unreachable from the roots/, "$prog: an unreachable SV is reported as such" );
   }
}

# The dominator tree itself, against one computed here with the textbook iterative
# algorithm (Cooper, Harvey & Kennedy, "A Simple, Fast Dominance Algorithm") over the
# same graph and roots: in the full `dominators` listing every SV must sit below its
# immediate dominator, with the size and SV count of its dominator subtree, children
# ordered by size; the root line gives the reachable and unreachable totals.
sub idoms
{
   my ( $succ, $roots ) = @_;
   # depth-first postorder from a virtual root (0) whose successors are the roots
   my %kids = ( 0 => [ @$roots ] );
   my ( %post, @order, %seen );
   my @stack = ( [ 0, 0 ] );
   $seen{0} = 1;
   while( @stack ) {
      my $top = $stack[-1];
      my $list = $top->[0] == 0 ? $kids{0} : ( $succ->{ $top->[0] } || [] );
      if( $top->[1] < @$list ) {
         my $n = $list->[ $top->[1]++ ];
         push @stack, [ $n, 0 ] unless $seen{$n}++;
         next;
      }
      pop @stack;
      $post{ $top->[0] } = @order;
      push @order, $top->[0];
   }
   my %pred;
   foreach my $n ( @order ) {
      my $list = $n == 0 ? $kids{0} : ( $succ->{$n} || [] );
      push @{ $pred{$_} }, $n for grep { exists $post{$_} } @$list;
   }
   my %idom = ( 0 => 0 );
   my $changed = 1;
   while( $changed ) {
      $changed = 0;
      foreach my $n ( reverse @order ) {
         next if $n == 0;
         my $new;
         foreach my $p ( @{ $pred{$n} } ) {
            next unless defined $idom{$p};
            if( !defined $new ) { $new = $p; next }
            my ( $a, $b ) = ( $p, $new );
            while( $a != $b ) {
               $a = $idom{$a} while $post{$a} < $post{$b};
               $b = $idom{$b} while $post{$b} < $post{$a};
            }
            $new = $a;
         }
         if( !defined $idom{$n} or $idom{$n} != $new ) { $idom{$n} = $new; $changed = 1 }
      }
   }
   delete $idom{0};
   return \%idom;
}

foreach my $prog (qw( dominators cycles )) {
   my $dump = PMATTest::dump_of( $prog );
   my ( $succ, $size, $roots ) = graph_of( $dump );
   my $idom = idoms( $succ, $roots );
   # retained size and SV count of each dominator subtree
   my ( %bytes, %count, %depth );
   my $depth_of;
   $depth_of = sub { no warnings "recursion"; my ( $n ) = @_; $depth{$n} //= $n == 0 ? 0 : 1 + $depth_of->( $idom->{$n} ) };
   my @nodes = sort { $depth_of->( $b ) <=> $depth_of->( $a ) } keys %$idom;
   foreach my $n ( @nodes ) {
      $bytes{$n} += $size->{$n} // 0;
      # the immortals (sv_undef, sv_yes, sv_no: roots, not in the heap) are listed as
      # one SV of 0 bytes each but not counted in the roots' total
      $count{$n} += 1;
      next unless exists $size->{$n};
      $bytes{ $idom->{$n} } += $bytes{$n};
      $count{ $idom->{$n} } += $count{$n};
   }
   my $res = PMATTest::run_ours( $dump, "dominators", "-d", "1000000", "-c", "1000000" );
   my $out = $res->{out};
   utf8::decode( $out );
   my @lines = split m/\n/, $out;
   my $head = shift @lines;
   my ( $unreach_n, $unreach_b ) = ( 0, 0 );
   for ( grep { !exists $idom->{$_} } keys %$size ) { $unreach_n++; $unreach_b += $size->{$_} }
   my ( $all_n, $all_b ) = ( $count{0}, $bytes{0} );
   like( $head, qr/^the roots retain .* in $all_n SVs \($all_b bytes\); unreachable: .* in $unreach_n SVs \($unreach_b bytes\)$/,
      "$prog: dominators: the roots' and the unreachable totals" ) or diag "want $count{0} SVs, $bytes{0} bytes; unreachable $unreach_n, $unreach_b";
   my ( @bad, @path, %kids, %listed );
   foreach my $line ( @lines ) {
      my ( $indent, $addr, $n, $b ) = $line =~ m/^((?:[\x{2502} ] )*)[\x{251c}\x{2514}]\x{2500}\S+ at (0x[0-9a-f]+)\S*.*: [\d.]+ (?:bytes|KiB|MiB|GiB) in (\d+) SVs? \([\d.]+%, (\d+) bytes\)$/
         or do { push @bad, "unparsed: $line"; next };
      my $level = length( $indent ) / 2;
      $addr = hex $addr;
      splice @path, $level;
      my $parent = $level ? $path[-1] : 0;
      push @path, $addr;
      $listed{$addr}++;
      push @{ $kids{$parent} }, $b;
      push @bad, sprintf "%#x: below %#x, its immediate dominator is %#x", $addr, $parent, $idom->{$addr} // -1
         if ( $idom->{$addr} // -1 ) != $parent;
      push @bad, sprintf "%#x: %d SVs / %d bytes, want %d / %d", $addr, $n, $b, $count{$addr} // 0, $bytes{$addr} // 0
         if $n != ( $count{$addr} // 0 ) or $b != ( $bytes{$addr} // 0 );
   }
   my @unlisted = grep { !$listed{$_} and exists $size->{$_} } keys %$idom;
   push @bad, "not listed: " . scalar( @unlisted ) . " reachable SVs" if @unlisted;
   push @bad, sprintf "children of %#x not largest first", $_
      for grep { my $k = $kids{$_}; grep { $k->[$_] > $k->[ $_ - 1 ] } 1 .. $#$k } keys %kids;
   ok( !@bad, "$prog: the full dominator tree (" . scalar( @lines ) . " SVs) is the reference's" )
      or diag join "\n", @bad[0 .. ( $#bad < 9 ? $#bad : 9 )];
}

# The leak hunter's question: which container keeps the most alive?
{
   my $dump = PMATTest::dump_of( "dominators" );
   my $res = PMATTest::run_ours( $dump, "dominators", "-d", "3", "-c", "3" );
   like( $res->{out}, qr/^the roots retain /, "dominators prints the root summary" );
   $res = PMATTest::run_ours( $dump, "dominators", "-d", "2", "%main::REGISTRY" );
   like( $res->{out}, qr/^HASH\(1\) at 0x\w+ \(%main::REGISTRY\): \d+ bytes in 2 SVs/,
      "dominators below a symbol starts with it (the Owner is shared with a lexical)" );
   $res = PMATTest::run_ours( $dump, "dominators", "-d", "1", "-c", "10000" );
   like( $res->{out}, qr/HASH\(1\)=Owner at 0x\w+: [\d.]+ KiB in \d+ SVs/,
      "the Owner object, shared by two holders, sits at the top with its widgets' size" );
}

# The leak example: a container that grows by one queued response per iteration must come
# first in `largest --retained`, ahead of the symbol table and pads it hangs off.
{
   require LeakSeries;
   my @ex = LeakSeries::example_series();
   my $dump = $ex[-1];
   my $pending = Devel::MAT->load( $dump )->find_symbol( "%main::PENDING" );
   my $res = PMATTest::run_ours( $dump, "largest", "--retained" );
   my ( $first ) = $res->{out} =~ m/\A(.*)$/m;
   like( $first, qr/^HASH\(6\) at \Q${\ sprintf "%#x", $pending->addr }\E: [\d.]+ KiB: of which$/,
      "largest --retained: the leaking container %main::PENDING comes first" ) or diag $res->{out};

   # the top level lists disjoint subtrees, so their sizes and "others" add up to the heap
   my @top = $res->{out} =~ m/^(?:\S.*: |others: )([\d.]+ (?:bytes|KiB|MiB))(?:: of which)?$/mg;
   my $total = 0;
   $total += $_->size for Devel::MAT->load( $dump )->dumpfile->heap;
   my %unit = ( bytes => 1, KiB => 1024, MiB => 1024 * 1024 );
   my $sum = 0;
   for ( @top ) { my ( $v, $u ) = split ' '; $sum += $v * $unit{$u} }
   ok( abs( $sum - $total ) <= 0.001 * $total + 512 * @top,
      "largest --retained: the listed SVs and others add up to the heap ($sum ~ $total)" );

   # --all ranks the top of the dominator tree itself
   $res = PMATTest::run_ours( $dump, "largest", "--retained", "--all", "3", "0" );
   my @all = $res->{out} =~ m/^(\S+ at 0x[0-9a-f]+)\S*: /mg;
   my $dom = PMATTest::run_ours( $dump, "dominators", "-d", "1", "-c", "3" );
   my @dom = $dom->{out} =~ m/^\W+(\S+ at 0x[0-9a-f]+)/mg;
   is_deeply( \@all, \@dom, "largest --retained --all: the dominator tree's top level" );
}

done_testing;
