#!/usr/bin/perl
# Unreachable memory (docs/dominators.md "Unreachable components"): `unreachable`,
# `path`, and how `largest --retained`, `count --retained`, `retained` and `identify`
# account for SVs no root reaches.  Every expected figure is computed here with
# Devel::MAT's own API, independently of our code: the strong-reference graph and the
# root set of docs/dominators.md, the unreachable set, its strongly connected
# components (Tarjan), the entries (one SV of each component no other unreachable SV
# refers to), each unreachable SV's retained set by brute force (what the entries no
# longer reach once it is removed), the components (unreachable SVs no other one
# dominates), shortest cycles and shortest paths by breadth-first search.
# t/progs/unreachable.pl: 42 leaked Conn objects (each in a 5-SV cycle through a
# closure capturing $self, holding one end of a socketpair: an anonymous glob), 3
# reachable ones in %main::CONNS, a leaked ring of hashes, a leaked self-capturing
# closure, a hash kept by a raised reference count, a buffer shared by two leaked Conns.
use strict;
use warnings;
no warnings 'portable';
use utf8;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use PMATTest;
use Devel::MAT;

need_ours();
binmode Test::More->builder->$_, ":encoding(UTF-8)" for qw( output failure_output todo_output );

my $dump = dump_of( "unreachable" );
my $pmat = Devel::MAT->load( $dump );
my $df = $pmat->dumpfile;
# Devel::MAT's format_bytes
sub fb
{
   my ( $b ) = @_;
   return sprintf "%d bytes", $b if $b < 1024;
   return sprintf "%.1f KiB", $b / 1024 if $b < 1024 ** 2;
   return sprintf "%.1f MiB", $b / 1024 ** 2 if $b < 1024 ** 3;
   return sprintf "%.1f GiB", $b / 1024 ** 3;
}
sub hex_of { sprintf "%#x", $_[0] }

# our output, decoded
sub ours
{
   my $res = run_ours( $dump, @_ );
   utf8::decode( $res->{out} );
   return $res;
}

# ---- the graph (as t/dominators.t) ----
my ( %succ, %size, @roots );
foreach my $sv ( $df->heap ) {
   $size{ $sv->addr } = $sv->size;
   $succ{ $sv->addr } = [ map { $_->addr } grep { defined } map { $_->sv } $sv->outrefs_strong ];
   foreach my $s ( @{ $sv->{saved} || [] } ) {
      push @roots, grep { $_ } @$s[ $sv->type eq "GLOB" || $sv->type eq "ARRAY" ? 1 : ( 0, 1 ) ];
   }
}
{
   my %r = $df->roots_strong;
   push @roots, map { $_->addr } grep { defined } values %r;
   push @roots, map { $_->addr } grep { defined } $df->stack;
   foreach my $ctx ( $df->contexts ) {
      push @roots, map { $_->addr } grep { defined }
         $ctx->type eq "SUB" ? ( $ctx->cv, $ctx->{args_at} ? $df->sv_at( $ctx->{args_at} ) : () )
       : $ctx->type eq "EVAL" ? ( $ctx->code ) : ();
   }
   push @roots, @{ $df->{mortals_at} || [] };
   @roots = grep { $df->sv_at( $_ ) } @roots;
}
my %is_root = map { $_ => 1 } @roots;

sub reach_from
{
   my ( $from, $without, $within ) = @_;
   my %seen;
   my @todo = grep { !defined $without or $_ != $without } @$from;
   while( defined( my $a = pop @todo ) ) {
      next if $seen{$a}++;
      push @todo, grep { !$seen{$_} and ( !defined $without or $_ != $without )
                          and ( !$within or $within->{$_} ) } @{ $succ{$a} || [] };
   }
   return \%seen;
}

my $reach = reach_from( \@roots );
my @U = sort { $a <=> $b } grep { !$reach->{$_} } keys %size;
my %U = map { $_ => 1 } @U;
my %usucc = map { my $a = $_; ( $a => [ grep { $U{$_} } @{ $succ{$a} } ] ) } @U;
my $ubytes = 0; $ubytes += $size{$_} for @U;

