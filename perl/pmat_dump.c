/* pmat_dump.c - walk the perl interpreter's arenas and write a .pmat heap
 * dump: format 0.6 record-compatible with Devel::MAT::Dumper 0.52 (the
 * default), 0.5 (0.6 without the shared-HEK pointers) or 0.4,
 * record-compatible with Devel::MAT::Dumper 0.46.
 *
 * Rules of the house: nothing here allocates Perl SVs during the arena walk
 * (except what third-party DMD helpers do), nothing dereferences a pointer
 * whose SvTYPE we have not recognised, and every write goes through the
 * error-latching pmat_out sink. */
#define PERL_NO_GET_CONTEXT
#include "EXTERN.h"
#include "perl.h"
#include "XSUB.h"

#include <stdlib.h>
#include <string.h>

#include "pmat_dump.h"

/* ---- format constants ---------------------------------------------------- */

enum {
  T_GLOB = 1, T_SCALAR, T_REF, T_ARRAY, T_HASH, T_STASH, T_CODE, T_IO, T_LVALUE,
  T_REGEXP, T_FORMAT, T_INVLIST, T_UNDEF, T_YES, T_NO, T_OBJECT, T_CLASS,
  T_STRUCT = 0x7F,
  X_MAGIC = 0x80, X_SAVED_SV, X_SAVED_AV, X_SAVED_HV, X_SAVED_AELEM, X_SAVED_HELEM,
  X_SAVED_CV, X_SVSV_NOTE, X_DEBUGREPORT, X_PV_SHARED_HEK, X_MAGICv2,
  T_META_STRUCT = 0xF0,
};

enum {
  CODEx_CONSTSV = 1, CODEx_CONSTIX, CODEx_GVSV, CODEx_GVIX, CODEx_PADNAME,
  CODEx_PADSV, CODEx_PADNAMES, CODEx_PAD, CODEx_PADNAME_FLAGS, CODEx_PADNAME_FIELD,
};

enum { CLASSx_FIELD = 1 };

/* perls with `use feature 'class'` (5.38 and later) */
#ifdef ObjectFIELDS
#  define HAVE_FEATURE_CLASS 1
#endif
/* 5.38 renamed a hash's "has an aux struct" flag; older perls spell it SvOOK */
#ifndef HvHasAUX
#  define HvHasAUX(hv) SvOOK(hv)
#endif

enum { CTX_SUB = 1, CTX_TRY, CTX_EVAL };

#define PTRSZ  ((int)sizeof(void *))
#define UINTSZ ((int)sizeof(UV))
#define NVSZ   8

/* { header bytes, pointers, strings } per record kind, as format 0.4 has
 * them; 0.5 appends OBJECT and CLASS, 0.6 also widens GLOB and CODE by a
 * HEK pointer (see write_header). */
static const unsigned char sv_sizes[][3] = {
  { PTRSZ + 4 + UINTSZ, 1, 0 },   /* common */
  { UINTSZ, 8, 2 },               /* GLOB */
  { 1 + 2 * UINTSZ + NVSZ, 1, 1 },/* SCALAR */
  { 1, 2, 0 },                    /* REF */
  { UINTSZ + 1, 0, 0 },           /* ARRAY */
  { UINTSZ, 1, 0 },               /* HASH */
  { UINTSZ, 5, 1 },               /* STASH (HASH share included) */
  { UINTSZ + 1 + PTRSZ + 4, 5, 2 },/* CODE */
  { 2 * UINTSZ, 3, 0 },           /* IO */
  { 1 + 2 * UINTSZ, 1, 0 },       /* LVALUE */
  { 0, 0, 0 },                    /* REGEXP */
  { 0, 0, 0 },                    /* FORMAT */
  { 0, 0, 0 },                    /* INVLIST */
  { 0, 0, 0 },                    /* UNDEF */
  { 0, 0, 0 },                    /* YES */
  { 0, 0, 0 },                    /* NO */
  { UINTSZ, 0, 0 },               /* OBJECT (0.5+) */
  { UINTSZ, 6, 1 },               /* CLASS = STASH + ADJUST blocks (0.5+) */
};

/* Devel::MAT::Dumper 0.52 lists MAGICv2 (0x8A) in 0.6 files although only
 * perl 5.45.2 and later have such magic; so do we. */
static const unsigned char svx_sizes[][3] = {
  { 2, 3, 0 },        /* MAGIC */
  { 0, 1, 0 },        /* SAVED_SV */
  { 0, 1, 0 },        /* SAVED_AV */
  { 0, 1, 0 },        /* SAVED_HV */
  { UINTSZ, 1, 0 },   /* SAVED_AELEM */
  { 0, 2, 0 },        /* SAVED_HELEM */
  { 0, 1, 0 },        /* SAVED_CV */
  { 0, 1, 1 },        /* SVSV note */
  { 2 * UINTSZ, 0, 1 },/* DEBUGREPORT */
  { PTRSZ, 0, 0 },    /* PV_SHARED_HEK (0.6) */
  { 4 + 2 * UINTSZ, 5, 0 },/* MAGICv2 (0.6; never written here) */
};

static const unsigned char ctx_sizes[][3] = {
  { 1 + UINTSZ, 0, 1 },  /* common */
  { 4, 2, 0 },           /* SUB */
  { 0, 0, 0 },           /* TRY */
  { 0, 1, 0 },           /* EVAL */
};

/* ---- primitive writers --------------------------------------------------- */

#define W_U8(c, v)   pmat_out_u8((c)->out, (uint8_t)(v))
#define W_U32(c, v)  pmat_out_u32((c)->out, (uint32_t)(v))
#define W_UINT(c, v) pmat_out_u64((c)->out, (uint64_t)(v))
#define W_PTR(c, p)  pmat_out_u64((c)->out, (uint64_t)PTR2UV(p))

static void w_nv(pmat_ctx *c, NV nv)
{
  double d = (double)nv;
  pmat_out_bytes(c->out, &d, 8);
}

static void w_strn(pmat_ctx *c, const char *s, size_t len)
{
  if(!s) { W_UINT(c, ~(UV)0); return; }
  W_UINT(c, len);
  pmat_out_bytes(c->out, s, len);
}

static void w_str(pmat_ctx *c, const char *s)
{
  w_strn(c, s, s ? strlen(s) : 0);
}

/* The part every SV record starts with. `extra` is the body size beyond
 * the SV head, computed per type like Devel::MAT::Dumper 0.46 does. */
static void w_common(pmat_ctx *c, int type, const SV *sv, size_t extra)
{
  W_U8(c, type);
  W_PTR(c, sv);
  W_U32(c, SvREFCNT(sv));
  W_UINT(c, sizeof(SV) + extra);
  W_PTR(c, SvOBJECT(sv) ? (SV *)SvSTASH(sv) : NULL);
}

