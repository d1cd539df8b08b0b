/*
 * main_pmat-cat-svpv.c — `pmat-cat-svpv FILE ADDR`
 *
 * Writes the captured PV of the SCALAR at ADDR to stdout, raw, as Devel::MAT
 * 0.51's pmat-cat-svpv does — including how that Perl program interprets ADDR:
 * "0x..." is read by Perl's hex(); anything else is used as a hash key (so only
 * a canonical decimal address finds a heap SV) and as a number (for the
 * immortals and the error message).
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leaktools.h"
#include "pmat_heap.h"

static const char *const prog = "pmat-cat-svpv";
static const char usage[] =
    "Usage: pmat-cat-svpv FILE ADDR\n"
    "\n"
    "Writes the string value (PV) of the SCALAR at ADDR, as captured in the dump.\n"
    "\n"
    "Options:\n"
    "  --help     print this help and exit\n"
    "  --version  print the version and exit\n";

/* A Perl numeric value: an integer (unsigned or negative) or a float. */
struct perl_num {
    int is_float;
    int negative; /* integer < 0: value is in iv */
    uint64_t uv;
    int64_t iv;
    double nv;
};

/* Perl's hex(): optional "0x"/"x", hex digits with single underscores between them,
 * stopping at the first other character; past 64 bits it continues as a float. */
static struct perl_num perl_hex(const char *s)
{
    struct perl_num r = {0};
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        s += 2;
    else if (s[0] == 'x' || s[0] == 'X')
        s++;
    for (; *s; s++) {
        int d;
        if (*s == '_' && isxdigit((unsigned char)s[1])) continue;
        if (!isxdigit((unsigned char)*s)) break;
        d = isdigit((unsigned char)*s) ? *s - '0' : (tolower((unsigned char)*s) - 'a' + 10);
        if (!r.is_float && r.uv > (UINT64_MAX >> 4)) {
            r.is_float = 1;
            r.nv = (double)r.uv;
        }
        if (r.is_float)
            r.nv = r.nv * 16.0 + d;
        else
            r.uv = (r.uv << 4) | (uint64_t)d;
    }
    return r;
}

/* Perl's numification of a string (leading whitespace, sign, digits, fraction,
 * exponent; trailing junk ignored): integers stay exact when they fit. */
static struct perl_num perl_numify(const char *s)
{
    struct perl_num r = {0};
    while (isspace((unsigned char)*s))
        s++;
    const char *start = s;
    int neg = 0;
    if (*s == '+' || *s == '-') neg = *s++ == '-';
    const char *digits = s;
    while (isdigit((unsigned char)*s))
        s++;
    int ndigits = (int)(s - digits);
    int is_int = ndigits > 0 && *s != '.' && *s != 'e' && *s != 'E';
    if (is_int) {
        uint64_t v = 0;
        int overflow = 0;
        for (const char *p = digits; p < s; p++) {
            if (v > (UINT64_MAX - (uint64_t)(*p - '0')) / 10) overflow = 1;
            v = v * 10 + (uint64_t)(*p - '0');
        }
        if (!overflow && (!neg || v <= (uint64_t)INT64_MAX + 1)) {
            if (neg && v) {
                r.negative = 1;
                r.iv = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
            } else {
                r.uv = v;
            }
            return r;
        }
    }
    r.is_float = 1;
    r.nv = strtod(start, NULL); /* also Inf / NaN spelled any way Perl accepts them */
    return r;
}

static int num_equals_addr(const struct perl_num *n, uint64_t addr)
{
    if (n->is_float) return n->nv == (double)addr;
    return !n->negative && n->uv == addr;
}

/* sprintf "%#x" of a Perl number ("0" for zero; floats truncated the way Perl casts;
 * Perl 5.36 prints infinities and NaN by name). */
static void format_hex(const struct perl_num *n, char *buf, size_t size)
{
    uint64_t v;
    if (n->is_float) {
        if (n->nv != n->nv || isinf(n->nv)) {
            snprintf(buf, size, "%s", n->nv != n->nv ? "NaN" : n->nv < 0 ? "-Inf" : "Inf");
            return;
        }
        if (n->nv < 0)
            v = n->nv <= (double)INT64_MIN ? (uint64_t)INT64_MIN : (uint64_t)(int64_t)n->nv;
        else
            v = n->nv >= 18446744073709551615.0 ? UINT64_MAX : (uint64_t)n->nv;
    } else {
        v = n->negative ? (uint64_t)n->iv : n->uv;
    }
    if (v)
        snprintf(buf, size, "%#llx", (unsigned long long)v);
    else
        snprintf(buf, size, "0");
}