# Tarjan's SCCs over U
my ( %index, %low, %onstk, @stk, %comp, @comps );
my $next = 0;
my $strong; $strong = sub {
   my ( $v ) = @_;
   $index{$v} = $low{$v} = $next++;
   push @stk, $v; $onstk{$v} = 1;
   foreach my $w ( @{ $usucc{$v} } ) {
      if( !defined $index{$w} ) { $strong->( $w ); $low{$v} = $low{$w} if $low{$w} < $low{$v} }
      elsif( $onstk{$w} ) { $low{$v} = $index{$w} if $index{$w} < $low{$v} }
   }
   if( $low{$v} == $index{$v} ) {
      my @c;
      while( 1 ) { my $w = pop @stk; $onstk{$w} = 0; $comp{$w} = scalar @comps; push @c, $w; last if $w == $v }
      push @comps, \@c;
   }
};
{ no warnings 'recursion'; defined $index{$_} or $strong->( $_ ) for @U; }
my %has_in;
foreach my $v ( @U ) { $comp{$_} != $comp{$v} and $has_in{ $comp{$_} } = 1 for @{ $usucc{$v} } }
sub rank
{
   my $sv = $df->sv_at( $_[0] );
   return 0 if $sv->blessed;
   my $t = $sv->type;
   return 1 if $t =~ m/^(HASH|ARRAY|OBJECT)$/;
   return 2 if $t =~ m/^(CODE|GLOB|IO|STASH)$/;
   return 3;
}
my @entries;
for my $c ( grep { !$has_in{$_} } 0 .. $#comps ) {
   my ( $e ) = sort { rank( $a ) <=> rank( $b ) or $a <=> $b } @{ $comps[$c] };
   push @entries, $e;
}
my %is_entry = map { $_ => 1 } @entries;

# each unreachable SV's retained set, by brute force; the components are the SVs
# no other one dominates
my ( %lost, %dominated );
my $all_u = reach_from( \@entries, undef, \%U );
is( scalar keys %$all_u, scalar @U, "the entries reach every unreachable SV" );
foreach my $x ( @U ) {
   my $without = reach_from( \@entries, $x, \%U );
   $lost{$x} = [ grep { !$without->{$_} } @U ];
   $dominated{$_} = 1 for grep { $_ != $x } @{ $lost{$x} };
}
my @tops = grep { !$dominated{$_} } @U;
sub lost_bytes { my $b = 0; $b += $size{$_} for @{ $lost{ $_[0] } }; $b }
sub class_of
{
   my $sv = $df->sv_at( $_[0] );
   return $sv->blessed ? $sv->blessed->stashname : $sv->type;
}

# ---- unreachable ----
my %group;
foreach my $t ( @tops ) {
   my $g = $group{ class_of( $t ) } //= { class => class_of( $t ), comps => 0, svs => 0, bytes => 0 };
   $g->{comps}++;
   $g->{svs} += @{ $lost{$t} };
   $g->{bytes} += lost_bytes( $t );
   $g->{example} = $t if !defined $g->{example} or lost_bytes( $t ) > lost_bytes( $g->{example} )
      or lost_bytes( $t ) == lost_bytes( $g->{example} ) && $t < $g->{example};
}
my @groups = sort { $b->{bytes} <=> $a->{bytes} or $b->{comps} <=> $a->{comps} or $a->{example} <=> $b->{example} }
   values %group;

