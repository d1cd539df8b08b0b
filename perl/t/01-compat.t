#!/usr/bin/perl
# Back-to-back dumps of one program state by the installed Devel::MAT::Dumper
# (0.46 on perl 5.36, 0.50 on 5.40, 0.52 on 5.42) and Devel::PMAT writing
# the same format (0.4 for 0.46; 0.6, our default, for 0.48 and later): both
# load in the installed Devel::MAT without warnings, the per-kind counts
# agree, and record by record (matched by address) the files are identical
# except for what the two dump calls themselves create.
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

# we dump in the format of the installed Devel::MAT::Dumper, passing it only
# when it is not our default
my $DMD_VERSION = Devel::MAT::Dumper->VERSION;
my $FORMAT = $DUMPER_FORMAT;
my $CLASSES = $] >= 5.038;   # `use feature 'class'`

my ( $st, $out, $err ) = run_capture( perl_cmd( "$PROGS/allkinds.pl", $DMD, $PMAT,
   $FORMAT eq "0.6" ? () : $FORMAT ) );
is( $st, 0, 'allkinds.pl ran' ) or diag $err;
ok( -s $DMD && -s $PMAT, 'both dumps written' );
is( ( stat $PMAT )[2] & 07777, 0600, 'dump file mode is 0600' );

