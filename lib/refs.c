/*
 * refs.c — building the reference graph (CSR arrays) and naming its edges.
 *
 * For every SV we emit its outgoing references in exactly the order and with
 * exactly the strengths Devel::MAT 0.51's outrefs produce them: the
 * kind-specific references, then "the bless package", then each magic's
 * object and pointer, then annotations.  A reference is kept only when its
 * target address is an SV (Devel::MAT skips the others too; the few it keeps
 * target-less never reach any command's output).
 *
 * Names are not stored.  An edge carries a kind and an integer (`aux`: an
 * element index, a pair index, a pad index, an extension-record index) from
 * which pmat_ref_name() rebuilds the text when it is displayed.
 */
#include "pmat_refs.h"
#include "pmat_text.h"
#include "load_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct builder {
    struct pmat_heap *h;
    uint64_t cap;
    int oom;
    uint32_t *rv_of; /* per SV: what a magic-less REF refers to ("via RV" targets) */
};

static void emit(struct builder *b, uint32_t target, enum pmat_ref_kind kind, enum pmat_strength st,
                 uint64_t aux)
{
    struct pmat_heap *h = b->h;
    if (target == PMAT_NONE || b->oom) return;
    if (h->nout == b->cap) {
        uint64_t nc = b->cap ? b->cap * 2 : (uint64_t)h->ntotal * 2 + 1024;
        uint32_t *t = realloc(h->out_target, nc * 4);
        if (t) h->out_target = t;
        uint32_t *a = realloc(h->out_aux, nc * 4);
        if (a) h->out_aux = a;
        uint8_t *k = realloc(h->out_kind, nc);
        if (k) h->out_kind = k;
        uint8_t *s = realloc(h->out_str, nc);
        if (s) h->out_str = s;
        if (!t || !a || !k || !s) {
            b->oom = 1;
            return;
        }
        b->cap = nc;
    }
    h->out_target[h->nout] = target;
    h->out_aux[h->nout] = aux > UINT32_MAX ? UINT32_MAX : (uint32_t)aux;
    h->out_kind[h->nout] = (uint8_t)kind;
    h->out_str[h->nout] = (uint8_t)st;
    h->nout++;
}

static uint32_t at(const struct pmat_heap *h, uint64_t addr)
{
    return pmat_sv_at(h, addr);
}

/* The target of a REF with no magic, or PMAT_NONE: what "via RV" edges point at. */
static uint32_t rv_target(const struct pmat_heap *h, uint32_t sv)
{
    if (sv == PMAT_NONE || h->kind[sv] != PMAT_K_REF || (h->marks[sv] & PMAT_M_MAGIC))
        return PMAT_NONE;
    struct pmat_ref r;
    pmat_ref(h, sv, &r);
    return at(h, r.rv);
}

/* The same from the table built before the pass (every container asks for its
 * elements' targets: decoding each REF record again would dominate the pass). */
static uint32_t via_rv_b(const struct builder *b, uint32_t sv)
{
    if (sv == PMAT_NONE) return PMAT_NONE;
    return b->rv_of ? b->rv_of[sv] : rv_target(b->h, sv);
}

