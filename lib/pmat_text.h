/*
 * pmat_text.h — the text primitives every command is built from, exactly as
 * Devel::MAT 0.51 forms them: SV descriptions ("HASH(3)", "CODE(PP,closure)"),
 * SV references ("HASH(5)=My::Obj at 0x55…=defstash"), values, Perl's
 * perlstring quoting, byte counts ("1.6 GiB"), symbol names.
 *
 * All functions append to a growable string buffer (struct pmat_sb) and never
 * print.  Colour is a rendering concern: functions that produce an SV
 * reference or a value take a `struct pmat_style` whose open/close strings are
 * empty for plain output.
 */
#ifndef PMAT_TEXT_H
#define PMAT_TEXT_H

#include <stdarg.h>
#include "pmat_heap.h"

/* A growable string.  Out of memory is sticky: the append that could not grow the
 * buffer and every one after it are dropped and `failed` is set, so a caller builds
 * the whole text and checks once (sb_failed) before using it as an answer.  Only
 * sb_init / sb_free clear it. */
struct pmat_sb {
    char *buf;
    size_t len, cap;
    int failed;
};

static inline int sb_failed(const struct pmat_sb *sb)
{
    return sb->failed;
}

void sb_init(struct pmat_sb *sb);
void sb_free(struct pmat_sb *sb);
void sb_reset(struct pmat_sb *sb);
void sb_putc(struct pmat_sb *sb, char c);
void sb_puts(struct pmat_sb *sb, const char *s);
void sb_putn(struct pmat_sb *sb, const char *s, size_t n);
void sb_printf(struct pmat_sb *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Detach the buffer (caller frees); sb is reset.  NULL when the buffer failed. */
char *sb_take(struct pmat_sb *sb);
/* Current contents as a NUL-terminated string (valid until the next append); "" when
 * nothing could be allocated. */
const char *sb_str(struct pmat_sb *sb);

/* Escape-sequence pairs for the coloured pieces; all "" for plain output. */
struct pmat_style {
    const char *sv_on, *sv_off;       /* an SV reference: bold italic */
    const char *sym_on, *sym_off;     /* symbol names: green */
    const char *value_on, *value_off; /* values: colour 13 */
};
extern const struct pmat_style pmat_style_plain;
extern const struct pmat_style pmat_style_ansi;

/* desc: "SCALAR(UV,PV)", "ARRAY(3,!REAL)", "UNDEF", ... */
void pmat_desc(const struct pmat_heap *h, uint32_t sv, struct pmat_sb *out);
/* format_sv: desc [=Blessed] at 0xADDR [=rootname] */
void pmat_format_sv(const struct pmat_heap *h, uint32_t sv, const struct pmat_style *st,
                    struct pmat_sb *out);
/* format_sv_with_value: format_sv plus the kind's value preview (" = 3", " => ...", ...) */
void pmat_format_sv_with_value(const struct pmat_heap *h, uint32_t sv, const struct pmat_style *st,
                               struct pmat_sb *out);

/* Perl's B::perlstring of bytes (utf8: decode as UTF-8 first). */
void pmat_perlstring(const uint8_t *p, uint64_t len, int utf8, struct pmat_sb *out);
/* format_value of a PV: perlstring, truncated to maxlen characters first (0 = no limit),
 * with "..." after the closing quote when truncated. */
void pmat_format_pv(const uint8_t *p, uint64_t len, int utf8, uint64_t maxlen, struct pmat_sb *out);
/* "{key}" or "{"quoted"}"; stash_style: "{^X...}" for a leading control char. */
void pmat_format_key(const uint8_t *p, uint64_t len, int stash_style, struct pmat_sb *out);
/* Perl's default stringification of an NV ("%.15g" with Inf/NaN spelled Perl's way). */
void pmat_format_nv(double nv, struct pmat_sb *out);
/* format_bytes: "72 bytes", "1.0 KiB", "1.6 GiB" */
void pmat_format_bytes(uint64_t n, struct pmat_sb *out);

/* symname: "$main::x", "&main::foo", "%main::" — 0 if the SV has none. */
int pmat_symname(const struct pmat_heap *h, uint32_t sv, struct pmat_sb *out);
/* A GLOB's stashname ("main::STDOUT", control first byte as ^X). 0 if none. */
int pmat_glob_stashname(const struct pmat_heap *h, uint32_t gv, struct pmat_sb *out);
/* A STASH's name (STR NAME); 0 if none. */
int pmat_stash_name(const struct pmat_heap *h, uint32_t stash, struct pmat_str *name);

/* Devel::MAT's find_symbol: "$main::x", "@Foo::bar", "%main::", "&main::foo" -> *sv.
 * PMAT_OK; PMAT_EINVALID when there is no such symbol, with Devel::MAT's message (without
 * Perl's " at FILE line N.") in err->msg; PMAT_ENOMEM.  *sv is PMAT_NONE on failure; err
 * may be NULL. */
int pmat_find_symbol(const struct pmat_heap *h, const char *name, uint32_t *sv,
                     struct pmat_error *err);
/* Devel::MAT's find_stash: "Foo::Bar" -> *stash, the STASH; failures as pmat_find_symbol. */
int pmat_find_stash(const struct pmat_heap *h, const char *name, uint32_t *stash,
                    struct pmat_error *err);

/* Basetype for pmat-leakreport keys: "SV", "AV", "HV", ... ; NULL if none. */
const char *pmat_basetype(const struct pmat_heap *h, uint32_t sv);
/* Class name used by `count` ("SCALAR", "PAD", "BOOL", "C_STRUCT", ...). */
const char *pmat_kind_name(enum pmat_kind k);

#endif
