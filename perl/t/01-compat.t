#!/usr/bin/perl
# Back-to-back dumps of one program state by Devel::MAT::Dumper 0.46 and
# Devel::PMAT: both load in Devel::MAT 0.51 without warnings, the per-kind
# counts agree, and record by record (matched by address) the files are
# identical except for what the two dump calls themselves create.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use File::Temp qw( tempdir );
use PMATTestUtil;
use PMATFile;

plan skip_all => 'Devel::MAT::Dumper and /usr/bin/pmat needed'
   unless eval { require Devel::MAT::Dumper; 1 } and have_pmat();

my $dir = tempdir( CLEANUP => 1 );
my ( $DMD, $PMAT ) = ( "$dir/dmd.pmat", "$dir/pmat.pmat" );

my ( $st, $out, $err ) = run_capture( perl_cmd( "$PROGS/allkinds.pl", $DMD, $PMAT ) );
is( $st, 0, 'allkinds.pl ran' ) or diag $err;
ok( -s $DMD && -s $PMAT, 'both dumps written' );
is( ( stat $PMAT )[2] & 07777, 0600, 'dump file mode is 0600' );

# --- both load in Devel::MAT -------------------------------------------------
my %count;
my @runs = run_parallel( map { [ '/usr/bin/pmat', '-q', $_, 'summary' ], [ '/usr/bin/pmat', '-q', $_, 'count' ] } $DMD, $PMAT );
for my $f ( $DMD, $PMAT ) {
   my ( $st, $out, $err ) = @{ shift @runs };
   is( $st, 0, "pmat summary exit 0 for $f" );
   is( $err, '', "no warnings loading $f" );
   like( $out, qr/^Perl memory dumpfile from perl 5\.\d+\.\d+ threaded/m, 'summary header' );
   ( $st, $out, $err ) = @{ shift @runs };
   is( $st, 0, 'pmat count' );
   $count{$f} = pmat_counts( $out );
}

# Per-kind counts. The only SVs Devel::PMAT's file has that Devel::MAT::
# Dumper's lacks are scalars created between/by the two calls: the first
# dump call's scratch IVs (it stores pointer-valued IVs while dumping) and
# our call's argument copies. Bound that to a handful of SCALARs.
{
   my ( $a, $b ) = ( $count{$DMD}, $count{$PMAT} );
   my %kinds = ( %$a, %$b );
   for my $k ( sort keys %kinds ) {
      my $d = ( $b->{$k} // 0 ) - ( $a->{$k} // 0 );
      if( $k eq 'SCALAR' ) {
         ok( $d >= 0 && $d <= 8, "SCALAR counts within the dump calls' own scalars (+$d)" );
      }
      else {
         is( $b->{$k} // 0, $a->{$k} // 0, "$k count agrees" );
      }
   }
}

# --- record by record ------------------------------------------------------
my ( $A, $B ) = map { PMATFile->new($_) } $DMD, $PMAT;
is_deeply( $B->{roots}, $A->{roots}, 'roots: same names, order and addresses' );
is_deeply( [ @{$B->{immortals}} ], [ @{$A->{immortals}} ], 'immortals' );
is_deeply( $B->{sv_sizes},  $A->{sv_sizes},  'SV size table' );
is_deeply( $B->{svx_sizes}, $A->{svx_sizes}, 'SVx size table' );
is_deeply( $B->{ctx_sizes}, $A->{ctx_sizes}, 'context size table' );
is( $B->{flags}, $A->{flags}, 'header flags' );
is( scalar @{ $B->{stack} }, scalar @{ $A->{stack} }, 'argument stack depth' );

my ( @diff, @only_a, @only_b );
my $mainstack = { @{ [ map { @$_ } @{ $A->{roots} } ] } }->{mainstack};
for my $addr ( @{ $A->{order} } ) {
   my $ra = $A->{sv}{$addr};
   my $rb = $B->{sv}{$addr} or do { push @only_a, $ra; next };
   # the argument stack itself holds the call's arguments
   next if $addr == $mainstack;
   for my $f (qw( type refcnt size blessed body )) {
      next if $ra->{$f} eq $rb->{$f};
      push @diff, sprintf "0x%x type %d: %s differs", $addr, $ra->{type}, $f;
   }
}
for my $addr ( @{ $B->{order} } ) {
   push @only_b, $B->{sv}{$addr} unless $A->{sv}{$addr};
}
is( scalar @diff, 0, sprintf 'all %d common SV records identical', scalar @{ $A->{order} } )
   or diag join "\n", @diff[ 0 .. ( $#diff < 20 ? $#diff : 20 ) ];
is( scalar @only_a, 0, 'no SV only in the Devel::MAT::Dumper file' );
ok( @only_b <= 8 && !grep( { $_->{type} != 2 } @only_b ),
   sprintf 'only %d SCALARs (the dump calls\' own) only in the Devel::PMAT file', scalar @only_b );

my $ext = sub { [ sort map { join ' ', $_->{type}, $_->{addr}, unpack( 'H*', $_->{hdr} ), @{ $_->{ptrs} } } @{ $_[0]{ext} } ] };
is_deeply( $ext->($B), $ext->($A), 'MAGIC and SAVED_* records identical' );
my %xt; $xt{ $_->{type} }++ for @{ $B->{ext} };
ok( $xt{0x80}, 'MAGIC records present' );
ok( $xt{$_}, sprintf 'SAVED record 0x%02x present', $_ ) for 0x81, 0x82, 0x83, 0x84, 0x86;
is_deeply( $B->{contexts}, $A->{contexts}, 'contexts identical (SUB/TRY/EVAL innermost first)' );
is_deeply( [ map { $_->{type} } @{ $B->{contexts} } ], [ 1, 2, 1, 3, 1 ], 'context kinds' );

my %types; $types{ $_->{type} }++ for values %{ $B->{sv} };
ok( $types{$_}, "SV record type $_ present" ) for 1 .. 15;

# --- what pmat shows -------------------------------------------------------
my @cmds = (
   [ show => '$main::PV' ], [ show => '$main::UTF8' ], [ show => '$main::LONG' ],
   [ show => '$main::IV' ], [ show => '$main::UV' ], [ show => '$main::NV' ],
   [ show => '@main::LIST' ], [ show => '%main::CONF' ], [ show => '&main::counter' ],
   [ show => '&main::level3' ], [ show => '$main::OBJ' ], [ show => '%main::TIED' ],
   [ show => '$main::LV' ], [ show => '$main::RE' ], [ show => '$main::WEAK' ],
   [ identify => '$main::PV' ], [ identify => '%main::CONF' ],
   [ 'callers' ], [ 'stack' ], [ elems => '@main::LIST' ], [ values => '%main::CONF' ],
   [ size => '%main::CONF' ], [ count => '--blessed' ], [ 'roots' ],
);
for my $c ( @cmds ) {
   my @text = map {
      my ( $st, $out, $err ) = @$_;
      $out =~ s/0x[0-9a-f]+/ADDR/g;
      $out = join "\n", sort split /\n/, $out if $c->[0] eq 'roots';   # Perl hash order
      "$st\n$out$err";
   } run_parallel( map { [ '/usr/bin/pmat', '-q', $_, @$c ] } $DMD, $PMAT );
   if( $c->[0] eq 'stack' or $c->[0] eq 'count' ) {
      # the argument stack holds each call's own file-name argument, and the
      # SCALAR row counts the few extra scalars allowed above
      s/^.*(?:\$_\[|SCALAR|\(total\)|^\s*\[\d+\]).*$//mg for @text;
   }
   is( $text[1], $text[0], "pmat @$c: same text except addresses" );
}

done_testing;