/* SvIsBOOL() reads SvLEN from the body (a cache miss per string scalar);
 * a bool's PV pointer, which lives in the head, is PL_Yes or PL_No, so test
 * that first and only then confirm with SvIsBOOL(). */
#define IS_BOOL(sv) (SvPOK(sv) && (SvPVX_const(sv) == PL_Yes || SvPVX_const(sv) == PL_No) && \
                     SvIsBOOL(sv))

/* A named hash is a stash (before 5.35 the aux struct, which holds the name,
 * sits after the bucket array, so that must exist too); a stash of
 * `use feature 'class'` is a class. */
#define IS_STASH(hv) (HvHasAUX(hv) && HvARRAY(hv) && HvNAME_get(hv))
#ifdef HAVE_FEATURE_CLASS
#  define IS_CLASS(hv) HvSTASH_IS_CLASS(hv)
#else
#  define IS_CLASS(hv) 0
#endif

/* ---- per-type records ---------------------------------------------------- */

static void w_glob(pmat_ctx *c, const GV *gv)
{
  int has_gp = isGV_with_GP(gv) && GvGP(gv);
  w_common(c, T_GLOB, (const SV *)gv, sizeof(XPVGV) + (has_gp ? sizeof(struct gp) : 0));
  if(has_gp) {
    W_UINT(c, GvLINE(gv));
    if(c->minor >= 6) W_PTR(c, GvNAME_HEK(gv));
    W_PTR(c, GvSTASH(gv));
    W_PTR(c, GvSV(gv));
    W_PTR(c, GvAV(gv));
    W_PTR(c, GvHV(gv));
    W_PTR(c, GvCV(gv));
    W_PTR(c, GvEGV(gv));
    W_PTR(c, GvIOp(gv));
    W_PTR(c, GvFORM(gv));
    w_strn(c, GvNAME(gv), GvNAMELEN(gv));
    HEK *fh = GvFILE_HEK(gv);
    if(fh) w_strn(c, HEK_KEY(fh), HEK_LEN(fh));
    else   w_strn(c, NULL, 0);
  }
  else {
    W_UINT(c, 0);
    if(c->minor >= 6) W_PTR(c, NULL);
    W_PTR(c, isGV_with_GP(gv) ? GvSTASH(gv) : NULL);
    for(int i = 0; i < 7; i++) W_PTR(c, NULL);
    w_strn(c, NULL, 0);
    w_strn(c, NULL, 0);
  }
}

static void w_scalar(pmat_ctx *c, const SV *sv)
{
  size_t extra = 0;
  switch(SvTYPE(sv)) {
    case SVt_NV:   extra = sizeof(NV); break;
    case SVt_PV:   extra = sizeof(XPV)   - STRUCT_OFFSET(XPV, xpv_cur); break;
    case SVt_PVIV: extra = sizeof(XPVIV) - STRUCT_OFFSET(XPV, xpv_cur); break;
    case SVt_PVNV: extra = sizeof(XPVNV) - STRUCT_OFFSET(XPV, xpv_cur); break;
    case SVt_PVMG: extra = sizeof(XPVMG); break;
    default: break;
  }
  if(SvPOK(sv))
    extra += SvLEN(sv);
  if(SvOOK(sv)) {
    STRLEN off;
    SvOOK_offset(sv, off);
    extra += off;
  }
  w_common(c, T_SCALAR, sv, extra);

  W_U8(c, (SvIOK(sv) ? 0x01 : 0) | (SvUOK(sv) ? 0x02 : 0) | (SvNOK(sv) ? 0x04 : 0) |
          (SvPOK(sv) ? 0x08 : 0) | (SvUTF8(sv) ? 0x10 : 0));
  W_UINT(c, SvIOK(sv) ? SvUVX(sv) : 0);
  w_nv(c, SvNOK(sv) ? SvNVX(sv) : 0.0);
  W_UINT(c, SvPOK(sv) ? SvCUR(sv) : 0);
  W_PTR(c, NULL);                       /* OURSTASH: perl <= 5.20 only */
  if(SvPOK(sv) && SvPVX_const(sv)) {
    STRLEN len = SvCUR(sv);
    if(c->max_string >= 0 && len > (STRLEN)c->max_string)
      len = (STRLEN)c->max_string;
    w_strn(c, SvPVX_const(sv), len);
  }
  else
    w_strn(c, NULL, 0);

  /* 0.6: a string sharing its buffer with a HEK of PL_strtab names it */
  if(c->minor >= 6 && SvPOKp(sv) && SvIsCOW_shared_hash(sv)) {
    W_U8(c, X_PV_SHARED_HEK);
    W_PTR(c, sv);
    W_PTR(c, SvSHARED_HEK_FROM_PV(SvPVX_const(sv)));
  }
}

static void w_ref(pmat_ctx *c, const SV *sv)
{
  w_common(c, T_REF, sv, 0);
  W_U8(c, SvWEAKREF(sv) ? 0x01 : 0);
  W_PTR(c, SvRV(sv));
  W_PTR(c, NULL);                       /* OURSTASH */
}

/* ARRAY: PL_curstack's fill is not maintained while perl runs, so its
 * live depth comes from PL_stack_sp instead. */
static void w_array(pTHX_ pmat_ctx *c, AV *av)
{
  SSize_t n = (av == PL_curstack) ? (PL_stack_sp - PL_stack_base + 1) : AvFILLp(av) + 1;
  SV **arr = AvARRAY(av);
  if(!arr || n < 0) n = 0;
  if(av != PL_curstack && n > AvMAX(av) + 1) n = AvMAX(av) + 1;
  w_common(c, T_ARRAY, (SV *)av, sizeof(XPVAV) + sizeof(SV *) * (AvMAX(av) + 1));
  W_UINT(c, n);
  W_U8(c, AvREAL(av) ? 0 : 0x01);
  for(SSize_t i = 0; i < n; i++)
    W_PTR(c, arr[i]);
}

/* Common size/count pass over a hash's buckets. */
static size_t hv_scan(HV *hv, size_t *nkeys)
{
  size_t size = sizeof(XPVHV), n = 0;
  HE **arr = HvARRAY(hv);
  if(arr) {
    for(STRLEN b = 0; b <= HvMAX(hv); b++) {
      size += sizeof(HE *);
      for(HE *he = arr[b]; he; he = HeNEXT(he)) {
        size += sizeof(HE);
        n++;
        if(!HvSHAREKEYS(hv) && HeKLEN(he) != HEf_SVKEY)
          size += sizeof(HEK) + HeKLEN(he) + 2;
      }
    }
  }
  *nkeys = n;
  return size;
}

