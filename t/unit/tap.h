/*
 * tap.h — a minimal TAP producer shared by the C unit tests (t/unit/NAME.c, run by
 * t/unit.t): tap_ok() prints "ok N - name" / "not ok N - name" (kept to one line),
 * tap_is() compares strings and shows both on a mismatch, tap_done() prints the
 * plan and gives the exit status.
 */
#ifndef PMAT_TAP_H
#define PMAT_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

static int tap_ok(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int tap_ok(int cond, const char *fmt, ...)
{
    va_list ap;
    char name[512];
    va_start(ap, fmt);
    vsnprintf(name, sizeof name, fmt, ap);
    va_end(ap);
    printf("%sok %d - ", cond ? "" : "not ", ++tap_n);
    for (const char *p = name; *p; p++) /* keep the TAP line one line */
        if (*p == '\n')
            printf("\\n");
        else if (*p == '#')
            printf("\\#");
        else
            putchar(*p);
    printf("\n");
    if (!cond) tap_failed++;
    return cond;
}

/* Compare strings; on mismatch show both with escapes made visible. */
static void tap_show(const char *tag, const char *s)
{
    printf("# %s: \"", tag);
    for (const unsigned char *p = (const unsigned char *)(s ? s : "(null)"); *p; p++) {
        if (*p == '\n')
            printf("\\n");
        else if (*p == 0x1b)
            printf("\\e");
        else if (*p == '"' || *p == '\\')
            printf("\\%c", *p);
        else
            putchar(*p);
    }
    printf("\"\n");
}

__attribute__((unused)) static int tap_is(const char *got, const char *want, const char *name)
{
    int ok = (got && want) ? !strcmp(got, want) : got == want;
    tap_ok(ok, "%s", name);
    if (!ok) {
        tap_show("got ", got);
        tap_show("want", want);
    }
    return ok;
}

__attribute__((unused)) static int tap_done(void)
{
    printf("1..%d\n", tap_n);
    return tap_failed ? 1 : 0;
}

#endif
