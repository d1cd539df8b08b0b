#!/usr/bin/perl
# The Devel::MAT::Dumper helper API: a package helper registered in
# PL_modglobal (as DMD_SET_PACKAGE_HELPER does) is called for each object of
# the package (and subclasses); its annotations and DMD_DUMP_STRUCT records
# are written, and Devel::MAT loads and shows them.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use File::Temp qw( tempdir );
use PMATTestUtil;
use PMATFile;
use Devel::PMAT;

my $dir = tempdir( CLEANUP => 1 );

package Helped { sub new { bless { buf => "some buffer" }, shift } }
package Helped::Sub { our @ISA = ('Helped') }
package main;

Devel::PMAT::_set_test_helper( 'Helped' );
our $obj = Helped->new;
our $sub = Helped::Sub->new;
Devel::PMAT::dump( "$dir/h.pmat", format => $MAT_FORMAT );   # Devel::MAT loads it below

my $f = PMATFile->new( "$dir/h.pmat" );
my @meta = values %{ $f->{structs} || {} };
is( scalar @meta, 1, 'one META_STRUCT for the struct type' );
is( $meta[0][0], 'Devel::PMAT/TestStruct', 'struct type name' );
is_deeply( $meta[0][1], [ [ 'the buf SV', 0 ], [ 'the count', 4 ], [ 'is active', 1 ] ], 'struct fields' );
my @structs = grep { $_->{type} == 0x7F } values %{ $f->{sv} };
is( scalar @structs, 1, 'STRUCT record (same address for both objects)' );
is( $structs[0]{addr}, Devel::PMAT::_test_struct_addr(), 'STRUCT address' );
my @notes = grep { $_->{type} == 0x87 } @{ $f->{ext} };
my %by = map { $_->{addr} => 1 } @notes;
ok( $by{ 0 + $obj } && $by{ 0 + $sub }, 'annotations for the object and the subclass object' );
is( scalar @notes, 4, 'two annotations per object' );

SKIP: {
   skip 'no /usr/bin/pmat', 3 unless have_pmat();
   my ( $st, $out, $err ) = run_capture( '/usr/bin/pmat', '-q', "$dir/h.pmat", 'outrefs', '-a', sprintf( '0x%x', 0 + $obj ) );
   is( $st, 0, 'pmat outrefs runs' );
   is( $err, '', 'no warnings' );
   like( $out, qr/the test structure\s+C_STRUCT\(Devel::PMAT\/TestStruct\)/, 'annotation to the struct shown' );
}

done_testing;
