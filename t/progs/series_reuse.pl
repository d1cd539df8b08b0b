#!/usr/bin/perl
# series_reuse.pl - two dumps for pmat-diff where freed SVs' addresses are reused by new
# SVs of another kind or class: an unblessed ARRAY(1) and an `Old` object are freed, and
# a Job HASH and a Job ARRAY are allocated at exactly those addresses.
#   perl t/progs/series_reuse.pl OUT-TEMPLATE      (writes %d = 1 and 2)
# Also writes reuse.txt beside the dumps: "array 0xADDR", "old 0xADDR" (the reused addresses).
# pmat-test: series
use strict;
use warnings;
use Devel::MAT::Dumper;
use Scalar::Util qw( refaddr );

my $template = shift @ARGV // die "usage: series_reuse.pl OUT-%d.pmat\n";

our $ARRAY = [ 1 ];
our $OLD = bless [ 2, 3 ], 'Old';
our $STAYS = [ "common" ];
# The first free of an `Old` object looks up (and caches) its DESTROY, allocating SVs
# that would take the freed heads: do that once before the dumps.
{ my $warm = bless [], 'Old'; }
my %want = ( array => refaddr $ARRAY, old => refaddr $OLD );

Devel::MAT::Dumper::dump( sprintf $template, 1 );

# Freed SV heads go to the front of perl's free list, and an anonymous hash assigned to a
# hash element is allocated before the element: each Job takes the head just freed.
our %REUSED;
undef $ARRAY;
$REUSED{array} = bless {}, 'Job';
undef $OLD;
$REUSED{old} = bless [ 4 ], 'Job';
refaddr( $REUSED{$_} ) == $want{$_} and delete $want{$_} for keys %REUSED;
die "series_reuse.pl: addresses not reused: @{[ keys %want ]}\n" if %want;

( my $notes = sprintf $template, 0 ) =~ s{[^/]*$}{reuse.txt};
open my $fh, ">", $notes or die "Cannot write $notes - $!";
printf $fh "%s 0x%x\n", $_, refaddr $REUSED{$_} for sort keys %REUSED;
close $fh;

Devel::MAT::Dumper::dump( sprintf $template, 2 );