static void glob_refs(struct builder *b, uint32_t sv)
{
    const struct pmat_heap *h = b->h;
    struct pmat_glob g;
    pmat_glob(h, sv, &g);
    emit(b, at(h, g.scalar), PMAT_R_GLOB_SCALAR, PMAT_STRONG, 0);
    emit(b, at(h, g.array), PMAT_R_GLOB_ARRAY, PMAT_STRONG, 0);
    emit(b, at(h, g.hash), PMAT_R_GLOB_HASH, PMAT_STRONG, 0);
    emit(b, at(h, g.code), PMAT_R_GLOB_CODE, PMAT_STRONG, 0);
    emit(b, at(h, g.io), PMAT_R_GLOB_IO, PMAT_STRONG, 0);
    emit(b, at(h, g.form), PMAT_R_GLOB_FORM, PMAT_STRONG, 0);
    uint32_t egv = at(h, g.egv);
    emit(b, egv, PMAT_R_GLOB_EGV, egv == sv ? PMAT_WEAK : PMAT_STRONG, 0);
    const struct pmat_ext *e;
    uint64_t n = pmat_exts_of(h, sv, &e);
    for (uint64_t i = 0; i < n; i++) {
        static const enum pmat_ref_kind k[] = {
            PMAT_R_SAVED_SCALAR, PMAT_R_SAVED_ARRAY, PMAT_R_SAVED_HASH, 0, 0, PMAT_R_SAVED_CODE};
        if (e[i].type < 0x81 || e[i].type > 0x86 || !k[e[i].type - 0x81]) continue;
        uint64_t ix, p0, p1;
        pmat_ext_saved(h, &e[i], &ix, &p0, &p1);
        emit(b, at(h, p0), k[e[i].type - 0x81], PMAT_INFERRED, 0);
    }
}

static void array_refs(struct builder *b, uint32_t sv)
{
    const struct pmat_heap *h = b->h;
    struct pmat_record r;
    pmat_sv_record(h, sv, &r);
    uint64_t n = r.hdrlen >= (uint32_t)h->uint_len ? pmat_rd_uint_mem(h, r.hdr) : 0;
    int unreal = h->flags[sv] & PMAT_AF_UNREAL;
    for (uint64_t i = 0; i < n; i++) {
        uint32_t e = at(h, pmat_rd_ptr(h, r.body + i * h->ptr_len));
        if (e == PMAT_NONE) continue;
        if (unreal) {
            emit(b, e, PMAT_R_ELEMENT, PMAT_WEAK, i);
        } else {
            emit(b, e, PMAT_R_ELEMENT, PMAT_STRONG, i);
            emit(b, via_rv_b(b, e), PMAT_R_ELEMENT_VIA_RV, PMAT_INDIRECT, i);
        }
    }
    const struct pmat_ext *x;
    uint64_t nx = pmat_exts_of(h, sv, &x);
    for (uint64_t i = 0; i < nx; i++) {
        if (x[i].type != 0x84) continue;
        uint64_t ix, p0, p1;
        pmat_ext_saved(h, &x[i], &ix, &p0, &p1);
        emit(b, at(h, p0), PMAT_R_SAVED_ELEMENT, PMAT_INFERRED, ix);
    }
}

static void padlist_refs(struct builder *b, uint32_t sv)
{
    const struct pmat_heap *h = b->h;
    uint64_t n = pmat_array_count(h, sv);
    if (n >= 1) emit(b, at(h, pmat_array_elem(h, sv, 0)), PMAT_R_PADLIST_NAMES, PMAT_STRONG, 0);
    for (uint64_t i = 1; i < n; i++)
        emit(b, at(h, pmat_array_elem(h, sv, i)), PMAT_R_PAD_AT_DEPTH, PMAT_STRONG, i);
}

static void padnames_refs(struct builder *b, uint32_t sv)
{
    const struct pmat_heap *h = b->h;
    uint64_t n = pmat_array_count(h, sv);
    for (uint64_t i = 1; i < n; i++)
        emit(b, at(h, pmat_array_elem(h, sv, i)), PMAT_R_PADNAME, PMAT_STRONG, i);
}

static void pad_refs(struct builder *b, uint32_t sv)
{
    const struct pmat_heap *h = b->h;
    struct pmat_record r;
    pmat_sv_record(h, sv, &r);
    uint64_t n = r.hdrlen >= (uint32_t)h->uint_len ? pmat_rd_uint_mem(h, r.hdr) : 0;
    if (n >= 1) emit(b, at(h, pmat_rd_ptr(h, r.body)), PMAT_R_PAD_ARGS, PMAT_STRONG, 0);
    for (uint64_t i = 1; i < n; i++) {
        uint32_t e = at(h, pmat_rd_ptr(h, r.body + i * h->ptr_len));
        if (e == PMAT_NONE) continue;
        emit(b, e, PMAT_R_LEXICAL, PMAT_STRONG, i);
        emit(b, via_rv_b(b, e), PMAT_R_LEXICAL_VIA_RV, PMAT_INDIRECT, i);
    }
}