{
   my $res = ours( "unreachable", "-c", "-1" );
   my @lines = split m/\n/, $res->{out};
   is( $lines[0], sprintf( "unreachable: %s in %d SVs (%d bytes), %d components",
         fb( $ubytes ), scalar @U, $ubytes, scalar @tops ),
      "unreachable: the header counts every unreachable SV and component" );
   my @got = map { m/^  (\S+)\s+(\d+)\s+(\d+)\s+(\S+ \S+)$/ ? "$1 $2 $3 $4" : () } @lines[ 2 .. $#lines ];
   my @want = map { "$_->{class} $_->{comps} $_->{svs} " . fb( $_->{bytes} ) } @groups;
   is_deeply( \@got, \@want, "unreachable: groups by class, largest first" ) or diag $res->{out};
   is( $groups[0]{class}, "Conn", "the leaked Conns are the largest group" );
   is( $groups[0]{comps}, 42, "... 42 of them (40 alone, 2 sharing a buffer)" );

   $res = ours( "unreachable", "-c", "2" );
   like( $res->{out}, qr/^  \(\d+ more\)\s+\d+\s+\d+\s+\S+ \S+$/m, "unreachable -c 2: the rest in one row" );
}

# Shortest cycle through an SV, by BFS within U.
sub shortest_cycle
{
   my ( $s ) = @_;
   my %dist = ( $s => 0 ); my @q = ( $s );
   while( @q ) {
      my $x = shift @q;
      foreach my $w ( @{ $usucc{$x} } ) {
         return $dist{$x} + 1 if $w == $s;
         next if exists $dist{$w};
         $dist{$w} = $dist{$x} + 1; push @q, $w;
      }
   }
   return 0;
}

# An identify-style chain "└─NAME of DESC at 0xADDR, which ..." leading to $to: every
# line must be a real strong reference from its SV to the one on the line before.
sub check_chain
{
   my ( $name, $to, @lines ) = @_;
   my $ok = 1;
   foreach my $l ( @lines ) {
      my ( $ref, $addr ) = $l =~ m/^\s*└─(.*) of \S.* at (0x[0-9a-f]+)(?:=\w+)?, which / or do { $ok = 0; diag "$name: bad line $l"; last };
      my $src = $df->sv_at( hex $addr );
      my @m = grep { $_->sv and $_->sv->addr == $to and $_->name eq $ref } $src->outrefs_strong;
      if( !@m ) { $ok = 0; diag "$name: $addr has no strong '$ref' to " . hex_of( $to ); last }
      $to = hex $addr;
   }
   ok( $ok, $name );
   return $to;
}

{
   my $res = ours( "unreachable", "-v" );
   my ( $block ) = $res->{out} =~ m/^Conn: the largest of 42 components:\n(.*?)(?:\n\n|\z)/sm;
   ok( defined $block, "unreachable -v: a block per group" ) or diag $res->{out};
   my @l = split m/\n/, $block // "";
   my $ex = $groups[0]{example};
   my $len = shortest_cycle( $ex );
   is( $len, 5, "a leaked Conn's shortest cycle has 5 SVs (HASH, REF, CODE, PAD, REF)" );
   is( $l[0], sprintf( "HASH(%d)=Conn at %s: %s in %d SVs, kept alive by a cycle of %d SVs:",
         scalar( () = $df->sv_at( $ex )->keys ), hex_of( $ex ), fb( lost_bytes( $ex ) ),
         scalar @{ $lost{$ex} }, $len ),
      "unreachable -v: the largest Conn, its retained size and its cycle's length" );
   is( scalar @l, 1 + $len, "... then one line per reference of the cycle" );
   is( check_chain( "unreachable -v: the cycle is made of real strong references", $ex, @l[ 1 .. $#l ] ),
      $ex, "... and closes on the Conn" );
   like( $l[-1], qr/value \{cb\} of HASH\(\d\)=Conn at \Q${\ hex_of( $ex )}\E, which closes the cycle$/,
      "... through its {cb}" );
   # the hash kept by a raised reference count: no cycle, no referrer
   my ( $orphan ) = grep { my $sv = $df->sv_at( $_ ); $sv->type eq "HASH" and !$sv->blessed
      and grep { $_->name eq "value {name}" and $_->sv->type eq "SCALAR" and ( $_->sv->pv // "" ) eq "REFCOUNT ORPHAN" } $sv->outrefs } @tops;
   ok( $orphan && $is_entry{$orphan} && !shortest_cycle( $orphan ), "the refcount orphan is an entry in no cycle" );
   my $p = ours( "path", hex_of( $orphan ) );
   is( $p->{out}, sprintf( "HASH(2) at %s is unreachable from the roots; kept alive by a reference count (%d) "
         . "no reference accounts for (a leak, or held from C)\n", hex_of( $orphan ), $df->sv_at( $orphan )->refcnt ),
      "path of the refcount orphan says so" );
}

# ---- largest --retained, count --retained, retained ----
{
   my $res = ours( "largest", "--retained", "10", "0" );
   my @marked = $res->{out} =~ m/^\(unreachable\) (\S+) at (0x[0-9a-f]+): (\S+ \S+)(?:: of which)?$/mg;
   ok( @marked >= 3, "largest --retained lists leaked Conns, marked (unreachable)" ) or diag $res->{out};
   my $bad = 0;
   while( my ( $desc, $addr, $sz ) = splice @marked, 0, 3 ) {
      my $a = hex $addr;
      $bad++, diag "$addr: not a component top" unless grep { $_ == $a } @tops;
      $bad++, diag "$addr: $sz, want " . fb( lost_bytes( $a ) ) unless $sz eq fb( lost_bytes( $a ) );
   }
   is( $bad, 0, "... each one a component, with its brute-force retained size" );
   my @sizes = map { my ( $v, $u ) = split ' '; $v * { bytes => 1, KiB => 1024, MiB => 1024 ** 2 }->{$u} }
      $res->{out} =~ m/^(?!others)\S.*: (\S+ (?:bytes|KiB|MiB))(?:: of which)?$/mg;
   ok( !grep( { $sizes[$_] > $sizes[ $_ - 1 ] + 0.05 * $sizes[ $_ - 1 ] } 1 .. $#sizes ),
      "... ranked by size: leaked memory where its bytes put it" );
   my $top10 = 0; $top10 += $_ for @sizes;
   my ( $others ) = $res->{out} =~ m/^others: (\S+ \S+)$/m;
   my ( $v, $u ) = split ' ', $others;
   my $heap = 0; $heap += $_ for values %size;
   ok( abs( $top10 + $v * { bytes => 1, KiB => 1024, MiB => 1024 ** 2 }->{$u} - $heap ) <= 0.05 * 1024 ** 2 + 0.05 * 1024 * @sizes,
      "... the listed SVs and others still add up to the heap" );
}
{
   my @conns = grep { my $b = $df->sv_at( $_ )->blessed; $b && $b->stashname eq "Conn" } keys %size;
   my @leaked = grep { $U{$_} } @conns;
   is( scalar @leaked, 42, "42 of the Conns are unreachable" );
   my $ub = 0; $ub += lost_bytes( $_ ) for @leaked;
   my $rb = 0;
   foreach my $c ( grep { !$U{$_} } @conns ) {
      my $without = reach_from( \@roots, $c );
      $rb += $size{$_} for grep { !$without->{$_} } keys %$reach;
   }
   my $res = ours( "count", "--retained" );
   my ( $row ) = $res->{out} =~ m/^  (Conn .*)$/m;
   my @cells = split m/\s{2,}/, $row // "";
   is_deeply( \@cells, [ "Conn", scalar @conns, fb( do { my $s = 0; $s += $size{$_} for @conns; $s } ),
         fb( $rb + $ub ), "42 retaining " . fb( $ub ) ],
      "count --retained: Conn counts its leaked objects' retained size, and shows them apart" )
      or diag $res->{out};

   my $ex = $groups[0]{example};
   $res = ours( "retained", hex_of( $ex ) );
   like( $res->{out}, qr/^\S+ at \Q${\ hex_of( $ex )}\E is unreachable from the roots .*; it retains .* (\d+) bytes\)\n└─\(unreachable\)\n\z/,
      "retained of a leaked Conn: its size in the unreachable tree, under (unreachable)" );
   my ( $b ) = $res->{out} =~ m/ (\d+) bytes\)/;
   is( $b, lost_bytes( $ex ), "... equal to the brute-force figure" );

   $res = ours( "dominators", "-d", "1", "-c", "1", "unreachable" );
   like( $res->{out}, qr/^\(unreachable\) retains \Q${\ fb( $ubytes )}\E in ${\ scalar @U} SVs .*\n├─HASH\(\d\)=Conn at \Q${\ hex_of( $ex )}\E: /,
      "dominators unreachable: the tree of the unreachable components" );
}

# ---- identify and path ----
{
   my $ex = $groups[0]{example};
   my $exsv = $df->sv_at( $ex );
   my ( $sockref ) = map { $_->sv } grep { $_->name eq "value {sock}" } $exsv->outrefs;
   my $glob = $sockref->rv;
   ok( !defined $glob->stash->value( $glob->name ) || $glob->stash->value( $glob->name ) != $glob,
      "the socketpair glob *Conn::\$a is not in its stash" );
   for my $case ( [ "the leaked Conn", $ex, "" ], [ "its socketpair glob", $glob->addr, " through HASH(" ] ) {
      my ( $what, $addr, $through ) = @$case;
      my $ours = ours( "identify", hex_of( $addr ) );
      my $theirs = run_oracle( $dump, "identify", hex_of( $addr ) );
      utf8::decode( $theirs->{out} );
      my ( $first, $rest ) = $ours->{out} =~ m/\A([^\n]*)\n(.*)\z/s;
      like( $first, qr/^unreachable: kept alive by a cycle of 5 SVs\Q$through\E/,
         "identify $what: says at the top that a cycle keeps it alive" );
      ( my $compat = $rest ) =~ s/an anonymous glob '(\*[^']*)' \(not in the symbol table\)/the glob '$1"/g;
      is( $compat, $theirs->{out}, "identify $what: the rest is Devel::MAT's tree (anonymous glob named so)" );
   }
   my $ours = ours( "identify", hex_of( $glob->addr ) );
   like( $ours->{out}, qr/^└─an anonymous glob '\*Conn::\$a' \(not in the symbol table\)$/m,
      "identify: the socketpair glob is an anonymous glob, not a package variable" );

   # a reachable Conn: its path from the roots is a shortest one
   my ( $live ) = grep { !$U{$_} } map { $_->addr } grep { $_->blessed && $_->blessed->stashname eq "Conn" } $df->heap;
   my %dist = map { $_ => 0 } @roots; my @q = @roots;
   while( @q ) { my $x = shift @q; for my $w ( @{ $succ{$x} } ) { next if exists $dist{$w}; $dist{$w} = $dist{$x} + 1; push @q, $w } }
   my $res = ours( "path", hex_of( $live ) );
   my @l = split m/\n/, $res->{out};
   is( $l[0], sprintf( "HASH(4)=Conn at %s is reached from the roots by %d references:", hex_of( $live ), $dist{$live} ),
      "path: a reachable Conn, by as many references as the shortest path has" );
   my $top = check_chain( "path: every reference on it is real", $live, @l[ 1 .. $#l - 1 ] );
   ok( $is_root{$top}, "path: it starts at a root" );
   like( $l[-1], qr/^ *└─the default stash$/, "path: ... named as identify names roots" );
   is( ( ours( "identify", hex_of( $live ) )->{out} =~ m/^unreachable:/ ) ? 1 : 0, 0,
      "identify of a reachable SV has no unreachable line" );

   # path of an unreachable SV inside a component: down from the top, then the cycle
   $res = ours( "path", hex_of( $glob->addr ) );
   @l = split m/\n/, $res->{out};
   like( $l[0], qr/^GLOB\(\*I\) at \Q${\ hex_of( $glob->addr )}\E is unreachable from the roots; kept alive by a cycle of 5 SVs through HASH\(\d\)=Conn at \Q${\ hex_of( $ex )}\E:$/,
      "path of a leaked glob: what keeps it alive" );
   is( check_chain( "path of a leaked glob: the references from its Conn, then the cycle", $glob->addr, @l[ 1 .. $#l ] ),
      $ex, "... ending at the Conn" );
   is( scalar @l, 1 + 2 + 5, "... 2 references down from the Conn, 5 around the cycle" );
}

# ---- identify --fold ----
# Fold identify's text here, independently: parse the tree, and among siblings drop every
# branch whose lines (relative levels, texts with addresses and *ID labels masked) repeat an
# earlier sibling's, counting them on a line after that sibling's branch; redraw the glyphs.
sub fold_text
{
   my ( $text ) = @_;
   my ( $head, @l ) = split m/\n/, $text;
   my @n = map { m/^((?:│ |  )*)(├─|└─)?(.*)$/; { level => length( $1 ) / 2, glyph => defined $2, text => $3 } } @l;
   my $mask = sub { $_[0] =~ s/0x[0-9a-f]+/#/gr =~ s/\*[A-Z]+/@/gr };
   my $key; $key = sub {
      my ( $i ) = @_;
      my @k = ( "$n[$i]{level}" . $mask->( $n[$i]{text} ) );
      for( my $j = $i + 1; $j < @n && $n[$j]{level} > $n[$i]{level}; $j++ ) {
         push @k, ( $n[$j]{level} - $n[$i]{level} ) . $mask->( $n[$j]{text} );
      }
      return join "\n", @k;
   };
   my $end = sub { my $j = $_[0] + 1; $j++ while $j < @n && $n[$j]{level} > $n[ $_[0] ]{level}; $j };
   # a tree of entries: [ node index, fold count, children ]
   my $build; $build = sub {
      my ( $from, $to ) = @_;
      my ( @kids, %seen );
      for( my $i = $from; $i < $to; $i = $end->( $i ) ) {
         my $k = $key->( $i );
         if( defined $seen{$k} ) { $kids[ $seen{$k} ][1]++; next }
         $seen{$k} = @kids;
         push @kids, [ $i, 0, $build->( $i + 1, $end->( $i ) ) ];
      }
      return \@kids;
   };
   my @out = ( $head );
   my $draw; $draw = sub {
      my ( $kids, $prefix ) = @_;
      my @e = map { ( [ node => $_ ], $_->[1] ? [ note => $_ ] : () ) } @$kids;
      for my $x ( 0 .. $#e ) {
         my ( $what, $k ) = @{ $e[$x] };
         my $t = $n[ $k->[0] ];
         my $always = $t->{text} =~ m/^(?:not found|already found)/;
         my $lastp = $x == $#e || $always;
         if( $what eq "note" ) {
            push @out, $prefix . ( $x == $#e ? "└─" : "├─" ) . "($k->[1] more identical branch" . ( $k->[1] == 1 ? "" : "es" ) . " folded)";
            next;
         }
         push @out, $prefix . ( $t->{glyph} ? ( $lastp ? "└─" : "├─" ) : "" ) . $t->{text};
         $draw->( $k->[2], $prefix . ( $lastp ? "  " : "│ " ) );
      }
   };
   $draw->( $build->( 0, scalar @n ), "" );
   return join "", map { "$_\n" } @out;
}

{
   my ( $target ) = grep { my $sv = $df->sv_at( $_ ); $sv->type eq "SCALAR" and ( $sv->pv // "" ) eq "FOLD TARGET"
      and $sv->refcnt > 30 } keys %size;
   for my $opts ( [], [ "-n" ], [ "--all" ] ) {
      my $plain = ours( "identify", @$opts, hex_of( $target ) );
      my $theirs = run_oracle( $dump, "identify", @$opts, hex_of( $target ) );
      utf8::decode( $theirs->{out} );
      is_deeply( [ sort split m/\n/, $plain->{out} =~ s/0x[0-9a-f]+/#/gr ], [ sort split m/\n/, $theirs->{out} =~ s/0x[0-9a-f]+/#/gr ],
         "identify @$opts: 30 identical branches, as Devel::MAT prints them" );
      my $folded = ours( "identify", "--fold", @$opts, hex_of( $target ) );
      is( $folded->{out}, fold_text( $plain->{out} ), "identify --fold @$opts: identical sibling branches folded and counted" );
      is( fold_text( $theirs->{out} ) =~ s/0x[0-9a-f]+/#/gr, $folded->{out} =~ s/0x[0-9a-f]+/#/gr,
         "identify --fold @$opts: the same as Devel::MAT's tree folded, addresses aside" );
   }
   like( ours( "identify", "--fold", hex_of( $target ) )->{out}, qr/^├─\(29 more identical branches folded\)$/m,
      "identify --fold: says how many were folded" );
}

done_testing;