/* Key/value pairs (0.6: key, its HEK if shared, value); the shared string
 * table's "values" are refcounts, not SVs, so they are written as NULL. */
static void hv_body(pTHX_ pmat_ctx *c, HV *hv)
{
  HE **arr = HvARRAY(hv);
  int is_strtab = (hv == PL_strtab);
  if(!arr) return;
  for(STRLEN b = 0; b <= HvMAX(hv); b++) {
    for(HE *he = arr[b]; he; he = HeNEXT(he)) {
      HEK *hek = NULL;
      if(HeKLEN(he) == HEf_SVKEY) {
        SV *ksv = HeKEY_sv(he);
        if(ksv && SvPOK(ksv)) w_strn(c, SvPVX_const(ksv), SvCUR(ksv));
        else                  w_strn(c, "", 0);
      }
      else {
        hek = HeKEY_hek(he);
        w_strn(c, HEK_KEY(hek), HEK_LEN(hek));
#ifdef HVhek_NOTSHARED
        if(HEK_FLAGS(hek) & HVhek_NOTSHARED) hek = NULL;
#endif
      }
      if(c->minor >= 6) W_PTR(c, hek);
      W_PTR(c, is_strtab ? NULL : HeVAL(he));
    }
  }
}

static void w_hash(pTHX_ pmat_ctx *c, HV *hv)
{
  size_t nkeys, size = hv_scan(hv, &nkeys);
  w_common(c, T_HASH, (SV *)hv, size);
  W_UINT(c, nkeys);
  W_PTR(c, (HvHasAUX(hv) && HvARRAY(hv)) ? (SV *)HvAUX(hv)->xhv_backreferences : NULL);
  if(nkeys) hv_body(aTHX_ c, hv);
}

/* STASH, and CLASS (a stash with the class's ADJUST blocks after the MRO
 * pointers, and its fields after the key/value pairs). */
static void w_stash(pTHX_ pmat_ctx *c, HV *hv, int is_class)
{
  struct xpvhv_aux *aux = HvAUX(hv);       /* callers checked HvHasAUX */
  struct mro_meta *meta = aux->xhv_mro_meta;
  size_t nkeys, size = hv_scan(hv, &nkeys);
  size += sizeof(struct xpvhv_aux) + (meta ? sizeof(struct mro_meta) : 0);
  w_common(c, is_class ? T_CLASS : T_STASH, (SV *)hv, size);
  W_UINT(c, nkeys);
  W_PTR(c, aux->xhv_backreferences);
  W_PTR(c, meta ? meta->mro_linear_all : NULL);
  W_PTR(c, meta ? meta->mro_linear_current : NULL);
  W_PTR(c, meta ? meta->mro_nextmethod : NULL);
  W_PTR(c, meta ? meta->isa : NULL);
#ifdef HAVE_FEATURE_CLASS
  if(is_class) W_PTR(c, aux->xhv_class_adjust_blocks);
#endif
  w_strn(c, HvNAME_get(hv), HvNAMELEN_get(hv));
  if(nkeys) hv_body(aTHX_ c, hv);
#ifdef HAVE_FEATURE_CLASS
  if(is_class) {
    /* a class without fields has no field list at all */
    PADNAMELIST *fields = aux->xhv_class_fields;
    if(fields) {
      for(SSize_t i = 0; i <= PadnamelistMAX(fields); i++) {
        PADNAME *pn = PadnamelistARRAY(fields)[i];
        if(!pn) continue;
        W_U8(c, CLASSx_FIELD);
        W_UINT(c, PadnameFIELDINFO(pn) ? PadnameFIELDINFO(pn)->fieldix : (PADOFFSET)i);
        w_strn(c, PadnamePV(pn), PadnamePV(pn) ? PadnameLEN(pn) : 0);
      }
    }
    W_U8(c, 0);
  }
#endif
}

#ifdef HAVE_FEATURE_CLASS
/* OBJECT: the field values, in field-index order. */
static void w_object(pmat_ctx *c, SV *obj)
{
  SSize_t n = ObjectMAXFIELD(obj) + 1;
  SV **fields = ObjectFIELDS(obj);
  if(!fields || n < 0) n = 0;
  w_common(c, T_OBJECT, obj, sizeof(XPVOBJ));
  W_UINT(c, n);
  for(SSize_t i = 0; i < n; i++)
    W_PTR(c, fields[i]);
}
#endif

/* Depth-first op-tree walk writing the pad indexes of constants and GVs
 * (threaded perl: they live in the pad), children in order, then the
 * replacement tree of s///. Iterative over siblings, recursive over depth. */
static void w_optree(pTHX_ pmat_ctx *c, const OP *o)
{
  for(; o; o = NULL) {
    switch(o->op_type) {
      case OP_CONST:
      case OP_METHOD_NAMED:
#ifdef USE_ITHREADS
        if(o->op_targ) {
          W_U8(c, CODEx_CONSTIX);
          W_UINT(c, o->op_targ);
        }
#else
        W_U8(c, CODEx_CONSTSV);
        W_PTR(c, cSVOPx(o)->op_sv);
#endif
        break;
      case OP_AELEMFAST:
      case OP_GVSV:
      case OP_GV:
#ifdef USE_ITHREADS
        W_U8(c, CODEx_GVIX);
        W_UINT(c, o->op_targ ? o->op_targ : cPADOPx(o)->op_padix);
#else
        W_U8(c, CODEx_GVSV);
        W_PTR(c, cSVOPx(o)->op_sv);
#endif
        break;
    }
    if(o->op_flags & OPf_KIDS)
      for(const OP *kid = cUNOPx(o)->op_first; kid; kid = OpSIBLING(kid))
        w_optree(aTHX_ c, kid);
    if(o->op_type == OP_SUBST && cPMOPx(o)->op_pmreplrootu.op_pmreplroot)
      w_optree(aTHX_ c, cPMOPx(o)->op_pmreplrootu.op_pmreplroot);
  }
}

/* CODE: header, pointers, FILE/NAME, then sub-records: constants and GVs
 * from the op tree (PL_main_root for the main CV), pad names with their
 * flags, and one PAD per depth; 0 ends the list. */
