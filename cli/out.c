/*
 * out.c — the output API: every byte a command prints goes through
 * cli_write() to the shell's sink, so a different renderer can take over.
 * Also the styled pieces (notes, headings, symbols, values) with the escape
 * sequences String::Tagged::Terminal produces for Devel::MAT, errors and
 * warnings, and display-width measurement.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_int.h"

/* Length of the well-formed UTF-8 sequence at p (n bytes available), 0 if the
 * byte there does not start one. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
    unsigned char c = p[0];
    size_t len = c < 0x80                 ? 1
                 : c >= 0xC2 && c <= 0xDF ? 2
                 : c >= 0xE0 && c <= 0xEF ? 3
                 : c >= 0xF0 && c <= 0xF4 ? 4
                                          : 0;
    if (!len || len > n) return 0;
    for (size_t i = 1; i < len; i++)
        if ((p[i] & 0xC0) != 0x80) return 0;
    return len;
}

/*
 * Names in a dump (globs, stashes, hash keys, pad names, annotations) are raw
 * bytes with no encoding.  Devel::MAT prints them through a UTF-8 output layer,
 * so a byte string is shown as Latin-1 characters: "caf\xe9" prints as "café".
 * We do the same for every byte that is not part of well-formed UTF-8; text
 * that already is UTF-8 (our tree glyphs, names written by a `use utf8`
 * program) passes through unchanged (0.51 would encode it twice: compat.md).
 */
void cli_write(struct cli *cli, const char *p, size_t n)
{
    if (!n) return;
    const unsigned char *u = (const unsigned char *)p;
    size_t i = 0;
    while (i < n && u[i] < 0x80)
        i++;
    if (i == n) {
        cli->out(cli->out_ud, p, n);
        return;
    }
    char *buf = malloc(2 * n);
    if (!buf) {
        cli->out(cli->out_ud, p, n);
        return;
    }
    size_t o = 0;
    for (i = 0; i < n;) {
        size_t len = utf8_seq(u + i, n - i);
        if (len) {
            memcpy(buf + o, u + i, len);
            o += len, i += len;
        } else {
            buf[o++] = (char)(0xC0 | (u[i] >> 6));
            buf[o++] = (char)(0x80 | (u[i] & 0x3F));
            i++;
        }
    }
    cli->out(cli->out_ud, buf, o);
    free(buf);
}

void cli_err_write(struct cli *cli, const char *p, size_t n)
{
    if (n) cli->err(cli->err_ud, p, n);
}

void cli_puts(struct cli *cli, const char *s)
{
    cli_write(cli, s, strlen(s));
}

void cli_vprintf(struct cli *cli, const char *fmt, va_list ap)
{
    char small[512];
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    if (n < 0) {
        va_end(ap2);
        return;
    }
    if ((size_t)n < sizeof small) {
        cli_write(cli, small, (size_t)n);
    } else {
        char *big = malloc((size_t)n + 1);
        if (big) {
            vsnprintf(big, (size_t)n + 1, fmt, ap2);
            cli_write(cli, big, (size_t)n);
            free(big);
        }
    }
    va_end(ap2);
}

void cli_printf(struct cli *cli, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cli_vprintf(cli, fmt, ap);
    va_end(ap);
}

const struct pmat_style *cli_style(struct cli *cli)
{
    return cli->style;
}

int cli_colour(struct cli *cli)
{
    return cli->colour;
}

/* Wrap text in an SGR pair when colour is on.  Devel::MAT's terminal
 * renderer always closes with the bare "ESC[m". */
static void styled(struct cli *cli, struct pmat_sb *sb, const char *sgr, const char *text)
{
    if (cli->colour && sgr && *text) {
        sb_printf(sb, "\033[%sm", sgr);
        sb_puts(sb, text);
        sb_puts(sb, "\033[m");
    } else {
        sb_puts(sb, text);
    }
}

void cli_fmt_note(struct cli *cli, struct pmat_sb *sb, const char *text, int idx)
{
    static const char *const fg[3] = {"1;33", "1;36", "1;35"}; /* yellow, cyan, magenta */
    if (idx < 0) idx = -idx;
    styled(cli, sb, fg[idx % 3], text);
}

void cli_fmt_heading(struct cli *cli, struct pmat_sb *sb, const char *text, int level)
{
    static const char *const sgr[3] = {"1", "4", "4;36"};
    if (level < 0) level = -level;
    styled(cli, sb, sgr[level % 3], text);
}

