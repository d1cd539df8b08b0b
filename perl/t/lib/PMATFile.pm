package PMATFile;
# A small, fast reader of .pmat files (formats 0.4 to 0.6, little-endian,
# 64-bit) for the Devel::PMAT tests: it keeps each SV record's raw bytes so
# two dumps of the same process state can be compared record by record.
use strict;
use warnings;

sub new {
   my ( $class, $path ) = @_;
   open my $fh, '<:raw', $path or die "Cannot read $path - $!";
   local $/;
   my $buf = <$fh>;
   my $self = bless { path => $path, buf => \$buf, pos => 0 }, $class;
   $self->_parse;
   return $self;
}

sub _u8  { my $s = shift; my $v = unpack 'C', substr ${ $s->{buf} }, $s->{pos}, 1; $s->{pos} += 1; $v }
sub _u32 { my $s = shift; my $v = unpack 'L<', substr ${ $s->{buf} }, $s->{pos}, 4; $s->{pos} += 4; $v }
sub _u64 { my $s = shift; my $v = unpack 'Q<', substr ${ $s->{buf} }, $s->{pos}, 8; $s->{pos} += 8; $v }
sub _bytes { my ( $s, $n ) = @_; my $v = substr ${ $s->{buf} }, $s->{pos}, $n; $s->{pos} += $n; $v }
sub _str {
   my $s = shift;
   my $len = $s->_u64;
   return undef if $len == ~0;
   return $s->_bytes($len);
}
sub _groups {
   my ( $s, $sz ) = @_;
   my $hdr  = $s->_bytes( $sz->[0] );
   my @ptrs = map { $s->_u64 } 1 .. $sz->[1];
   my @strs = map { $s->_str } 1 .. $sz->[2];
   return ( $hdr, \@ptrs, \@strs );
}

sub _parse {
   my $s = shift;
   $s->_bytes(4) eq 'PMAT' or die "$s->{path}: not a PMAT file";
   $s->{flags} = $s->_u8; $s->_u8; $s->_u8;
   $s->{minor} = $s->_u8;
   $s->{perlver} = $s->_u32;
   for my $t (qw( sv svx ctx )) {
      my $n = $s->_u8;
      $s->{"${t}_sizes"} = [ map { [ unpack 'C3', $s->_bytes(3) ] } 1 .. $n ];
   }
   $s->{immortals} = [ map { $s->_u64 } 1 .. 3 ];
   my $nroots = $s->_u32;
   $s->{roots} = [ map { [ $s->_str, $s->_u64 ] } 1 .. $nroots ];
   my $nstack = $s->_u64;
   $s->{stack} = [ map { $s->_u64 } 1 .. $nstack ];
   my ( %sv, @ext, @order );
   while( 1 ) {
      my $type = $s->_u8;
      last if !$type;
      if( $type == 0xF0 ) {
         my ( $id, $nf ) = ( $s->_u64, $s->_u64 );
         my $name = $s->_str;
         my @f = map { [ $s->_str, $s->_u8 ] } 1 .. $nf;
         $s->{structs}{$id} = [ $name, \@f ];
         next;
      }
      if( $type >= 0x80 ) {
         my $addr = $s->_u64;
         my @g = $s->_groups( $s->{svx_sizes}[ $type - 0x80 ] );
         push @ext, { type => $type, addr => $addr, hdr => $g[0], ptrs => $g[1], strs => $g[2] };
         next;
      }
      my $start = $s->{pos};
      my ( $chdr, $cptrs ) = $s->_groups( $s->{sv_sizes}[0] );
      my ( $addr, $refcnt, $size ) = unpack 'Q< L< Q<', $chdr;
      my $rec = { type => $type, addr => $addr, refcnt => $refcnt, size => $size,
                  blessed => $cptrs->[0] };
      my $bstart = $s->{pos};
      if( $type == 0x7F ) {
         for my $f ( @{ $s->{structs}{ $rec->{blessed} }[1] } ) {
            $s->_bytes( $f->[1] == 0 || $f->[1] == 4 ? 8 : $f->[1] == 3 ? 4 : 1 );
         }
      }
      else {
         my ( $hdr, $ptrs, $strs ) = $s->_groups( $s->{sv_sizes}[$type] );
         @{$rec}{qw( hdr ptrs strs )} = ( $hdr, $ptrs, $strs );
         if( $type == 4 ) {
            my $n = unpack 'Q<', $hdr;
            $rec->{elems} = [ map { $s->_u64 } 1 .. $n ];
         }
         elsif( $type == 5 or $type == 6 or $type == 17 ) {
            # 0.6: key, HEK, value
            my $n = unpack 'Q<', $hdr;
            $rec->{pairs} = [ map { [ $s->_str, ( $s->{minor} >= 6 ? $s->_u64 : () ), $s->_u64 ] } 1 .. $n ];
            if( $type == 17 ) {
               my @fields;
               while( my $ct = $s->_u8 ) {
                  $ct == 1 or die "$s->{path}: unknown CLASSx $ct";
                  push @fields, [ $s->_u64, $s->_str ];
               }
               $rec->{fields} = \@fields;
            }
         }
         elsif( $type == 16 ) {
            my $n = unpack 'Q<', $hdr;
            $rec->{elems} = [ map { $s->_u64 } 1 .. $n ];
         }
         elsif( $type == 7 ) {
            my @sub;
            while( my $st = $s->_u8 ) {
               if   ( $st == 1 || $st == 3 || $st == 7 ) { push @sub, [ $st, $s->_u64 ] }
               elsif( $st == 2 || $st == 4 )             { push @sub, [ $st, $s->_u64 ] }
               elsif( $st == 5 ) { push @sub, [ $st, $s->_u64, $s->_str, $s->_u64 ] }
               elsif( $st == 8 ) { push @sub, [ $st, $s->_u64, $s->_u64 ] }
               elsif( $st == 9 ) { push @sub, [ $st, $s->_u64, $s->_u8 ] }
               elsif( $st == 10 ) { push @sub, [ $st, $s->_u64, $s->_u64, $s->_u64 ] }
               else { die "$s->{path}: unknown CODEx $st" }
            }
            $rec->{sub} = \@sub;
         }
      }
      $rec->{body} = substr ${ $s->{buf} }, $bstart, $s->{pos} - $bstart;
      $sv{$addr} = $rec;
      push @order, $addr;
   }
   $s->{sv} = \%sv;
   $s->{order} = \@order;
   $s->{ext} = \@ext;
   my @ctx;
   while( my $type = $s->_u8 ) {
      my ( $hdr, undef, $strs ) = $s->_groups( $s->{ctx_sizes}[0] );
      my ( $gimme, $line ) = unpack 'C Q<', $hdr;
      my @g = $s->_groups( $s->{ctx_sizes}[$type] );
      push @ctx, { type => $type, gimme => $gimme, line => $line, file => $strs->[0],
                   hdr => $g[0], ptrs => $g[1] };
   }
   $s->{contexts} = \@ctx;
   # mortals: written from format 0.5 on (Devel::MAT::Dumper 0.47 and later)
   if( $s->{pos} < length ${ $s->{buf} } ) {
      my $n = $s->_u64;
      $s->{mortals} = [ map { $s->_u64 } 1 .. $n ];
      $s->{mortal_floor} = $s->_u64;
   }
   $s->{pos} == length ${ $s->{buf} } or die "$s->{path}: trailing bytes";
   delete $s->{buf};
}

1;
