/* DMDTest - exercises the Devel::MAT::Dumper helper API for the pmat test corpus.
 *
 *   DMDTest->new( $buf, $state, \@more )  a blessed scalar whose UV points at a struct
 *                                          { SV *buf; UV state; AV *more; bool active }
 *   DMDTest::attach_magic( $sv, $target )  adds '~' magic whose mg_ptr points at a struct
 *                                          holding a reference to $target
 *   DMDTest::add_root( $sv, $name )        registers an extra dump root (name "+..."/"-...")
 *
 * The package helper writes the object's struct (DMD_DUMP_STRUCT) and annotates the object
 * with references to it and to the buffer; the magic helper annotates the magical SV with
 * its hidden target. */
#define PERL_NO_GET_CONTEXT
#include "EXTERN.h"
#include "perl.h"
#include "XSUB.h"

#ifdef HAVE_DMD_HELPER
#  define WANT_DMD_API_044
#  include "DMD_helper.h"
#endif

typedef struct {
  SV   *buf;
  UV    state;
  AV   *more;
  bool  active;
} MyData;

typedef struct {
  SV *target;
} MagicData;

static int magic_free(pTHX_ SV *sv, MAGIC *mg)
{
  MagicData *md = (MagicData *)mg->mg_ptr;
  PERL_UNUSED_ARG(sv);
  if(md) {
    SvREFCNT_dec(md->target);
    Safefree(md);
    mg->mg_ptr = NULL;
  }
  return 0;
}

static MGVTBL dmdtest_vtbl = { NULL, NULL, NULL, NULL, magic_free, NULL, NULL, NULL };

#ifdef HAVE_DMD_HELPER
static int dump_object(pTHX_ DMDContext *ctx, const SV *sv)
{
  int ret = 0;
  MyData *d;
  if(!SvROK(sv) && SvIOK(sv))
    d = INT2PTR(MyData *, SvUV((SV *)sv));
  else
    return 0;
  if(!d)
    return 0;

  {
    DMDNamedField fields[4];
    fields[0].name = "the buf SV";  fields[0].type = DMD_FIELD_PTR;  fields[0].ptr = d->buf;
    fields[1].name = "the state";   fields[1].type = DMD_FIELD_UINT; fields[1].n = (long)d->state;
    fields[2].name = "the more AV"; fields[2].type = DMD_FIELD_PTR;  fields[2].ptr = d->more;
    fields[3].name = "is active";   fields[3].type = DMD_FIELD_BOOL; fields[3].b = d->active;
    DMD_DUMP_STRUCT(ctx, "DMDTest/MyData", d, sizeof(MyData), 4, fields);
  }

  ret += DMD_ANNOTATE_SV(sv, (SV *)d, "the MyData structure");
  ret += DMD_ANNOTATE_SV(sv, d->buf, "the buffer (annotated)");
  return ret;
}

static int dump_magic(pTHX_ DMDContext *ctx, const SV *sv, MAGIC *mg)
{
  MagicData *md = (MagicData *)mg->mg_ptr;
  PERL_UNUSED_ARG(ctx);
  if(!md)
    return 0;
  return DMD_ANNOTATE_SV(sv, md->target, "the hidden magic target");
}
#endif

MODULE = DMDTest    PACKAGE = DMDTest

SV *
new(class, buf, state, more)
    const char *class
    SV *buf
    UV state
    SV *more
  CODE:
  {
    MyData *d;
    SV *obj;
    if(!SvROK(more) || SvTYPE(SvRV(more)) != SVt_PVAV)
      croak("more must be an ARRAY reference");
    Newxz(d, 1, MyData);
    d->buf = newSVsv(buf);
    d->state = state;
    d->more = (AV *)SvREFCNT_inc(SvRV(more));
    d->active = TRUE;
    obj = newSVuv(PTR2UV(d));
    RETVAL = sv_bless(newRV_noinc(obj), gv_stashpv(class, GV_ADD));
  }
  OUTPUT:
    RETVAL

void
DESTROY(self)
    SV *self
  CODE:
  {
    MyData *d = INT2PTR(MyData *, SvUV(SvRV(self)));
    if(d) {
      SvREFCNT_dec(d->buf);
      SvREFCNT_dec((SV *)d->more);
      Safefree(d);
      sv_setuv(SvRV(self), 0);
    }
  }

void
attach_magic(sv, target)
    SV *sv
    SV *target
  CODE:
  {
    MagicData *md;
    Newxz(md, 1, MagicData);
    md->target = newSVsv(target);
    sv_magicext(sv, NULL, PERL_MAGIC_ext, &dmdtest_vtbl, (const char *)md, 0);
  }

void
add_root(sv, name)
    SV *sv
    const char *name
  CODE:
  {
#ifdef HAVE_DMD_HELPER
    DMD_ADD_ROOT(SvREFCNT_inc(sv), name);
#else
    PERL_UNUSED_ARG(sv); PERL_UNUSED_ARG(name);
#endif
  }

BOOT:
#ifdef HAVE_DMD_HELPER
  DMD_SET_PACKAGE_HELPER("DMDTest", dump_object);
  DMD_SET_MAGIC_HELPER(&dmdtest_vtbl, dump_magic);
#endif