static void w_code(pTHX_ pmat_ctx *c, CV *cv)
{
  int is_xsub = CvISXSUB(cv);
  int is_const = CvCONST(cv);
  PADLIST *pl = is_xsub ? NULL : CvPADLIST(cv);
  XPVCV *body = (XPVCV *)SvANY(cv);

  w_common(c, T_CODE, (SV *)cv, sizeof(XPVCV));

  UV line = 0;
  if(!is_xsub && !is_const) {
    const OP *start = CvSTART(cv);
    if(start && start->op_type == OP_NEXTSTATE)
      line = CopLINE((const COP *)start);
  }
  W_UINT(c, line);
  W_U8(c, (CvCLONE(cv) ? 0x01 : 0) | (CvCLONED(cv) ? 0x02 : 0) | (is_xsub ? 0x04 : 0) |
          (CvWEAKOUTSIDE(cv) ? 0x08 : 0) | (CvCVGV_RC(cv) ? 0x10 : 0) |
          (CvLEXICAL(cv) ? 0x20 : 0));
  W_PTR(c, (!is_xsub && !is_const) ? CvROOT(cv) : NULL);
  W_U32(c, body->xcv_depth);
  if(c->minor >= 6) W_PTR(c, CvNAMED(cv) ? CvNAME_HEK(cv) : NULL);

  W_PTR(c, CvSTASH(cv));
  /* CvGV() on a named CV would create a GV: read the slot directly */
  W_PTR(c, CvNAMED(cv) ? NULL : body->xcv_gv_u.xcv_gv);
  W_PTR(c, CvOUTSIDE(cv));
  W_PTR(c, NULL);                       /* PADLIST: not an SV since 5.20 */
  W_PTR(c, is_const ? (SV *)CvXSUBANY(cv).any_ptr : NULL);

  w_str(c, body->xcv_file ? body->xcv_file : "");
  if(CvNAMED(cv)) {
    HEK *h = CvNAME_HEK(cv);
    w_strn(c, HEK_KEY(h), HEK_LEN(h));
  }
  else
    w_strn(c, NULL, 0);

  if(cv == PL_main_cv && PL_main_root)
    w_optree(aTHX_ c, PL_main_root);
  else if(!is_xsub && !is_const && CvROOT(cv))
    w_optree(aTHX_ c, CvROOT(cv));

  if(pl && PadlistARRAY(pl)) {
    PADNAMELIST *pnl = PadlistNAMES(pl);
    W_U8(c, CODEx_PADNAMES);
    W_PTR(c, NULL);
    if(pnl) {
      PADNAME **names = PadnamelistARRAY(pnl);
      for(SSize_t ix = 1; ix <= PadnamelistMAX(pnl); ix++) {
        PADNAME *pn = names[ix];
        if(!pn) continue;
        W_U8(c, CODEx_PADNAME);
        W_UINT(c, ix);
        w_strn(c, PadnamePV(pn), PadnamePV(pn) ? PadnameLEN(pn) : 0);
        W_PTR(c, PadnameOURSTASH(pn));
        U8 f = 0;
        if(PadnameOUTER(pn))                   f |= 0x01;
        if(PadnameIsSTATE(pn))                 f |= 0x02;
        if(PadnameLVALUE(pn))                  f |= 0x04;
        if(PadnameFLAGS(pn) & PADNAMEt_TYPED)  f |= 0x08;
        if(PadnameFLAGS(pn) & PADNAMEt_OUR)    f |= 0x10;
        if(f) {
          W_U8(c, CODEx_PADNAME_FLAGS);
          W_UINT(c, ix);
          W_U8(c, f);
        }
#ifdef HAVE_FEATURE_CLASS
        if(c->minor >= 5 && PadnameIsFIELD(pn) && PadnameFIELDINFO(pn)) {
          W_U8(c, CODEx_PADNAME_FIELD);
          W_UINT(c, ix);
          W_UINT(c, PadnameFIELDINFO(pn)->fieldix);
          W_PTR(c, PadnameFIELDINFO(pn)->fieldstash);
        }
#endif
      }
    }
    PAD **pads = PadlistARRAY(pl);
    for(SSize_t d = 1; d <= PadlistMAX(pl); d++) {
      W_U8(c, CODEx_PAD);
      W_UINT(c, d);
      W_PTR(c, pads[d]);
    }
  }
  W_U8(c, 0);
}

static void w_io(pTHX_ pmat_ctx *c, IO *io)
{
  w_common(c, T_IO, (SV *)io, sizeof(XPVIO));
  W_UINT(c, IoIFP(io) ? (IV)PerlIO_fileno(IoIFP(io)) : (IV)-1);
  W_UINT(c, IoOFP(io) ? (IV)PerlIO_fileno(IoOFP(io)) : (IV)-1);
  W_PTR(c, IoTOP_GV(io));
  W_PTR(c, IoFMT_GV(io));
  W_PTR(c, IoBOTTOM_GV(io));
}

static void w_lvalue(pmat_ctx *c, SV *sv)
{
  w_common(c, T_LVALUE, sv, sizeof(XPVLV));
  W_U8(c, LvTYPE(sv));
  W_UINT(c, LvTARGOFF(sv));
  W_UINT(c, LvTARGLEN(sv));
  W_PTR(c, LvTARG(sv));
}

/* ---- DMD helpers --------------------------------------------------------- */

typedef int pmat_sv_helper(pTHX_ pmat_ctx *ctx, const SV *sv);
typedef int pmat_mg_helper(pTHX_ pmat_ctx *ctx, const SV *sv, MAGIC *mg);

/* Call a helper and turn what it left on the Perl stack (groups of
 * type, referrer, referent, label) into SVSV note records. */
static void run_helper(pTHX_ pmat_ctx *c, SV *fnsv, const SV *sv, MAGIC *mg)
{
  UV fn = SvUV(fnsv);
  if(!fn) return;
  dSP;
  ENTER;
  SAVETMPS;
  PUTBACK;
  SV **base = PL_stack_sp;
  if(mg) (void)(INT2PTR(pmat_mg_helper *, fn))(aTHX_ c, sv, mg);
  else   (void)(INT2PTR(pmat_sv_helper *, fn))(aTHX_ c, sv);
  SPAGAIN;
  SSize_t items = SP - base;
  for(SSize_t i = 0; i + 3 < items; i += 4) {
    SV **a = base + 1 + i;
    if(SvIOK(a[0]) && SvIVX(a[0]) == X_SVSV_NOTE) {
      W_U8(c, X_SVSV_NOTE);
      W_PTR(c, a[1]);
      W_PTR(c, a[2]);
      if(SvPOK(a[3])) w_strn(c, SvPVX_const(a[3]), SvCUR(a[3]));
      else            w_strn(c, "", 0);
    }
  }
  if(items > 0) SP = base;
  PUTBACK;
  FREETMPS;
  LEAVE;
}

/* One MAGIC record per magic in chain order (obj, SV key, vtbl address),
 * each followed by the output of a magic helper registered for its vtbl. */
