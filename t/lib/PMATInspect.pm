package PMATInspect;

# Helpers shared by the inspection-command tests (t/cmd-show.t, t/cmd-elems-values.t,
# t/cmd-symbols.t, t/cmd-callers.t, t/cmd-find.t): choosing symbols from the test
# programs, normalising the one hash-order-dependent piece of value previews, and
# comparing outputs where Devel::MAT 0.51 dies part-way (docs/compat.md).

use strict;
use warnings;

use Exporter qw( import );
use File::Basename qw( basename );
use Test::Builder;
use PMATTest;

our @EXPORT = qw(
   hash_preview_filter prog_symbols aliased_svs alias_filter
   same_until_oracle_died compare_inspect
);

my $TB = Test::Builder->new;

# A HASH preview "= {{k} => SV, ...}" shows the first key in Perl hash order (random in
# Devel::MAT, file order for us): with more than one key, compare without the key.
sub hash_preview_filter
{
   my ( $text ) = @_;
   $text =~ s{(HASH\((\d+)\)(?:=[^ ]*)? at 0x[0-9a-f]+(?:=[^ \n]*)?) = \{.*?, \.\.\.\}}
             { $2 > 1 ? "$1 = {<hash-order>, ...}" : $& }ge;
   return $text;
}

# A PV whose capture cut a UTF-8 character (the dumper's 256-byte limit) is malformed;
# 0.51's substr then keeps 65 characters where we keep 64 (docs/compat.md).  Compare
# such truncated previews without their length.
sub malformed_utf8_filter
{
   my ( $text ) = @_;
   $text =~ s/"(?:\\x\{263a\}){64,65}"\.\.\./"<64 or 65 x 263a>".../g;
   return $text;
}

# The SVs held in a slot of two or more GLOBs (aliased globs, imported subs).  Which of
# those globs names such an SV (`named as`, a CODE's `glob=`, its symname in `find cv`
# and `callers`) follows Perl's hash order in 0.51 (reference section 8): tests compare
# those names through alias_filter.  Computed with Devel::MAT's own API, cached.
my %ALIASED;
sub aliased_svs
{
   my ( $dump ) = @_;
   return $ALIASED{$dump} if $ALIASED{$dump};
   my @st = stat $dump;
   my $cache = "$dump.aliased-$st[9]-$st[7]";
   if( !-f $cache ) {
      my $code = <<'PERL';
use Devel::MAT;
my ( $dump, $out ) = @ARGV;
my $df = Devel::MAT->load( $dump, progress => undef )->dumpfile;
my %holders;
foreach my $gv ( grep { $_->type eq "GLOB" } $df->heap ) {
   foreach my $sv ( grep { defined } $gv->scalar, $gv->array, $gv->hash, $gv->code ) {
      $holders{ $sv->addr }{ $gv->addr } = 1;
   }
}
open my $fh, ">", "$out.tmp" or die;
printf $fh "%#x\n", $_ for grep { keys %{ $holders{$_} } > 1 } sort { $a <=> $b } keys %holders;
close $fh;
rename "$out.tmp", $out or die;
PERL
      my $res = run_cmd( [ $^X, "-e", $code, $dump, $cache ] );
      die "aliased_svs($dump) failed: $res->{err}" if $res->{exit} or !-f $cache;
   }
   open my $fh, "<", $cache or die "$cache: $!";
   my %set = map { chomp; $_ => 1 } <$fh>;
   return $ALIASED{$dump} = \%set;
}

# Normalise the glob-dependent naming of aliased SVs (see aliased_svs): in `show`
# output whose first line is an aliased SV, the `named as` and `glob=` lines; in any
# line, a symbol name after "AT 0xADDR=" / "AT 0xADDR: " for an aliased CODE.
sub alias_filter
{
   my ( $dump ) = @_;
   my $aliased = aliased_svs( $dump );
   return sub {
      my ( $text ) = @_;
      if( $text =~ m/\A\S.*? at (0x[0-9a-f]+)/ and $aliased->{$1} ) {
         $text =~ s/^  named as .*$/  named as <aliased>/m;
         $text =~ s/^  glob=.*$/  glob=<aliased>/m;
      }
      $text =~ s{( at (0x[0-9a-f]+)(?:=[^ \n:]+)?)(=|: )&\S+}{ $aliased->{$2} ? "$1$3&<aliased>" : $& }ge;
      return $text;
   };
}

