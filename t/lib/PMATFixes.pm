package PMATFixes;
# Loaded into the oracle (Devel::MAT 0.51) by the test harness: corrects, in the
# oracle itself, the few places where Devel::MAT 0.51 is plainly wrong and pmat
# deliberately does the right thing instead (docs/compat.md).  Everything else the
# oracle prints is Devel::MAT's own code.  Each fix is small and named; t/compat.t
# shows that the unpatched oracle differs from pmat exactly in these ways.
#
#   ivuv   0.51 names the integer fields the wrong way round: a plain integer (IV) is
#          called UV and shown unsigned (-5 as 18446744073709551611); a true UV is
#          called IV, shown signed, and its value is never previewed.  Fixed: IV is
#          signed, UV unsigned, and value previews show whichever integer is present.
#   nvbytes 0.51 unpacks the NV field with "A8", which strips trailing NUL and
#          space bytes, so 0.0, NVs up to DBL_MIN and NVs whose top byte is 0x20 read
#          as absent (a scalar holding 0.0 shows as UNDEF()).  Fixed: all 8 bytes.
#   undefkind (Devel::MAT < 0.56 only) `count` (and pmat-counts) file a scalar with no
#          value under SCALAR; 0.56 counts it as UNDEF, and pmat follows 0.56: the
#          older oracles get 0.56's rows (the SCALAR row less those, an UNDEF row).
#   newopts (Devel::MAT < 0.56 only) `values` and `elems` declare 0.56's options
#          (values: --skip, --no-sort, --hek and a /PATTERN/ filter argument; elems:
#          --start), which pmat has, so that `help values` / `help elems` compare; the
#          commands still run 0.51's code (its numeric positional skip / start index,
#          which pmat also accepts).
#   namehekat (Devel::MAT 0.53) `show` of a GLOB calls a method `name_hek_at` that
#          0.53 does not have, so it dies after the name line; 0.56 has it.  Fixed:
#          the method, as 0.56's.
#
#   packages `packages -V` shows "pv // nv // uv" of $VERSION: with ivuv alone an integer
#          $VERSION (an IV, no longer answered by uv) would lose the version 0.51 shows;
#          fixed: pv // nv // iv // uv, so 0.51's output is kept (a negative integer
#          $VERSION shows signed).
#
# PMAT_ORACLE_RAW=1 in the environment disables every fix; PMAT_ORACLE_FIXES="ivuv ..."
# applies only the named ones (t/compat.t checks what each one changes).
use strict;
use warnings;

return 1 if $ENV{PMAT_ORACLE_RAW};
my %FIX = map { $_ => 1 } defined $ENV{PMAT_ORACLE_FIXES} ? split( ' ', $ENV{PMAT_ORACLE_FIXES} )
                                                          : qw( nvbytes ivuv packages );

require Devel::MAT;
require Devel::MAT::SV;

no warnings 'redefine';

if( $FIX{nvbytes} ) {
   # nvbytes: decode the SCALAR header with "a" (binary-safe) for the NV field
   my $orig_load = \&Devel::MAT::SV::SCALAR::load;
   *Devel::MAT::SV::SCALAR::load = sub {
      my $self = shift;
      my ( $header, $ptrs, $strs ) = @_;
      return $self->$orig_load( @_ ) if ref $self ne "Devel::MAT::SV::SCALAR";
      my $df = $self->df;
      my ( $flags, $uv, $nvbytes, $pvlen ) =
         unpack "C $df->{uint_fmt} a$df->{nv_len} $df->{uint_fmt}", $header;
      my $nv = length $nvbytes == $df->{nv_len} ? unpack( $df->{nv_fmt}, $nvbytes ) : undef;
      $self->_set_scalar_fields( $flags, $uv, $nv, $strs->[0], $pvlen, $ptrs->[0] );
      $flags &= ~0x1f;
      $flags and die sprintf "Unrecognised SCALAR flags %02x\n", $flags;
   };
}