static void hash_refs(struct builder *b, uint32_t sv)
{
    const struct pmat_heap *h = b->h;
    struct pmat_hash hv;
    pmat_hash(h, sv, &hv);
    uint32_t br = at(h, hv.backrefs);
    if (br != PMAT_NONE) {
        if (h->kind[br] == PMAT_K_ARRAY) {
            emit(b, br, PMAT_R_BACKREFS_LIST, PMAT_STRONG, 0);
            uint64_t n = pmat_array_count(h, br);
            for (uint64_t i = 0; i < n; i++)
                emit(b, at(h, pmat_array_elem(h, br, i)), PMAT_R_BACKREF, PMAT_INDIRECT, 0);
        } else {
            emit(b, br, PMAT_R_BACKREF, PMAT_WEAK, 0);
        }
    }
    uint64_t pos = hv.body, done = 0, val;
    struct pmat_str key;
    while (pmat_hash_next(h, &hv, &pos, &done, &key, &val)) {
        uint32_t v = at(h, val);
        if (v == PMAT_NONE) continue;
        emit(b, v, PMAT_R_HVALUE, PMAT_STRONG, done - 1);
        emit(b, via_rv_b(b, v), PMAT_R_HVALUE_VIA_RV, PMAT_INDIRECT, done - 1);
    }
    const struct pmat_ext *x;
    uint64_t nx = pmat_exts_of(h, sv, &x);
    for (uint64_t i = 0; i < nx; i++) {
        if (x[i].type != 0x85) continue;
        uint64_t ix, p0, p1;
        pmat_ext_saved(h, &x[i], &ix, &p0, &p1);
        emit(b, at(h, p0), PMAT_R_SAVED_HKEY, PMAT_INFERRED, 0);
        emit(b, at(h, p1), PMAT_R_SAVED_HVALUE, PMAT_INFERRED, (uint64_t)(&x[i] - h->exts));
    }
    if (h->kind[sv] == PMAT_K_STASH || h->kind[sv] == PMAT_K_CLASS) {
        emit(b, at(h, hv.mro_linear_all), PMAT_R_MRO_ALL, PMAT_STRONG, 0);
        emit(b, at(h, hv.mro_linear_current), PMAT_R_MRO_CURRENT, PMAT_STRONG, 0);
        emit(b, at(h, hv.mro_nextmethod), PMAT_R_MRO_NEXT, PMAT_STRONG, 0);
        emit(b, at(h, hv.mro_isa), PMAT_R_MRO_ISA, PMAT_STRONG, 0);
    }
    if (h->kind[sv] == PMAT_K_CLASS)
        emit(b, at(h, hv.adjust_blocks), PMAT_R_ADJUST_BLOCKS, PMAT_STRONG, 0);
}

static void code_refs(struct builder *b, uint32_t sv)
{
    const struct pmat_heap *h = b->h;
    const struct pmat_code_info *c = pmat_code(h, sv);
    if (!c) return;
    uint8_t f = h->flags[sv];
    emit(b, c->outside, PMAT_R_SCOPE, (f & PMAT_CF_WEAKOUTSIDE) ? PMAT_WEAK : PMAT_STRONG, 0);
    emit(b, c->stash, PMAT_R_CODE_STASH, PMAT_WEAK, 0);
    emit(b, h->glob_at[sv], PMAT_R_CODE_GLOB, (f & PMAT_CF_CVGV_RC) ? PMAT_STRONG : PMAT_WEAK, 0);
    emit(b, c->constval, PMAT_R_CONSTVAL, PMAT_STRONG, 0);
    emit(b, c->protosub, PMAT_R_PROTOSUB, PMAT_INFERRED, 0);
    enum pmat_strength cs = h->ithreads ? PMAT_INDIRECT : PMAT_STRONG;
    for (uint32_t i = 0; i < c->nconsts; i++)
        emit(b, h->pool[c->consts_off + i], PMAT_R_CONSTANT, cs, 0);
    for (uint32_t i = 0; i < c->nglobrefs; i++)
        emit(b, h->pool[c->globrefs_off + i], PMAT_R_REFGLOB, cs, 0);
    int have_padlist = c->padlist != PMAT_NONE;
    if (have_padlist) emit(b, c->padlist, PMAT_R_PADLIST, PMAT_STRONG, 0);
    enum pmat_strength ps = have_padlist ? PMAT_INDIRECT : PMAT_STRONG;
    emit(b, c->padnames_av, PMAT_R_PADLIST_NAMES, ps, 0);
    for (uint32_t d = 1; d <= c->npads; d++)
        emit(b, h->pool[c->pads_off + d - 1], PMAT_R_PAD_AT_DEPTH, ps, d);
}