/* A canonical decimal integer string ("0" or no leading zero) that fits in 64 bits. */
static int canonical_decimal(const char *s, uint64_t *out)
{
    if (!*s || (s[0] == '0' && s[1])) return 0;
    uint64_t v = 0;
    for (const char *p = s; *p; p++) {
        if (!isdigit((unsigned char)*p)) return 0;
        if (v > (UINT64_MAX - (uint64_t)(*p - '0')) / 10) return 0;
        v = v * 10 + (uint64_t)(*p - '0');
    }
    *out = v;
    return 1;
}

/* Perl prints a UTF-8 string to a raw handle as Latin-1 when every character fits,
 * else as its UTF-8 bytes. */
static void print_pv(const uint8_t *p, uint64_t len, int utf8)
{
    int downgradable = 1;
    if (utf8) {
        for (uint64_t i = 0; i < len; i++) {
            if (p[i] < 0x80) continue;
            if ((p[i] == 0xC2 || p[i] == 0xC3) && i + 1 < len && (p[i + 1] & 0xC0) == 0x80) {
                i++;
                continue;
            }
            downgradable = 0;
            break;
        }
    }
    if (!utf8 || !downgradable) {
        fwrite(p, 1, len, stdout);
        return;
    }
    for (uint64_t i = 0; i < len; i++) {
        if (p[i] < 0x80) {
            putchar(p[i]);
        } else {
            putchar(((p[i] & 0x03) << 6) | (p[i + 1] & 0x3F));
            i++;
        }
    }
}

static int die_msg(struct pmat_heap *h, const char *msg)
{
    fflush(stdout);
    fprintf(stderr, "%s\n", msg);
    pmat_free(h);
    return 255;
}

int main(int argc, char **argv)
{
    if (leaktools_help_version(prog, argc, argv, usage)) return 0;
    if (argc < 2) return die_msg(NULL, "Need dumpfile");
    struct pmat_heap *h = leaktools_load(prog, argv[1], 0, NULL);
    if (!h) return 2;
    if (argc < 3) return die_msg(h, "Need addr");
    const char *arg = argv[2];

    struct perl_num num;
    int truthy;
    uint64_t key = 0;
    int has_key;
    if (!strncmp(arg, "0x", 2)) {
        num = perl_hex(arg);
        truthy = num.is_float ? num.nv != 0 : num.uv != 0;
        has_key = !num.is_float;
        key = num.uv;
    } else {
        num = perl_numify(arg);
        truthy = arg[0] && strcmp(arg, "0");
        has_key = canonical_decimal(arg, &key);
    }

    uint32_t sv = PMAT_NONE;
    if (truthy) {
        if (num_equals_addr(&num, h->undef_addr))
            sv = h->nsv;
        else if (num_equals_addr(&num, h->yes_addr))
            sv = h->nsv + 1;
        else if (num_equals_addr(&num, h->no_addr))
            sv = h->nsv + 2;
        else if (has_key && key) {
            sv = pmat_sv_at(h, key);
            if (sv != PMAT_NONE && pmat_is_immortal(h, sv)) sv = PMAT_NONE;
        }
    }
    if (sv == PMAT_NONE) {
        char hex[64], msg[96];
        format_hex(&num, hex, sizeof hex);
        snprintf(msg, sizeof msg, "No SV at %s", hex);
        return die_msg(h, msg);
    }

    struct pmat_scalar s;
    int is_scalar = h->kind[sv] != PMAT_K_BOOL && pmat_scalar(h, sv, &s) == 0 &&
                    (s.has_uv || s.has_iv || s.has_nv || s.has_pv);
    if (!is_scalar) return die_msg(h, "SV is not a SCALAR");
    if (!s.has_pv || !s.pv.defined) return die_msg(h, "SV does not have a PV");
    print_pv(s.pv.ptr, s.pv.len, !!(s.flags & PMAT_SF_UTF8));
    fflush(stdout);
    pmat_free(h);
    return 0;
}