static void w_magic(pTHX_ pmat_ctx *c, SV *sv)
{
  for(MAGIC *mg = SvMAGIC(sv); mg; mg = mg->mg_moremagic) {
    W_U8(c, X_MAGIC);
    W_PTR(c, sv);
    W_U8(c, mg->mg_type);
    W_U8(c, (mg->mg_flags & MGf_REFCOUNTED) ? 0x01 : 0);
    W_PTR(c, mg->mg_obj);
    W_PTR(c, mg->mg_len == HEf_SVKEY ? (SV *)mg->mg_ptr : NULL);
    W_PTR(c, mg->mg_virtual);
    if(c->run_helpers && c->helper_per_magic && mg->mg_type == PERL_MAGIC_ext &&
       mg->mg_ptr && mg->mg_len != HEf_SVKEY) {
      char key[32];
      int klen = snprintf(key, sizeof key, "%" IVdf, PTR2IV(mg->mg_virtual));
      SV **svp = hv_fetch(c->helper_per_magic, key, klen, 0);
      if(svp) run_helper(aTHX_ c, *svp, sv, mg);
    }
  }
}

/* Package helpers run for every class in the object's linearised MRO.
 * mro_get_linear_isa() may return a mortal copy: it is freed before the
 * walk goes on, so the mortals written at the end are all in the file. */
static void run_package_helpers(pTHX_ pmat_ctx *c, SV *sv)
{
  HV *stash = SvSTASH(sv);
  if(!stash || !HvTOTALKEYS(c->helper_per_package)) return;
  ENTER;
  SAVETMPS;
  AV *isa = mro_get_linear_isa(stash);
  for(SSize_t i = 0; isa && i <= AvFILLp(isa); i++) {
    SV *name = AvARRAY(isa)[i];
    if(!name || !SvPOK(name)) continue;
    SV **svp = hv_fetch(c->helper_per_package, SvPVX_const(name),
        SvUTF8(name) ? -(I32)SvCUR(name) : (I32)SvCUR(name), 0);
    if(svp) run_helper(aTHX_ c, *svp, sv, NULL);
  }
  FREETMPS;
  LEAVE;
}

/* DMD_DUMP_STRUCT's target: a META_STRUCT the first time a type name is
 * seen in this dump (ids 0, 1, ... per dump), then the STRUCT record. */
void pmat_writestruct(pTHX_ pmat_ctx *c, const char *name, void *addr, size_t size,
    size_t nfields, const pmat_named_field fields[])
{
  if(!c || c->magic != PMAT_CTX_MAGIC || !name) return;
  size_t id;
  for(id = 0; id < c->nstructs; id++)
    if(strcmp(c->structnames[id], name) == 0) break;
  if(id == c->nstructs) {
    if(c->nstructs == c->structcap) {
      size_t ncap = c->structcap ? c->structcap * 2 : 8;
      char **n = realloc(c->structnames, ncap * sizeof *n);
      if(!n) return;
      c->structnames = n;
      c->structcap = ncap;
    }
    char *dup = strdup(name);
    if(!dup) return;
    c->structnames[c->nstructs++] = dup;
    W_U8(c, T_META_STRUCT);
    W_UINT(c, id);
    W_UINT(c, nfields);
    w_str(c, name);
    for(size_t i = 0; i < nfields; i++) {
      w_str(c, fields[i].name);
      W_U8(c, fields[i].type);
    }
  }
  W_U8(c, T_STRUCT);
  W_PTR(c, addr);
  W_U32(c, 0xFFFFFFFFu);
  W_UINT(c, size);
  W_PTR(c, INT2PTR(void *, id));
  for(size_t i = 0; i < nfields; i++) {
    switch(fields[i].type) {
      case PMAT_FIELD_PTR:  W_PTR(c, fields[i].ptr); break;
      case PMAT_FIELD_BOOL: W_U8(c, fields[i].b ? 1 : 0); break;
      case PMAT_FIELD_U8:   W_U8(c, fields[i].n); break;
      case PMAT_FIELD_U32:  W_U32(c, fields[i].n); break;
      case PMAT_FIELD_UINT: W_UINT(c, fields[i].n); break;
    }
  }
}

/* ---- one SV -------------------------------------------------------------- */

/* Choose the record type from SvTYPE and flags, write the record, then its
 * magic and any helper output. Unknown SvTYPEs are skipped entirely. */
static void w_sv(pTHX_ pmat_ctx *c, SV *sv)
{
  switch(SvTYPE(sv)) {
    case SVt_NULL:
      w_common(c, T_UNDEF, sv, 0);
      return;
    case SVt_IV: case SVt_NV: case SVt_PV: case SVt_PVIV: case SVt_PVNV: case SVt_PVMG:
      if(SvROK(sv))          w_ref(c, sv);
      else if(IS_BOOL(sv))   w_common(c, (SvIOK(sv) ? SvIVX(sv) != 0 : SvPVX_const(sv) == PL_Yes) ? T_YES : T_NO, sv, 0);
      else if(!SvOK(sv))     w_common(c, T_UNDEF, sv, 0);
      else                   w_scalar(c, sv);
      break;
    case SVt_PVLV:   w_lvalue(c, sv); break;
    case SVt_PVAV:   w_array(aTHX_ c, (AV *)sv); break;
    case SVt_PVHV:
      if(IS_STASH(sv)) w_stash(aTHX_ c, (HV *)sv, c->minor >= 5 && IS_CLASS(sv));
      else             w_hash(aTHX_ c, (HV *)sv);
      break;
    case SVt_PVCV:   w_code(aTHX_ c, (CV *)sv); break;
    case SVt_PVGV:   w_glob(c, (GV *)sv); break;
    case SVt_PVIO:   w_io(aTHX_ c, (IO *)sv); break;
    case SVt_REGEXP: w_common(c, T_REGEXP, sv, sizeof(regexp)); break;
    case SVt_PVFM:   w_common(c, T_FORMAT, sv, sizeof(XPVFM)); break;
    case SVt_INVLIST:w_common(c, T_INVLIST, sv, sizeof(XPV) + SvLEN(sv)); break;
#ifdef HAVE_FEATURE_CLASS
    case SVt_PVOBJ:
      if(c->minor < 5) return;  /* 0.4 has no record for it */
      w_object(c, sv);
      break;
#endif
    default:
      return;                   /* unknown or freed: nothing we can describe */
  }
  if(SvTYPE(sv) >= SVt_PVMG && SvMAGIC(sv))
    w_magic(aTHX_ c, sv);
  if(SvOBJECT(sv) && c->run_helpers && c->helper_per_package)
    run_package_helpers(aTHX_ c, sv);
}

/* ---- roots, stack, save stack, contexts ---------------------------------- */

/* Immortals, then the roots Devel::MAT::Dumper 0.46 writes on this perl, in
 * its order, then the (name, SV) pairs of the MORE_ROOTS arrays. */