/* The CLASS that an OBJECT is blessed into lists its fields as CLASS sub-records
 * (fieldix, name) after the hash body; iterate them in order. */
static int class_field(const struct pmat_heap *h, uint32_t cls, uint64_t n, uint64_t *fieldix,
                       struct pmat_str *name)
{
    struct pmat_hash hv;
    if (cls == PMAT_NONE || h->kind[cls] != PMAT_K_CLASS || pmat_hash(h, cls, &hv) < 0) return 0;
    uint64_t pos = hv.body, done = 0, val;
    struct pmat_str key;
    while (pmat_hash_next(h, &hv, &pos, &done, &key, &val)) {
    }
    for (uint64_t i = 0;; i++) {
        uint8_t t = h->data[pos++];
        if (t != 1) return 0;
        uint64_t fx = pmat_rd_uint(h, pos);
        pos += h->uint_len;
        struct pmat_str nm;
        pos = pmat__str_at(h, pos, &nm);
        if (i == n) {
            *fieldix = fx, *name = nm;
            return 1;
        }
    }
}

/* One walk over the CLASS's field sub-records (class_field() per field would be
 * quadratic in the field count of a hostile CLASS). */
static void object_refs(struct builder *b, uint32_t sv)
{
    const struct pmat_heap *h = b->h;
    uint32_t cls = h->blessed[sv];
    struct pmat_hash hv;
    if (cls == PMAT_NONE || h->kind[cls] != PMAT_K_CLASS || pmat_hash(h, cls, &hv) < 0) return;
    uint64_t pos = hv.body, done = 0, val;
    struct pmat_str key;
    while (pmat_hash_next(h, &hv, &pos, &done, &key, &val)) {
    }
    for (uint64_t i = 0; h->data[pos++] == 1; i++) {
        uint64_t fx = pmat_rd_uint(h, pos);
        struct pmat_str nm;
        pos = pmat__str_at(h, pos + h->uint_len, &nm);
        uint32_t v = at(h, pmat_object_field(h, sv, fx));
        if (v == PMAT_NONE) continue;
        emit(b, v, PMAT_R_OBJ_FIELD, PMAT_STRONG, i);
        emit(b, via_rv_b(b, v), PMAT_R_OBJ_FIELD_VIA_RV, PMAT_INDIRECT, i);
    }
}

static void struct_refs(struct builder *b, uint32_t sv)
{
    const struct pmat_heap *h = b->h;
    const struct pmat_struct_type *st = pmat_struct_type_of(h, sv);
    if (!st) return;
    /* one walk over the fields (pmat_struct_field() per field would be quadratic) */
    struct pmat_record r;
    pmat_sv_record(h, sv, &r);
    uint64_t off = r.body;
    for (uint32_t f = 0; f < st->nfields; f++) {
        uint8_t t = st->fields[f].type;
        if (t == 0) emit(b, at(h, pmat_rd_ptr(h, off)), PMAT_R_STRUCT_FIELD, PMAT_STRONG, f);
        off += t == 0 ? (unsigned)h->ptr_len : t <= 2 ? 1u : t == 3 ? 4u : (unsigned)h->uint_len;
    }
}