# The symbols a test program defines, as Devel::MAT's `symbols -R` lists them in its
# dump (sigil + full name; main's own as "main::NAME"), restricted to names that occur
# as words in the program's source and live in main or a package it declares (so the
# modules it loads do not swamp the list).
sub prog_symbols
{
   my ( $prog, $dump ) = @_;
   my $src = do {
      open my $fh, "<", PMATTest::repo_root() . "/t/progs/$prog.pl" or die "$prog: $!";
      local $/; <$fh>;
   };
   my %words = map { $_ => 1 } $src =~ m/([A-Za-z_][A-Za-z0-9_]*)/g;
   my %pkgs = ( main => 1, map { $_ => 1 } $src =~ m/^\s*package\s+([\w:]+)/mg );
   my $res = run_oracle( $dump, "symbols", "-R" );
   my @syms;
   my %seen;
   foreach my $line ( split m/\n/, $res->{out} ) {
      my ( $sigil, $name ) = $line =~ m/^([\$\@%&])(\S+) at / or next;
      next if $name =~ m/^\{/;           # ${^E}-style names: not typable as symbols
      next if $name =~ m/^_</;
      my ( $last ) = $name =~ m/([A-Za-z_][A-Za-z0-9_]*)(?:::)?$/ or next;
      next unless $words{$last};
      my ( $pkg ) = $name =~ m/^(.*)::[^:]+(?:::)?$/;
      next if defined $pkg and !$pkgs{$pkg};
      my $full = $name =~ m/::/ ? $name : "main::$name";
      $full = "main::$name" if $name =~ m/^[^:]+::$/;   # a top-level stash: %Foo:: -> %main::Foo::
      push @syms, "$sigil$full" unless $seen{"$sigil$full"}++;
   }
   return @syms;
}

# For a command where Devel::MAT 0.51 dies part-way through its output (a kind with no
# show_KIND method, an array preview of a NULL element, the missing pvlen of the YES/NO
# immortals): our output must succeed and start with everything the oracle printed
# before it died (and equal it exactly when $opt{exact}).  Where the oracle does not die
# this is an ordinary comparison.
sub same_until_oracle_died
{
   my ( $dump, $argv, %opt ) = @_;
   local $Test::Builder::Level = $Test::Builder::Level + 1;
   my $want = run_oracle( $dump, @$argv );
   my $name = basename( $dump, ".pmat" ) . ": pmat @$argv" . ( $opt{why} ? " [$opt{why}]" : "" );
   my $filter = $opt{filter} // sub { $_[0] };
   my $got = run_ours( $dump, @$argv );
   my ( $w, $g ) = map { $filter->( $_ ) } $want->{out}, $got->{out};
   if( !$want->{exit} ) {
      my $ok = $TB->ok( $w eq $g && !$got->{exit}, $name );
      $TB->diag( "oracle:\n$w\nours:\n$g\n$got->{err}" ) unless $ok;
      return $ok;
   }
   my $ok = !$got->{exit} && !$got->{signal} &&
      ( $opt{exact} ? $g eq $w : substr( $g, 0, length $w ) eq $w );
   $TB->ok( $ok, "$name [0.51 dies: $opt{dies}]" );
   $TB->diag( "oracle (died: $want->{err}):\n$w\nours:\n$g\n$got->{err}" ) unless $ok;
   return $ok;
}

# One inspection command compared with the oracle, choosing the comparison by how 0.51
# fared: it died for want of a method (our stdout must equal what it printed), it died
# previewing a NULL (our stdout must start with what it printed), or it succeeded
# (identical stdout and success).  Both sides pass through the hash-preview and alias
# filters.
sub compare_inspect
{
   my ( $dump, $cmd, %opt ) = @_;
   local $Test::Builder::Level = $Test::Builder::Level + 1;
   my $alias = alias_filter( $dump );
   my $extra = $opt{filter} // sub { $_[0] };
   my $filter = sub { $extra->( $alias->( malformed_utf8_filter( hash_preview_filter( $_[0] ) ) ) ) };
   my $res = run_oracle( $dump, @$cmd );
   my $err = $res->{err};
   my $ok = _compare_inspect( $dump, $cmd, $res, $filter, %opt );
   return $ok;
}

sub _compare_inspect
{
   my ( $dump, $cmd, $res, $filter, %opt ) = @_;
   local $Test::Builder::Level = $Test::Builder::Level + 1;
   my $err = $res->{err};
   if( $res->{exit} and $err =~ m/Can't locate object method "pv" via package "Devel::MAT::SV::REF"/ ) {
      return same_until_oracle_died( $dump, $cmd, dies => "a reference as \$VERSION",
         filter => $filter );
   }
   if( $res->{exit} and $err =~ m/Can't locate object method "(show_\w+|pvlen)"/ ) {
      return same_until_oracle_died( $dump, $cmd, exact => 1, dies => "no $1 method",
         filter => $filter );
   }
   if( $res->{exit} and $err =~ m/Can't call method "(desc|stashname)" on an undefined value/ ) {
      return same_until_oracle_died( $dump, $cmd, dies => "$1 of a NULL in a preview",
         filter => $filter );
   }
   return same_as_oracle( $dump, $cmd, filter => $filter,
      why => "hash preview keys and alias names follow hash order", %opt{ grep { $_ ne "filter" } keys %opt } );
}

1;