static void w_roots(pTHX_ pmat_ctx *c)
{
  const struct { const char *name; const void *ptr; } roots[] = {
    { "main_cv",         PL_main_cv },
    { "defstash",        PL_defstash },
    { "mainstack",       PL_mainstack },
    { "beginav",         PL_beginav },
    { "checkav",         PL_checkav },
    { "unitcheckav",     PL_unitcheckav },
    { "initav",          PL_initav },
    { "endav",           PL_endav },
    { "strtab",          PL_strtab },
    { "envgv",           PL_envgv },
    { "incgv",           PL_incgv },
    { "statgv",          PL_statgv },
    { "statname",        PL_statname },
    { "tmpsv",           PL_Sv },
    { "defgv",           PL_defgv },
    { "argvgv",          PL_argvgv },
    { "argvoutgv",       PL_argvoutgv },
    { "argvout_stack",   PL_argvout_stack },
    { "errgv",           PL_errgv },
    { "fdpid",           PL_fdpid },
    { "preambleav",      PL_preambleav },
    { "modglobalhv",     PL_modglobal },
#ifdef USE_ITHREADS
    { "regex_padav",     PL_regex_padav },
#endif
    { "sortstash",       PL_sortstash },
    { "firstgv",         PL_firstgv },
    { "secondgv",        PL_secondgv },
    { "debstash",        PL_debstash },
    { "stashcache",      PL_stashcache },
    { "isarev",          PL_isarev },
    { "registered_mros", PL_registered_mros },
    { "rs",              PL_rs },
    { "last_in_gv",      PL_last_in_gv },
    { "defoutgv",        PL_defoutgv },
    { "hintgv",          PL_hintgv },
    { "patchlevel",      PL_patchlevel },
    { "e_script",        PL_e_script },
    { "mess_sv",         PL_mess_sv },
    { "ors_sv",          PL_ors_sv },
    { "encoding",        NULL },       /* PL_encoding: gone since 5.26 */
    { "ofsgv",           PL_ofsgv },
    { "blockhooks",      PL_blockhooks },
    { "custom_ops",      PL_custom_ops },
    { "custom_op_names", PL_custom_op_names },
    { "custom_op_descs", PL_custom_op_descs },
    { "utf8_mark",       PL_utf8_mark },
    { "utf8_toupper",    PL_utf8_toupper },
    { "utf8_totitle",    PL_utf8_totitle },
    { "utf8_tolower",    PL_utf8_tolower },
    { "utf8_tofold",     PL_utf8_tofold },
    { "utf8_idstart",    PL_utf8_idstart },
    { "utf8_idcont",     PL_utf8_idcont },
    { "utf8_xidstart",   PL_utf8_xidstart },
    { "utf8_xidcont",    PL_utf8_xidcont },
    { "utf8_foldclosures", PL_utf8_foldclosures },
    { "Latin1",          PL_Latin1 },
    { "AboveLatin1",     PL_AboveLatin1 },
    { "utf8_perl_idstart", PL_utf8_perl_idstart },
    { "HasMultiCharFold", PL_HasMultiCharFold },
    { "utf8_charname_begin", PL_utf8_charname_begin },
    { "utf8_charname_continue", PL_utf8_charname_continue },
    { "utf8_perl_idcont", PL_utf8_perl_idcont },
    { "UpperLatin1",     PL_UpperLatin1 },
  };
  size_t nfixed = sizeof roots / sizeof roots[0];

  /* DMD_ADD_ROOT pairs: (name, SV) from Devel::MAT::Dumper's array and ours */
  AV *more[2] = {
    get_av("Devel::MAT::Dumper::MORE_ROOTS", 0),
    get_av("Devel::PMAT::MORE_ROOTS", 0),
  };
  size_t nmore = 0;
  for(int k = 0; k < 2; k++)
    if(more[k] && AvARRAY(more[k]))
      nmore += (size_t)(AvFILLp(more[k]) + 1) / 2;

  W_PTR(c, &PL_sv_undef);
  W_PTR(c, &PL_sv_yes);
  W_PTR(c, &PL_sv_no);
  W_U32(c, nfixed + nmore);
  for(size_t i = 0; i < nfixed; i++) {
    w_str(c, roots[i].name);
    W_PTR(c, roots[i].ptr);
  }
  for(int k = 0; k < 2; k++) {
    if(!more[k] || !AvARRAY(more[k])) continue;
    SV **arr = AvARRAY(more[k]);
    for(SSize_t i = 0; i + 1 <= AvFILLp(more[k]); i += 2) {
      SV *name = arr[i];
      SV *target = arr[i + 1];
      if(name && SvPOK(name)) w_strn(c, SvPVX_const(name), SvCUR(name));
      else                    w_str(c, "+unnamed root");
      /* Perl code can only push references into our array; DMD_ADD_ROOT
       * pushes the SV itself into Devel::MAT::Dumper's */
      if(k == 1 && target && SvROK(target))
        target = SvRV(target);
      W_PTR(c, target);
    }
  }
}

static int is_gp_glob(const SV *sv)
{
  return sv && SvTYPE(sv) == SVt_PVGV && isGV_with_GP(sv) && GvGP(sv);
}

/* Walk the save stack from the top, writing the `local` information
 * Devel::MAT understands. Entry sizes follow the grouping in scope.h;
 * an entry type we cannot size ends the walk. */
static void w_savestack(pTHX_ pmat_ctx *c)
{
  I32 ix = PL_savestack_ix;
  while(ix > 0) {
    UV uv = PL_savestack[ix - 1].any_uv;
    U8 type = (U8)(uv & SAVE_MASK);
    I32 n;
    if(type == SAVEt_ALLOC || type == SAVEt_REGCONTEXT) n = (I32)(uv >> SAVE_TIGHT_SHIFT);
    else if(type < SAVEt_TMPSFLOOR)   n = 0;
    else if(type < SAVEt_AV)          n = 1;
    else if(type < SAVEt_HELEM)       n = 2;
    else if(type <= SAVEt_HINTS_HH)   n = 3;
    else break;
    if(n < 0 || n > ix - 1) break;
    ANY *a = &PL_savestack[ix - 1 - n];

    switch(type) {
      case SAVEt_SV:
      case SAVEt_AV:
      case SAVEt_HV:
        if(is_gp_glob(a[0].any_ptr)) {
          W_U8(c, type == SAVEt_SV ? X_SAVED_SV : type == SAVEt_AV ? X_SAVED_AV : X_SAVED_HV);
          W_PTR(c, a[0].any_ptr);
          W_PTR(c, a[1].any_ptr);
        }
        break;
      case SAVEt_AELEM:
        if(a[0].any_ptr && SvTYPE((SV *)a[0].any_ptr) == SVt_PVAV) {
          W_U8(c, X_SAVED_AELEM);
          W_PTR(c, a[0].any_ptr);
          W_UINT(c, a[1].any_iv);
          W_PTR(c, a[2].any_ptr);
        }
        break;
      case SAVEt_HELEM:
        if(a[0].any_ptr && SvTYPE((SV *)a[0].any_ptr) == SVt_PVHV) {
          W_U8(c, X_SAVED_HELEM);
          W_PTR(c, a[0].any_ptr);
          W_PTR(c, a[1].any_ptr);
          W_PTR(c, a[2].any_ptr);
        }
        break;
      case SAVEt_GVSLOT: {
        GV *gv = a[0].any_ptr;
        if(!is_gp_glob((SV *)gv)) break;
        SV **slot = a[1].any_ptr;
        int x = slot == (SV **)&GvGP(gv)->gp_cv ? X_SAVED_CV :
                slot == (SV **)&GvGP(gv)->gp_sv ? X_SAVED_SV :
                slot == (SV **)&GvGP(gv)->gp_av ? X_SAVED_AV :
                slot == (SV **)&GvGP(gv)->gp_hv ? X_SAVED_HV : 0;
        if(x) {
          W_U8(c, x);
          W_PTR(c, gv);
          W_PTR(c, a[2].any_ptr);
        }
        break;
      }
      case SAVEt_GENERIC_SVREF:
        /* `local $_` and friends: a saved scalar slot of *_ */
        if(is_gp_glob((SV *)PL_defgv) && a[0].any_ptr == (void *)&GvGP(PL_defgv)->gp_sv) {
          W_U8(c, X_SAVED_SV);
          W_PTR(c, PL_defgv);
          W_PTR(c, a[1].any_ptr);
        }
        break;
    }
    ix -= n + 1;
  }
}