static void common_refs(struct builder *b, uint32_t sv)
{
    const struct pmat_heap *h = b->h;
    emit(b, h->blessed[sv], PMAT_R_BLESS, PMAT_WEAK, 0);
    const struct pmat_ext *x;
    uint64_t nx = pmat_exts_of(h, sv, &x);
    /* magic v1 and v2 records form one list in file order (Devel::MAT's {magic}) */
    for (uint64_t i = 0; i < nx; i++) {
        if (x[i].type == PMAT_X_MAGIC) {
            struct pmat_magic m;
            pmat_ext_magic(h, &x[i], &m);
            emit(b, at(h, m.obj), PMAT_R_MAGIC_OBJ, (m.flags & 0x01) ? PMAT_STRONG : PMAT_WEAK,
                 (uint8_t)m.type);
            emit(b, at(h, m.ptr), PMAT_R_MAGIC_PTR, PMAT_STRONG, (uint8_t)m.type);
        } else if (x[i].type == PMAT_X_MAGIC2) {
            struct pmat_magic2 m;
            pmat_ext_magic2(h, &x[i], &m);
            emit(b, at(h, m.auxsv), PMAT_R_MAGIC2_AUXSV, (m.flags & 0x01) ? PMAT_WEAK : PMAT_STRONG,
                 0);
            emit(b, at(h, m.keysv), PMAT_R_MAGIC2_KEYSV, PMAT_STRONG, 0);
            emit(b, at(h, m.userstruct), PMAT_R_MAGIC2_USERSTRUCT, PMAT_STRONG, 0);
        }
    }
    for (uint64_t i = 0; i < nx; i++) {
        if (x[i].type != 0x87) continue;
        uint64_t target;
        struct pmat_str text;
        pmat_ext_annotation(h, &x[i], &target, &text);
        emit(b, at(h, target), PMAT_R_ANNOTATION, PMAT_STRONG, (uint64_t)(&x[i] - h->exts));
    }
}

