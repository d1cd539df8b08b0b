package DMDTest;
# A tiny XS module for the test corpus (see t/progs/helpers.pl).  Objects are blessed
# scalars holding a pointer to a C struct { SV *buf; UV state; AV *more; bool active }.
use strict;
use warnings;

our $VERSION = '0.01';

require XSLoader;
XSLoader::load( __PACKAGE__, $VERSION );

1;