/* One stackinfo's call frames, innermost first: subs, string evals,
 * eval blocks (require frames are skipped). */
static void w_si_contexts(pTHX_ pmat_ctx *c, const PERL_SI *si)
{
  for(I32 i = si->si_cxix; i >= 0; i--) {
    const PERL_CONTEXT *cx = &si->si_cxstack[i];
    const COP *cop = cx->blk_oldcop;
    int type;
    switch(CxTYPE(cx)) {
      case CXt_SUB:
        type = CTX_SUB;
        break;
      case CXt_EVAL:
        if(CxOLD_OP_TYPE(cx) == OP_ENTEREVAL) type = CTX_EVAL;
        else if(cx->blk_eval.old_namesv)      continue;      /* require */
        else                                  type = CTX_TRY;
        break;
      default:
        continue;
    }
    W_U8(c, type);
    W_U8(c, cx->blk_gimme & G_WANT);
    W_UINT(c, cop ? CopLINE(cop) : 0);
    w_str(c, cop ? CopFILE(cop) : NULL);
    if(type == CTX_SUB) {
      W_U32(c, cx->blk_sub.olddepth);
      W_PTR(c, cx->blk_sub.cv);
      W_PTR(c, NULL);                 /* ARGS: perl >= 5.23.8 keeps @_ in the pad */
    }
    else if(type == CTX_EVAL)
      W_PTR(c, cx->blk_eval.cur_text);
  }
}

/* Every call frame of the program, innermost first. Perl runs each
 * __DIE__/__WARN__ hook, signal handler, sort block, DESTROY, tie or
 * overload method on a stackinfo of its own, so a dump made from one of
 * those sees only that callback's frames in cxstack: the frames of the
 * code it interrupted are on the earlier stackinfos, reached by si_prev
 * (as Devel::MAT::Dumper walks them). */
static void w_contexts(pTHX_ pmat_ctx *c)
{
  for(const PERL_SI *si = PL_curstackinfo; si; si = si->si_prev)
    w_si_contexts(aTHX_ c, si);
  W_U8(c, 0);
}

/* The mortals (format 0.5 on): the temps stack from the bottom, then its
 * floor. */
static void w_mortals(pTHX_ pmat_ctx *c)
{
  W_UINT(c, PL_tmps_ix + 1);
  for(SSize_t i = 0; i <= PL_tmps_ix; i++)
    W_PTR(c, PL_tmps_stack[i]);
  W_UINT(c, PL_tmps_floor);
}

/* ---- the whole file ------------------------------------------------------ */

/* Magic, flags, version and the three size tables. 0.5 knows OBJECT and
 * CLASS; 0.6 adds a HEK pointer to GLOB and CODE headers and the
 * PV_SHARED_HEK and MAGICv2 extensions. */
static void w_header(pmat_ctx *c)
{
  unsigned char sv[sizeof sv_sizes / 3][3];
  size_t nsv = c->minor >= 5 ? T_CLASS + 1 : T_NO + 1;
  size_t nsvx = c->minor >= 6 ? X_MAGICv2 - X_MAGIC + 1 : X_DEBUGREPORT - X_MAGIC + 1;
  memcpy(sv, sv_sizes, sizeof sv);
  if(c->minor >= 6) {
    sv[T_GLOB][0] += PTRSZ;
    sv[T_CODE][0] += PTRSZ;
  }

  pmat_out_bytes(c->out, "PMAT", 4);
  W_U8(c,
#if BYTEORDER == 0x4321 || BYTEORDER == 0x87654321
      0x01 |
#endif
      (UINTSZ == 8 ? 0x02 : 0) | (PTRSZ == 8 ? 0x04 : 0) |
#ifdef USE_ITHREADS
      0x10 |
#endif
      0);
  W_U8(c, 0);
  W_U8(c, 0);           /* format major */
  W_U8(c, c->minor);
  W_U32(c, (PERL_REVISION << 24) | (PERL_VERSION << 16) | PERL_SUBVERSION);
  W_U8(c, nsv);
  pmat_out_bytes(c->out, sv, nsv * 3);
  W_U8(c, nsvx);
  pmat_out_bytes(c->out, svx_sizes, nsvx * 3);
  W_U8(c, sizeof ctx_sizes / 3);
  pmat_out_bytes(c->out, ctx_sizes, sizeof ctx_sizes);
}


/* A hash stored by reference in PL_modglobal (the DMD helper tables). */
static HV *modglobal_hv(pTHX_ const char *key)
{
  SV **svp = hv_fetch(PL_modglobal, key, (I32)strlen(key), 0);
  if(svp && SvROK(*svp) && SvTYPE(SvRV(*svp)) == SVt_PVHV)
    return (HV *)SvRV(*svp);
  return NULL;
}

/* The whole file: header and size tables, roots, stack, every arena SV,
 * the save stack, the heap terminator, the contexts. Helpers are only run
 * when the published writestruct() entry point is ours (see PMAT.xs BOOT). */