int pmat__build_outrefs(struct pmat_heap *h)
{
    struct builder b = {.h = h};
    h->out_start = malloc(((size_t)h->ntotal + 1) * 8);
    if (!h->out_start) return -1;
    b.rv_of = malloc((size_t)h->ntotal * 4);
    if (b.rv_of)
        for (uint32_t sv = 0; sv < h->ntotal; sv++)
            b.rv_of[sv] = h->kind[sv] == PMAT_K_REF ? rv_target(h, sv) : PMAT_NONE;
    for (uint32_t sv = 0; sv < h->ntotal; sv++) {
        h->out_start[sv] = h->nout;
        if (sv >= h->nsv) continue; /* immortals refer to nothing */
        switch (h->kind[sv]) {
        case PMAT_K_GLOB:
            glob_refs(&b, sv);
            break;
        case PMAT_K_SCALAR:
        case PMAT_K_REF: {
            struct pmat_record r;
            pmat_sv_record(h, sv, &r);
            if (h->kind[sv] == PMAT_K_REF) {
                struct pmat_ref ref;
                pmat_ref(h, sv, &ref);
                emit(&b, at(h, ref.rv), PMAT_R_REFERRANT, ref.weak ? PMAT_WEAK : PMAT_STRONG, 0);
                emit(&b, at(h, ref.ourstash), PMAT_R_OUR_STASH, PMAT_STRONG, 0);
            } else if (h->ftype[sv] == PMAT_T_SCALAR && r.nptrs >= 1) {
                emit(&b, at(h, r.ptrs[0]), PMAT_R_OUR_STASH, PMAT_STRONG, 0);
            }
            break;
        }
        case PMAT_K_ARRAY:
            array_refs(&b, sv);
            break;
        case PMAT_K_PADLIST:
            padlist_refs(&b, sv);
            break;
        case PMAT_K_PADNAMES:
            padnames_refs(&b, sv);
            break;
        case PMAT_K_PAD:
            pad_refs(&b, sv);
            break;
        case PMAT_K_HASH:
        case PMAT_K_STASH:
        case PMAT_K_CLASS:
            hash_refs(&b, sv);
            break;
        case PMAT_K_CODE:
            code_refs(&b, sv);
            break;
        case PMAT_K_IO: {
            struct pmat_io io;
            pmat_io(h, sv, &io);
            emit(&b, at(h, io.top_gv), PMAT_R_IO_TOP, PMAT_STRONG, 0);
            emit(&b, at(h, io.fmt_gv), PMAT_R_IO_FMT, PMAT_STRONG, 0);
            emit(&b, at(h, io.bottom_gv), PMAT_R_IO_BOTTOM, PMAT_STRONG, 0);
            break;
        }
        case PMAT_K_LVALUE: {
            struct pmat_lvalue lv;
            pmat_lvalue(h, sv, &lv);
            emit(&b, at(h, lv.targ), PMAT_R_LV_TARGET, PMAT_STRONG, 0);
            break;
        }
        case PMAT_K_OBJECT:
            object_refs(&b, sv);
            break;
        case PMAT_K_STRUCT:
            struct_refs(&b, sv);
            break;
        default:
            break;
        }
        if (h->kind[sv] != PMAT_K_STRUCT)
            common_refs(&b, sv);
        else {
            /* a C_STRUCT has no bless package but may carry magic/annotations */
            const struct pmat_ext *x;
            if (pmat_exts_of(h, sv, &x)) {
                uint32_t saved = h->blessed[sv];
                h->blessed[sv] = PMAT_NONE;
                common_refs(&b, sv);
                h->blessed[sv] = saved;
            }
        }
        if (b.oom) {
            free(b.rv_of);
            return -1;
        }
    }
    free(b.rv_of);
    h->out_start[h->ntotal] = h->nout;
    return 0;
}

char pmat_strength_char(enum pmat_strength s)
{
    static const char c[] = "swi~";
    return s <= PMAT_INFERRED ? c[s] : '?';
}

/* Append the lexical name (or "pad temporary N") of pad slot padix of PAD sv. */
static void lexical_name(const struct pmat_heap *h, uint32_t pad, uint64_t padix,
                         struct pmat_sb *sb)
{
    const struct pmat_code_info *c = pmat_code(h, pmat_padcv(h, pad));
    const struct pmat_padname *pn = pmat_code_padname(h, c, padix);
    if (pn) {
        sb_puts(sb, "the lexical ");
        sb_putn(sb, (const char *)pn->name.ptr, pn->name.len);
    } else {
        sb_printf(sb, "pad temporary %llu", (unsigned long long)padix);
    }
}