void cli_fmt_symbol(struct cli *cli, struct pmat_sb *sb, const char *text)
{
    styled(cli, sb, "32", text);
}

void cli_fmt_value(struct cli *cli, struct pmat_sb *sb, const char *text)
{
    styled(cli, sb, "95", text);
}

void cli_fmt_sv(struct cli *cli, struct pmat_sb *sb, uint32_t sv)
{
    pmat_format_sv(cli->heap, sv, cli->style, sb);
}

void cli_fmt_sv_value(struct cli *cli, struct pmat_sb *sb, uint32_t sv)
{
    pmat_format_sv_with_value(cli->heap, sv, cli->style, sb);
}

/* The cli_out_* family: format into a scratch buffer, then write. */
#define OUT_VIA_SB(call)                                                                           \
    do {                                                                                           \
        struct pmat_sb sb_;                                                                        \
        sb_init(&sb_);                                                                             \
        call;                                                                                      \
        cli_write(cli, sb_.buf ? sb_.buf : "", sb_.len);                                           \
        sb_free(&sb_);                                                                             \
    } while (0)

void cli_out_sv(struct cli *cli, uint32_t sv)
{
    OUT_VIA_SB(cli_fmt_sv(cli, &sb_, sv));
}

void cli_out_sv_value(struct cli *cli, uint32_t sv)
{
    OUT_VIA_SB(cli_fmt_sv_value(cli, &sb_, sv));
}

void cli_out_note(struct cli *cli, const char *text, int idx)
{
    OUT_VIA_SB(cli_fmt_note(cli, &sb_, text, idx));
}

void cli_out_heading(struct cli *cli, const char *text, int level)
{
    OUT_VIA_SB(cli_fmt_heading(cli, &sb_, text, level));
}

void cli_out_symbol(struct cli *cli, const char *text)
{
    OUT_VIA_SB(cli_fmt_symbol(cli, &sb_, text));
}

void cli_out_value(struct cli *cli, const char *text)
{
    OUT_VIA_SB(cli_fmt_value(cli, &sb_, text));
}

/* Characters as Perl's length() counts them on decoded text: one per UTF-8
 * lead byte (continuation bytes 10xxxxxx don't count); CSI escape sequences
 * (ESC '[' params final-byte) count zero because they only carry colour. */
size_t cli_text_width(const char *s)
{
    size_t w = 0;
    const unsigned char *p = (const unsigned char *)s;
    const unsigned char *end = p + strlen(s);
    while (*p) {
        if (p[0] == 0x1b && p[1] == '[') {
            p += 2;
            while (*p && !(*p >= 0x40 && *p <= 0x7e))
                p++;
            if (*p) p++;
            continue;
        }
        /* one column per UTF-8 character, or per stray byte (shown as Latin-1) */
        size_t len = utf8_seq(p, (size_t)(end - p));
        w++;
        p += len ? len : 1;
    }
    return w;
}

void cli_clear_error(struct cli *cli)
{
    sb_reset(&cli->errmsg);
    cli->has_error = 0;
}

int cli_error(struct cli *cli, const char *fmt, ...)
{
    va_list ap;
    char buf[1024];
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    sb_reset(&cli->errmsg);
    sb_puts(&cli->errmsg, buf);
    cli->has_error = 1;
    return -1;
}

const char *cli_last_error(struct cli *cli)
{
    return cli->has_error ? sb_str(&cli->errmsg) : "";
}

void cli_warn(struct cli *cli, const char *fmt, ...)
{
    va_list ap;
    char buf[1024];
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n > sizeof buf - 2) n = sizeof buf - 2;
    buf[n++] = '\n';
    cli_err_write(cli, buf, (size_t)n);
}

/* Devel::MAT redraws its progress line with "\r\e[K" + text on stderr; only
 * when stderr is a terminal and -q was not given. */
void cli_progress(struct cli *cli, const char *fmt, ...)
{
    if (!cli->progress_tty) return;
    char buf[512];
    int n = 0;
    memcpy(buf, "\r\033[K", 4);
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        n = vsnprintf(buf + 4, sizeof buf - 4, fmt, ap);
        va_end(ap);
        if (n < 0) n = 0;
        if ((size_t)n > sizeof buf - 5) n = sizeof buf - 5;
    }
    cli_err_write(cli, buf, 4 + (size_t)n);
    cli->progress_shown = n > 0;
}

void cli_progress_clear(struct cli *cli)
{
    if (cli->progress_tty && cli->progress_shown) cli_err_write(cli, "\r\033[K", 4);
    cli->progress_shown = 0;
}