void pmat_dump_heap(pTHX_ pmat_out *o, IV max_string, int minor)
{
  pmat_ctx c;
  memset(&c, 0, sizeof c);
  c.magic = PMAT_CTX_MAGIC;
  c.out = o;
  c.max_string = max_string;
  c.minor = minor;
  {
    SV **svp = hv_fetchs(PL_modglobal, "Devel::MAT::Dumper/writestruct()", 0);
    c.run_helpers = !svp || SvUV(*svp) == PTR2UV(&pmat_writestruct);
  }
  c.helper_per_package = modglobal_hv(aTHX_ "Devel::MAT::Dumper/%helper_per_package");
  c.helper_per_magic   = modglobal_hv(aTHX_ "Devel::MAT::Dumper/%helper_per_magic");

  w_header(&c);
  w_roots(aTHX_ &c);

  W_UINT(&c, PL_stack_sp - PL_stack_base + 1);
  for(SV **sp = PL_stack_base; sp <= PL_stack_sp; sp++)
    W_PTR(&c, *sp);

  int seen_defstash = 0;
  for(SV *arena = PL_sv_arenaroot; arena; arena = (SV *)SvANY(arena)) {
    const SV *end = &arena[SvREFCNT(arena)];
    for(SV *sv = arena + 1; sv < end; sv++) {
      if(SvTYPE(sv) == (svtype)SVTYPEMASK)
        continue;
      if(sv == (SV *)PL_defstash)
        seen_defstash = 1;
      w_sv(aTHX_ &c, sv);
      if(o->err) break;
    }
    if(o->err) break;
  }
  if(!seen_defstash && PL_defstash)
    w_sv(aTHX_ &c, (SV *)PL_defstash);

  w_savestack(aTHX_ &c);
  W_U8(&c, 0);

  w_contexts(aTHX_ &c);

  if(c.minor >= 5)
    w_mortals(aTHX_ &c);

  for(size_t i = 0; i < c.nstructs; i++) free(c.structnames[i]);
  free(c.structnames);
}

/* ---- census -------------------------------------------------------------- */

const char *const pmat_kind_names[PMAT_K_MAX] = {
  "SCALAR", "BOOL", "REF", "ARRAY", "PAD", "HASH", "STASH", "CODE", "GLOB", "IO",
  "LVALUE", "REGEXP", "FORMAT", "INVLIST", "OBJECT", "CLASS", "UNKNOWN",
};

/* One pass over the arenas, counting live SVs by the kind Devel::MAT's
 * `count` would report; pads (AVs owned by a CV's padlist) count as PAD. */
void pmat_count_kinds(pTHX_ UV counts[PMAT_K_MAX])
{
  memset(counts, 0, sizeof(UV) * PMAT_K_MAX);
  for(SV *arena = PL_sv_arenaroot; arena; arena = (SV *)SvANY(arena)) {
    const SV *end = &arena[SvREFCNT(arena)];
    for(SV *sv = arena + 1; sv < end; sv++) {
      int k;
      if(SvTYPE(sv) == (svtype)SVTYPEMASK)
        continue;                               /* freed slot */
      switch(SvTYPE(sv)) {
        case SVt_NULL: k = PMAT_K_SCALAR; break;
        case SVt_IV: case SVt_NV: case SVt_PV: case SVt_PVIV: case SVt_PVNV: case SVt_PVMG:
          k = SvROK(sv) ? PMAT_K_REF : IS_BOOL(sv) ? PMAT_K_BOOL : PMAT_K_SCALAR;
          break;
        case SVt_PVLV:    k = PMAT_K_LVALUE; break;
        case SVt_PVAV:    k = PMAT_K_ARRAY; break;
        case SVt_PVHV:
          k = !IS_STASH(sv) ? PMAT_K_HASH : IS_CLASS(sv) ? PMAT_K_CLASS : PMAT_K_STASH;
          break;
        case SVt_PVCV:
          k = PMAT_K_CODE;
          if(!CvISXSUB(sv) && CvPADLIST(sv) && PadlistARRAY(CvPADLIST(sv))) {
            PADLIST *pl = CvPADLIST(sv);
            for(SSize_t d = 1; d <= PadlistMAX(pl); d++)
              if(PadlistARRAY(pl)[d]) {
                counts[PMAT_K_PAD]++;
                counts[PMAT_K_ARRAY]--;
              }
          }
          break;
        case SVt_PVGV:    k = PMAT_K_GLOB; break;
        case SVt_PVIO:    k = PMAT_K_IO; break;
        case SVt_REGEXP:  k = PMAT_K_REGEXP; break;
        case SVt_PVFM:    k = PMAT_K_FORMAT; break;
        case SVt_INVLIST: k = PMAT_K_INVLIST; break;
#ifdef HAVE_FEATURE_CLASS
        case SVt_PVOBJ:   k = PMAT_K_OBJECT; break;
#endif
        default:          k = PMAT_K_UNKNOWN; break;
      }
      counts[k]++;
    }
  }
}

/* Blessed SVs per stash, using a small open-addressing table on the C heap
 * so the walk itself allocates no SVs. */
void pmat_count_classes(pTHX_ void (*cb)(pTHX_ HV *, UV, void *), void *arg)
{
  size_t cap = 256, used = 0;
  struct slot { HV *stash; UV n; } *tab = calloc(cap, sizeof *tab);
  if(!tab) croak("Out of memory");
  for(SV *arena = PL_sv_arenaroot; arena; arena = (SV *)SvANY(arena)) {
    const SV *end = &arena[SvREFCNT(arena)];
    for(SV *sv = arena + 1; sv < end; sv++) {
      if(SvTYPE(sv) == (svtype)SVTYPEMASK || !SvOBJECT(sv)) continue;
      HV *st = SvSTASH(sv);
      if(!st) continue;
      size_t h = (PTR2UV(st) >> 4) * 0x9E3779B97F4A7C15ull;
      size_t i = h & (cap - 1);
      while(tab[i].stash && tab[i].stash != st) i = (i + 1) & (cap - 1);
      if(!tab[i].stash) {
        tab[i].stash = st;
        if(++used * 2 > cap) {            /* grow and rehash */
          size_t ncap = cap * 2;
          struct slot *nt = calloc(ncap, sizeof *nt);
          if(!nt) { free(tab); croak("Out of memory"); }
          tab[i].n++;
          for(size_t j = 0; j < cap; j++) {
            if(!tab[j].stash) continue;
            size_t hj = ((PTR2UV(tab[j].stash) >> 4) * 0x9E3779B97F4A7C15ull) & (ncap - 1);
            while(nt[hj].stash) hj = (hj + 1) & (ncap - 1);
            nt[hj] = tab[j];
          }
          free(tab);
          tab = nt;
          cap = ncap;
          continue;
        }
      }
      tab[i].n++;
    }
  }
  for(size_t i = 0; i < cap; i++)
    if(tab[i].stash) cb(aTHX_ tab[i].stash, tab[i].n, arg);
  free(tab);
}