size_t pmat_ref_name(const struct pmat_heap *h, uint32_t src, uint64_t e, char *buf, size_t n)
{
    static const char *const fixed[PMAT_R__COUNT] = {
        [PMAT_R_BLESS] = "the bless package",
        [PMAT_R_GLOB_SCALAR] = "the scalar",
        [PMAT_R_GLOB_ARRAY] = "the array",
        [PMAT_R_GLOB_HASH] = "the hash",
        [PMAT_R_GLOB_CODE] = "the code",
        [PMAT_R_GLOB_IO] = "the io",
        [PMAT_R_GLOB_FORM] = "the form",
        [PMAT_R_GLOB_EGV] = "the egv",
        [PMAT_R_SAVED_SCALAR] = "saved value of SCALAR slot",
        [PMAT_R_SAVED_ARRAY] = "saved value of ARRAY slot",
        [PMAT_R_SAVED_HASH] = "saved value of HASH slot",
        [PMAT_R_SAVED_CODE] = "saved value of CODE slot",
        [PMAT_R_OUR_STASH] = "the our stash",
        [PMAT_R_REFERRANT] = "the referrant",
        [PMAT_R_PADLIST_NAMES] = "the padnames",
        [PMAT_R_PAD_ARGS] = "the @_ av",
        [PMAT_R_BACKREFS_LIST] = "the backrefs list",
        [PMAT_R_BACKREF] = "a backref",
        [PMAT_R_SAVED_HKEY] = "a key for saved value",
        [PMAT_R_MRO_ALL] = "the mro linear all HV",
        [PMAT_R_MRO_CURRENT] = "the mro linear current",
        [PMAT_R_MRO_NEXT] = "the mro next::method",
        [PMAT_R_MRO_ISA] = "the mro ISA cache",
        [PMAT_R_ADJUST_BLOCKS] = "the ADJUST blocks AV",
        [PMAT_R_SCOPE] = "the scope",
        [PMAT_R_CODE_STASH] = "the stash",
        [PMAT_R_CODE_GLOB] = "the glob",
        [PMAT_R_CONSTVAL] = "the constant value",
        [PMAT_R_PROTOSUB] = "the protosub",
        [PMAT_R_CONSTANT] = "a constant",
        [PMAT_R_REFGLOB] = "a referenced glob",
        [PMAT_R_PADLIST] = "the padlist",
        [PMAT_R_IO_TOP] = "the top GV",
        [PMAT_R_IO_FMT] = "the format GV",
        [PMAT_R_IO_BOTTOM] = "the bottom GV",
        [PMAT_R_LV_TARGET] = "the target",
        [PMAT_R_MAGIC2_AUXSV] = "MagicV2 auxsv",
        [PMAT_R_MAGIC2_KEYSV] = "MagicV2 keysv",
        [PMAT_R_MAGIC2_USERSTRUCT] = "MagicV2 userstruct",
    };
    uint8_t kind = h->out_kind[e];
    uint32_t aux = h->out_aux[e];
    struct pmat_sb sb;
    sb_init(&sb);
    struct pmat_str key;
    uint64_t val;
    switch (kind) {
    case PMAT_R_MAGIC_OBJ:
    case PMAT_R_MAGIC_PTR:
        /* the type is read with unpack "A1", which strips NUL and space */
        sb_putc(&sb, '\'');
        if (aux && aux != ' ') sb_putc(&sb, (char)aux);
        sb_puts(&sb, kind == PMAT_R_MAGIC_OBJ ? "' magic object" : "' magic pointer");
        break;
    case PMAT_R_ANNOTATION: {
        uint64_t target;
        struct pmat_str text;
        pmat_ext_annotation(h, &h->exts[aux], &target, &text);
        if (text.defined) sb_putn(&sb, (const char *)text.ptr, text.len);
        break;
    }
    case PMAT_R_ELEMENT:
    case PMAT_R_ELEMENT_VIA_RV:
        sb_printf(&sb, "element [%u]%s", aux, kind == PMAT_R_ELEMENT_VIA_RV ? " via RV" : "");
        break;
    case PMAT_R_SAVED_ELEMENT:
        sb_printf(&sb, "saved value of element [%u]", aux);
        break;
    case PMAT_R_PAD_AT_DEPTH:
        sb_printf(&sb, "pad at depth %u", aux);
        break;
    case PMAT_R_PADNAME:
        sb_printf(&sb, "padname [%u]", aux);
        break;
    case PMAT_R_LEXICAL:
    case PMAT_R_LEXICAL_VIA_RV:
        lexical_name(h, src, aux, &sb);
        if (kind == PMAT_R_LEXICAL_VIA_RV) sb_puts(&sb, " via RV");
        break;
    case PMAT_R_HVALUE:
    case PMAT_R_HVALUE_VIA_RV:
        sb_puts(&sb, "value ");
        if (pmat_hash_pair(h, src, aux, &key, &val) == 0) pmat_format_key(key.ptr, key.len, 0, &sb);
        if (kind == PMAT_R_HVALUE_VIA_RV) sb_puts(&sb, " via RV");
        break;
    case PMAT_R_SAVED_HVALUE: {
        uint64_t ix, p0, p1;
        sb_puts(&sb, "saved value of value ");
        pmat_ext_saved(h, &h->exts[aux], &ix, &p0, &p1);
        struct pmat_scalar s;
        if (pmat_scalar(h, pmat_sv_at(h, p0), &s) == 0 && s.has_pv)
            pmat_format_key(s.pv.ptr, s.pv.len, 0, &sb);
        else
            sb_puts(&sb, "{}");
        break;
    }
    case PMAT_R_OBJ_FIELD:
    case PMAT_R_OBJ_FIELD_VIA_RV: {
        uint64_t fx;
        struct pmat_str nm = {0, 0, 0};
        class_field(h, h->blessed[src], aux, &fx, &nm);
        sb_puts(&sb, "the ");
        sb_putn(&sb, (const char *)nm.ptr, nm.len);
        sb_puts(&sb, kind == PMAT_R_OBJ_FIELD_VIA_RV ? " field via RV" : " field");
        break;
    }
    case PMAT_R_STRUCT_FIELD: {
        const struct pmat_struct_type *st = pmat_struct_type_of(h, src);
        if (st && aux < st->nfields)
            sb_putn(&sb, (const char *)st->fields[aux].name.ptr, st->fields[aux].name.len);
        break;
    }
    default:
        if (kind < PMAT_R__COUNT && fixed[kind]) sb_puts(&sb, fixed[kind]);
        break;
    }
    size_t len = sb.len;
    if (n) {
        size_t c = len < n - 1 ? len : n - 1;
        if (c) memcpy(buf, sb.buf, c);
        buf[c] = 0;
    }
    sb_free(&sb);
    return len;
}