if( $FIX{ivuv} ) {
   # ivuv: swap the accessors back, with the right signedness (not for BOOLs, whose
   # yes/no value lives in the same field)
   my $orig_uv = \&Devel::MAT::SV::SCALAR::uv;
   my $orig_iv = \&Devel::MAT::SV::SCALAR::iv;
   *Devel::MAT::SV::SCALAR::iv = sub {
      my $self = shift;
      return $self->$orig_iv if $self->isa( "Devel::MAT::SV::BOOL" );
      my $v = $self->$orig_uv;
      return defined $v ? unpack( "q", pack "Q", $v ) : undef;
   };
   *Devel::MAT::SV::SCALAR::uv = sub {
      my $self = shift;
      return $self->$orig_uv if $self->isa( "Devel::MAT::SV::BOOL" );
      my $v = $self->$orig_iv;
      return defined $v ? unpack( "Q", pack "q", $v ) : undef;
   };

   # value previews: show the integer whichever kind it is
   my $orig_fswv = \&Devel::MAT::Cmd::_base::format_sv_with_value;
   *Devel::MAT::Cmd::_base::format_sv_with_value = sub {
      my $self = shift;
      my ( $sv ) = @_;
      return $self->$orig_fswv( @_ ) unless $sv->type eq "SCALAR" and ref $sv eq "Devel::MAT::SV::SCALAR";
      my $repr = $self->format_sv( $sv );
      my @reprs;
      my $num = $sv->nv // $sv->iv // $sv->uv;
      push @reprs, $self->format_value( $num, nv => 1 ) if defined $num;
      push @reprs, $self->format_value( $sv->pv, pv => 1 ) if defined $sv->pv;
      return "$repr = $reprs[0] / $reprs[1]" if @reprs > 1;
      return "$repr = $reprs[0]" if @reprs;
      return $repr;
   };
}

if( $FIX{packages} ) {
   # packages: `packages -V` shows pv // nv // uv; an integer $VERSION is an IV
   require Devel::MAT::Tool::Symbols;
   *Devel::MAT::Tool::Symbols::_packages::_versionof = sub {
      my ( $stash ) = @_;
      my $versiongv = $stash->value( 'VERSION' ) or return "";
      my $versionsv = $versiongv->scalar or return "";
      my $version = $versionsv->pv // $versionsv->nv // $versionsv->iv // $versionsv->uv;
      return " " . Devel::MAT::Cmd->format_value( $version );
   };
}

if( defined &Devel::MAT::SV::GLOB::name_hek and !defined &Devel::MAT::SV::GLOB::name_hek_at ) {
   # namehekat
   *Devel::MAT::SV::GLOB::name_hek_at = sub { $_[0]->name_hek };
}

if( $Devel::MAT::VERSION < 0.56 ) {
   # newopts
   require Devel::MAT::Tool::Show;
   no warnings 'redefine';
   *Devel::MAT::Tool::Show::_values::CMD_OPTS = sub () { (
      count   => { help => "maximum count of values to print", type => "i", alias => "c", default => 50 },
      skip    => { help => "count of keys to skip initially before printing", type => "i", alias => "s" },
      no_sort => { help => "don't sort keys before printing", alias => "n" },
      hek     => { help => "also show HEK pointers", alias => "H" },
   ) };
   *Devel::MAT::Tool::Show::_values::CMD_ARGS = sub () { (
      { name => "filter", help => "optional pattern to filter keys by" },
   ) };
   *Devel::MAT::Tool::Show::_elems::CMD_OPTS = sub () { (
      count => { help => "maximum count of elements to print", type => "i", alias => "c", default => 50 },
      start => { help => "starting index", type => "i", alias => "s" },
   ) };
}

