/*
 * find.c — unit tests of lib/find.c's parts that need no heap: numbers read the
 * way Perl numifies a command-line string, and Perl-style pv patterns compiled
 * with PCRE2 (substring / --eq / --regexp, -i, bytes vs UTF-8, the pattern's
 * bytes read as Latin-1 for UTF-8 strings).  The filters themselves are
 * compared with Devel::MAT by t/cmd-find.t.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "pmat_find.h"
#include "tap.h"

static void num(const char *s, int is_int, int neg, uint64_t mag, double nv)
{
    struct pmat_find_number n;
    pmat_find_parse_number(s, &n);
    tap_ok(n.is_int == is_int && (!is_int || (n.neg == neg && n.mag == mag)) &&
               (n.nv == nv || (nv != nv && n.nv != n.nv)),
           "number '%s': int=%d neg=%d mag=%llu nv=%g", s, n.is_int, n.neg,
           (unsigned long long)n.mag, n.nv);
}

/* Does the pattern (with options) match the string, as bytes or as UTF-8? */
static int pv_match(const char *pattern, int eq, int regexp, int icase, const char *str, int utf8)
{
    struct pmat_find_filter f;
    pmat_find_init(&f, PMAT_FIND_PV);
    f.pattern = pattern;
    f.eq = eq;
    f.regexp = regexp;
    f.ignorecase = icase;
    if (pmat_find_prepare(NULL, &f, NULL) < 0) return -1;
    int rc =
        pcre2_match(utf8 ? f.re_utf8 : f.re_bytes, (PCRE2_SPTR)str, strlen(str), 0, 0, f.md, NULL);
    pmat_find_release(&f);
    return rc >= 0;
}

int main(void)
{
    num("42", 1, 0, 42, 42);
    num("-5", 1, 1, 5, -5);
    num("  7", 1, 0, 7, 7);
    num("18446744073709551615", 1, 0, UINT64_MAX, 18446744073709551615.0);
    num("-9223372036854775808", 1, 1, (uint64_t)1 << 63, -9223372036854775808.0);
    num("18446744073709551616", 0, 0, 0, 18446744073709551616.0);
    num("2.5", 0, 0, 0, 2.5);
    num("1e3", 0, 0, 0, 1000);
    num("3.0", 0, 0, 0, 3);
    num("abc", 0, 0, 0, 0);
    num("12abc", 1, 0, 12, 12);
    num("-0", 1, 0, 0, -0.0);
    num("inf", 0, 0, 0, 1.0 / 0.0);

    tap_ok(pv_match("ell", 0, 0, 0, "hello", 0) == 1, "substring");
    tap_ok(pv_match("a.c", 0, 0, 0, "abc", 0) == 0, "substring quotes metacharacters");
    tap_ok(pv_match("a.c", 0, 0, 0, "xa.cx", 0) == 1, "... and finds them literally");
    tap_ok(pv_match("HELLO", 0, 0, 1, "hello", 0) == 1, "-i");
    tap_ok(pv_match("hello", 1, 0, 0, "hello", 0) == 1, "--eq");
    tap_ok(pv_match("hello", 1, 0, 0, "hello!", 0) == 0, "--eq is the whole string");
    tap_ok(pv_match("hello", 1, 0, 0, "hello\n", 0) == 1, "--eq allows a final newline (Perl's $)");
    tap_ok(pv_match("^h.*o$", 0, 1, 0, "hello", 0) == 1, "--regexp");
    tap_ok(pv_match("(?<y>\\d{4})-\\d\\d", 0, 1, 0, "on 2024-05", 0) == 1, "named captures");
    tap_ok(pv_match("(", 0, 1, 0, "x", 0) == -1, "a bad regexp is an error");
    {
        struct pmat_find_filter f;
        pmat_find_init(&f, PMAT_FIND_PV);
        f.pattern = "a(b";
        f.regexp = 1;
        struct pmat_error err;
        int status = pmat_find_prepare(NULL, &f, &err);
        tap_ok(status == PMAT_EINVALID, "a bad regexp is PMAT_EINVALID (%d)", status);
        tap_is(err.msg,
               "missing closing parenthesis in regex; marked by <-- HERE in m/a(b <-- HERE /",
               "... with Perl's way of pointing at it");
        f.pattern = "a(b)";
        tap_ok(pmat_find_prepare(NULL, &f, NULL) == PMAT_OK, "the filter can be prepared again");
        pmat_find_release(&f);
    }
    tap_ok(pv_match("caf\xe9", 0, 0, 0, "caf\xc3\xa9", 1) == 1,
           "a byte pattern is Latin-1 for a UTF-8 string");
    tap_ok(pv_match("caf\xe9", 0, 0, 0, "caf\xe9", 0) == 1, "... and bytes for a byte string");
    tap_ok(pv_match("CAF\xc9", 0, 0, 1, "caf\xc3\xa9", 1) == 1,
           "-i folds Unicode in UTF-8 strings");
    tap_ok(pv_match("CAF\xc9", 0, 0, 1, "caf\xe9", 0) == 0, "... but only ASCII in byte strings");
    tap_ok(pv_match("^.$", 0, 1, 0, "\xe2\x98\xba", 1) == 1, "a UTF-8 character is one character");
    tap_ok(pv_match("x", 0, 0, 0, "\xe2\x98", 1) == 0, "malformed UTF-8 does not break matching");

    return tap_done();
}