/* Incoming index: counting sort of every indexed edge by target. */
int pmat_inrefs_build(struct pmat_heap *h)
{
    if (h->in_start) return 0;
    uint32_t nt = h->ntotal;
    uint64_t *start = calloc((size_t)nt + 1, 8);
    if (!start) return -1;
    uint64_t total = 0;
    for (uint64_t e = 0; e < h->nout; e++) {
        uint32_t t = h->out_target[e];
        if (pmat_is_immortal(h, t) || h->out_kind[e] == PMAT_R_HVALUE_VIA_RV) continue;
        start[t + 1]++;
        total++;
    }
    for (uint32_t i = 0; i < nt; i++)
        start[i + 1] += start[i];
    uint32_t *src = malloc((total ? total : 1) * 4);
    uint64_t *edge = malloc((total ? total : 1) * 8);
    uint64_t *fill = malloc(((size_t)nt + 1) * 8);
    uint32_t *rs = calloc(nt, 4), *rw = calloc(nt, 4), *sc = calloc(nt, 4);
    if (!src || !edge || !fill || !rs || !rw || !sc) {
        free(start), free(src), free(edge), free(fill), free(rs), free(rw), free(sc);
        return -1;
    }
    memcpy(fill, start, ((size_t)nt + 1) * 8);
    for (uint32_t s = 0; s < nt; s++) {
        for (uint64_t e = h->out_start[s]; e < h->out_start[s + 1]; e++) {
            uint32_t t = h->out_target[e];
            if (pmat_is_immortal(h, t) || h->out_kind[e] == PMAT_R_HVALUE_VIA_RV) continue;
            uint64_t d = fill[t]++;
            src[d] = s;
            edge[d] = e;
        }
    }
    free(fill);
    for (uint32_t i = 0; i < h->nroots; i++) {
        uint32_t sv = h->roots[i].sv;
        if (sv == PMAT_NONE) continue;
        if (h->roots[i].strong)
            rs[sv]++;
        else
            rw[sv]++;
    }
    for (uint64_t i = 0; i < h->nstack; i++)
        if (h->stack[i] != PMAT_NONE) sc[h->stack[i]]++;
    h->in_start = start;
    h->in_source = src;
    h->in_edge = edge;
    h->nin = total;
    h->root_strong_count = rs;
    h->root_weak_count = rw;
    h->stack_count = sc;
    return 0;
}