if( $Devel::MAT::VERSION < 0.56 ) {
   # undefkind: count the value-less scalars first, then let the original count_svs
   # emit SCALAR without them and print an UNDEF row in its sorted place
   require Devel::MAT::Tool::Count;
   my $orig = \&Devel::MAT::Tool::Count::count_svs;
   *Devel::MAT::Tool::Count::count_svs = sub {
      my ( $self, %opts ) = @_;
      my $size_meth = $opts{owned} ? "owned_size" : $opts{struct} ? "structure_size" : "size";
      my @u = ( 0 ) x 4;   # svs, blessed svs, bytes, blessed bytes
      my %upkg;            # with -b: value-less blessed scalars per package
      foreach my $sv ( $self->df->heap ) {
         next unless ref $sv eq "Devel::MAT::SV::SCALAR";
         next if defined $sv->uv or defined $sv->iv or defined $sv->nv or defined $sv->pv;
         my $bytes = $sv->$size_meth;
         $u[0]++; $u[2] += $bytes;
         if( $sv->blessed ) { $u[1]++; $u[3] += $bytes; $upkg{ $sv->blessed->stashname }++ }
      }
      return $self->$orig( %opts ) unless $u[0];
      my $ec = $opts{emit_count} // sub { ( !$_[1] || $_[2] ) ? $_[2] : "" };
      my $eb = $opts{emit_bytes} // sub { ( !$_[1] || $_[2] ) ? Devel::MAT::Cmd->format_bytes( $_[2] ) : "" };
      my $in_scalar;   # the SCALAR row is being emitted (its four cells)
      my %o = ( %opts,
         emit_count => sub { my ( $k, $b, $n ) = @_; $n -= $u[$b ? 1 : 0] if $k eq "SCALAR"; $ec->( $k, $b, $n ) },
         emit_bytes => sub { my ( $k, $b, $n ) = @_; $n -= $u[$b ? 3 : 2] if $k eq "SCALAR"; $eb->( $k, $b, $n ) },
      );
      my $undef_row = [ "UNDEF", $ec->( "UNDEF", 0, $u[0] ), $ec->( "UNDEF", 1, $u[1] ),
                        $eb->( "UNDEF", 0, $u[2] ), $eb->( "UNDEF", 1, $u[3] ) ];
      no warnings 'redefine';
      my $orig_pt = Devel::MAT::Cmd->can( "print_table" );
      local *Devel::MAT::Cmd::print_table = sub {
         my ( $class, $rows, @rest ) = @_;
         my @rows = @$rows;
         # before the first kind row that sorts after UNDEF, or the rule above the total
         my $at = @rows;
         for my $i ( 0 .. $#rows ) {
            my $k = $rows[$i][0];
            if( !defined $k ) { $at = $i; last }   # the rule above the total
            next if $k =~ m/^\s/;
            if( $k =~ m/^[-(]/ or $k gt "UNDEF" ) { $at = $i; last }
         }
         # with -b: a package whose blessed scalars all have no value is listed under
         # UNDEF (where its SVs are counted), not under SCALAR
         my @moved;
         my $kind = "";
         for( my $i = 0; $i < @rows; $i++ ) {
            my $k = $rows[$i][0] // "";
            if( $k !~ m/^\s/ ) { $kind = $k; next }
            my ( $pkg ) = $k =~ m/^\s+(\S.*?)\s*$/;
            next unless $kind eq "SCALAR" and defined $pkg and $upkg{$pkg};
            # the blessed count cell: count's rows have 5 cells, pmat-counts' 9 (deltas)
            my $n = "" . ( @{ $rows[$i] } >= 9 ? $rows[$i][3] : $rows[$i][2] ) // "";
            next unless $n =~ m/^\s*(\d+)\s*$/ and $1 == $upkg{$pkg};
            push @moved, splice( @rows, $i, 1 );
            $i--;
            $at-- if $i < $at;
         }
         splice @rows, $at, 0, $undef_row, @moved;
         return $class->$orig_pt( \@rows, @rest );
      };
      return $self->$orig( %o );
   };
}

1;