# --- both load in Devel::MAT -------------------------------------------------
my %count;
my @runs = run_parallel( map { [ '/usr/bin/pmat', '-q', $_, 'summary' ], [ '/usr/bin/pmat', '-q', $_, 'count' ] } $DMD, $PMAT );
for my $f ( $DMD, $PMAT ) {
   my ( $st, $out, $err ) = @{ shift @runs };
   is( $st, 0, "pmat summary exit 0 for $f" );
   # Devel::MAT warns once that class support is experimental
   $err =~ s/^Support for class features in PMAT file is experimental at .*\n//m if $CLASSES;
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
is( $A->{minor}, $FORMAT =~ s/^0\.//r, "Devel::MAT::Dumper $DMD_VERSION wrote format $FORMAT" );
is( $B->{minor}, $A->{minor}, "Devel::PMAT wrote format $FORMAT" );
is_deeply( $B->{roots}, $A->{roots}, 'roots: same names, order and addresses' );
is_deeply( [ @{$B->{immortals}} ], [ @{$A->{immortals}} ], 'immortals' );
is_deeply( $B->{sv_sizes},  $A->{sv_sizes},  'SV size table' );
{
   # 0.52 lists the MAGICv2 extension (0x8A); 0.50 does not yet
   my @ours = @{ $B->{svx_sizes} };
   if( $FORMAT eq "0.6" and $DMD_VERSION < 0.52 ) {
      is( scalar @ours, @{ $A->{svx_sizes} } + 1, 'SVx size table: one more (MAGICv2) than 0.50' );
      pop @ours;
   }
   is_deeply( \@ours, $A->{svx_sizes}, 'SVx size table' );
}
is_deeply( $B->{ctx_sizes}, $A->{ctx_sizes}, 'context size table' );
is( $B->{flags}, $A->{flags}, 'header flags' );
is( scalar @{ $B->{stack} }, scalar @{ $A->{stack} }, 'argument stack depth' );

# Format 0.6 gives CODE records the address of their name's HEK. Devel::MAT::
# Dumper 0.48-0.52 mean to write it, but test for the macro CvNAME_HEK, which
# perl has made an inline function, so they always write NULL; we write it.
# Compared apart from the rest of the record.
my $NAME_HEK_AT = 8 + 1 + 8 + 4;      # after LINE, FLAGS, OPROOT, DEPTH
my ( @name_hek_bad, $named_cvs );
if( $FORMAT eq "0.6" ) {
   for my $addr ( @{ $B->{order} } ) {
      my $rb = $B->{sv}{$addr};
      next unless $rb->{type} == 7;
      my $ra = $A->{sv}{$addr} or next;
      my ( $ha, $hb ) = map { unpack 'Q<', substr $_->{body}, $NAME_HEK_AT, 8 } $ra, $rb;
      my $named = defined $rb->{strs}[1];
      $named_cvs++ if $named;
      push @name_hek_bad, sprintf "0x%x: %x %x", $addr, $ha, $hb if $ha or ( $named xor $hb );
      substr( $_->{body}, $NAME_HEK_AT, 8 ) = "\0" x 8 for $ra, $rb;
   }
   ok( $named_cvs, "$named_cvs named CVs" );
   is( scalar @name_hek_bad, 0, 'CODE NAME_HEK: ours set exactly for named CVs, theirs NULL' )
      or diag join "\n", @name_hek_bad[ 0 .. ( $#name_hek_bad < 10 ? $#name_hek_bad : 10 ) ];
}

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
if( $CLASSES ) {
   is( $types{16} // 0, $count{$DMD}{OBJECT} // -1, "OBJECT records: as many as Devel::MAT counts in the Dumper's file" );
   cmp_ok( $types{16} // 0, '>=', 51, "... the 51 points at least" );
   ok( $types{17}, "CLASS records present" );
   my ( $point ) = grep { $_->{type} == 17 and $_->{strs}[0] eq "My::Point" } values %{ $B->{sv} };
   is_deeply( [ map { $_->[1] } @{ $point->{fields} || [] } ], [ '$x', '$y', '@trail', '%seen' ],
      'My::Point: its four fields in order' );
   ok( scalar( grep { $_->[0] == 10 } map { @{ $_->{sub} || [] } } values %{ $B->{sv} } ),
      'CODE records carry PADNAME_FIELD entries' );
}
if( $FORMAT eq "0.6" ) {
   ok( scalar( grep { $_->{type} == 0x89 } @{ $B->{ext} } ), 'PV_SHARED_HEK records present' );
   ok( scalar( grep { $_->{type} == 5 and grep { $_->[1] } @{ $_->{pairs} } } values %{ $B->{sv} } ),
      'hashes carry HEK pointers' );
}
if( $FORMAT ne "0.4" ) {
   ok( defined $B->{mortals} && defined $A->{mortals}, 'both files end with the mortals' );
   is_deeply( $B->{mortals}, $A->{mortals}, 'the same mortals (' . scalar( @{ $B->{mortals} || [] } ) . ')' );
   is( $B->{mortal_floor}, $A->{mortal_floor}, 'same mortal floor' );
   is_deeply( [ grep { !$B->{sv}{$_} } @{ $B->{mortals} || [] } ], [], 'every mortal is an SV of the file' );
}
else {
   ok( !defined $B->{mortals}, 'format 0.4: no mortals section' );
}

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
if( $CLASSES ) {
   my ( $obj ) = grep { $B->{sv}{$_}{type} == 16 } @{ $B->{order} };
   my ( $cls ) = grep { $B->{sv}{$_}{type} == 17 and $B->{sv}{$_}{strs}[0] eq "My::Point" } @{ $B->{order} };
   push @cmds, [ elems => '@main::POINTS' ],
      map { [ show => sprintf '0x%x', $_ ], [ identify => sprintf '0x%x', $_ ] } grep { defined } $obj, $cls;
}
for my $c ( @cmds ) {
   my @text = map {
      my ( $st, $out, $err ) = @$_;
      $out =~ s/0x[0-9a-f]+/ADDR/g;
      $out = join "\n", sort split /\n/, $out if $c->[0] eq 'roots';   # Perl hash order
      "$st\n$out$err";
   } run_parallel( map { [ '/usr/bin/pmat', '-q', $_, @$c ] } $DMD, $PMAT );
   # the NAME_HEK of named CVs (see above), which only our file has
   $text[1] =~ s/^  name_hek=ADDR\n//m if $c->[0] eq 'show' and $c->[1] =~ m/^&/ and $FORMAT eq "0.6";
   if( $c->[0] eq 'stack' or $c->[0] eq 'count' ) {
      # the argument stack holds each call's own file-name argument, and the
      # SCALAR row counts the few extra scalars allowed above
      s/^.*(?:\$_\[|SCALAR|\(total\)|^\s*\[\d+\]).*$//mg for @text;
   }
   is( $text[1], $text[0], "pmat @$c: same text except addresses" );
}

done_testing;
