/* PMAT.xs - Devel::PMAT: write Devel::MAT-compatible heap dumps.
 * The walker lives in pmat_dump.c, the output sink in pmat_out.c. */
#define PERL_NO_GET_CONTEXT
#include "EXTERN.h"
#include "perl.h"
#include "XSUB.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pmat_dump.h"
#include "pmat_check.h"

#define OUTBUF_SIZE (1 << 20)

static IV current_max_string(pTHX)
{
  SV *sv = get_sv("Devel::PMAT::MAX_STRING", 0);
  return (sv && SvOK(sv)) ? SvIV(sv) : 256;
}

/* Dump to an already open fd. SIGXFSZ and SIGPIPE are ignored meanwhile so
 * that an RLIMIT_FSIZE overrun or a closed pipe surfaces as EFBIG/EPIPE
 * instead of killing the process.
 * Returns 0 or an errno value. */
static int dump_to_fd(pTHX_ int fd, int comp, int minor)
{
  struct sigaction ign, old, oldpipe;
  memset(&ign, 0, sizeof ign);
  ign.sa_handler = SIG_IGN;
  sigemptyset(&ign.sa_mask);
  sigaction(SIGXFSZ, &ign, &old);
  sigaction(SIGPIPE, &ign, &oldpipe);     /* a vanished reader: EPIPE, not death */

  pmat_out o;
  int err = pmat_out_open(&o, fd, comp, OUTBUF_SIZE);
  if(!err) {
    pmat_dump_heap(aTHX_ &o, current_max_string(aTHX), minor);
    err = pmat_out_finish(&o);
  }
  pmat_out_free(&o);
  sigaction(SIGXFSZ, &old, NULL);
  sigaction(SIGPIPE, &oldpipe, NULL);
  return err;
}

/* ---- the reserve descriptor ----------------------------------------------
 * A program that dies because it ran out of file descriptors (EMFILE) is
 * exactly the one whose -dump_at_DIE dump matters, and the dump needs one
 * descriptor. So while hooks are installed we hold one in reserve: a memfd
 * (its inode is ours alone, so we can tell whether the number still refers
 * to it), moved to the top of the descriptor range so that the program's
 * own descriptors keep their usual numbers. When open() fails with EMFILE
 * or ENFILE the reserve is closed and the open retried; afterwards the
 * reserve is taken again. If the program closed the reserve (a daemon
 * closing every descriptor) and the number now holds something else, that
 * descriptor is left alone. */
static int reserve_fd = -1;
static dev_t reserve_dev;
static ino_t reserve_ino;

static void reserve_take(void)
{
  if(reserve_fd >= 0) return;
  int saved = errno;
  int fd = memfd_create("Devel::PMAT fd reserve", MFD_CLOEXEC);
  if(fd >= 0) {
    struct rlimit rl;
    int top = 1024;
    if(getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < (rlim_t)top)
      top = (int)rl.rlim_cur;
    if(top - 1 > fd) {
      int hi = fcntl(fd, F_DUPFD_CLOEXEC, top - 1);
      if(hi >= 0) { close(fd); fd = hi; }
    }
    struct stat st;
    if(fstat(fd, &st) == 0) {
      reserve_fd = fd;
      reserve_dev = st.st_dev;
      reserve_ino = st.st_ino;
    }
    else
      close(fd);
  }
  errno = saved;
}

/* Give up the reserve so its slot can be used; returns 1 if a descriptor
 * was freed (it was still ours), 0 otherwise. */
static int reserve_release(void)
{
  if(reserve_fd < 0) return 0;
  struct stat st;
  int ours = fstat(reserve_fd, &st) == 0 && st.st_dev == reserve_dev && st.st_ino == reserve_ino;
  if(ours) close(reserve_fd);
  reserve_fd = -1;
  return ours;
}

/* Write PATH atomically: PATH.tmp.PID (O_EXCL|O_NOFOLLOW, 0600), then
 * rename. On failure the temp file is removed and a message is left in
 * msg; returns 0 on success. Never croaks (also used in forked children). */
static int dump_to_path(pTHX_ const char *path, int comp, int minor, char *msg, size_t msglen)
{
  size_t tl = strlen(path) + 32;
  char *tmp = malloc(tl);
  if(!tmp) { snprintf(msg, msglen, "Cannot write %s - %s", path, strerror(ENOMEM)); return -1; }
  snprintf(tmp, tl, "%s.tmp.%ld", path, (long)getpid());

  const int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
  int fd = open(tmp, flags, 0600);
  int released = 0;
  if(fd < 0 && (errno == EMFILE || errno == ENFILE) && (released = reserve_release()))
    fd = open(tmp, flags, 0600);
  if(fd < 0) {
    snprintf(msg, msglen, "Cannot open %s for writing - %s", path, strerror(errno));
    if(released) reserve_take();
    free(tmp);
    return -1;
  }
  int err = dump_to_fd(aTHX_ fd, comp, minor);
  if(close(fd) < 0 && !err) err = errno;
  if(released) reserve_take();
  if(!err && rename(tmp, path) < 0) {
    err = errno;
    snprintf(msg, msglen, "Cannot rename %s to %s - %s", tmp, path, strerror(err));
    unlink(tmp);
    free(tmp);
    return -1;
  }
  if(err) {
    unlink(tmp);
    snprintf(msg, msglen, "Cannot write %s - %s", path, strerror(err));
    free(tmp);
    return -1;
  }
  free(tmp);
  return 0;
}

/* Runs in the vfork()ed intermediate child, which borrows the parent's
 * memory and stack: fork the writer (a real copy-on-write snapshot of the
 * parent) and leave at once. Only the writer runs the dump. Never returns. */
/* Children made by fork_dump() that we still have to reap. */
#define MAX_PENDING 64
static pid_t pending[MAX_PENDING];
static int npending;

/* Reap finished fork_dump() children (clone children: __WCLONE). */
static void reap_pending(int block)
{
  for(int i = 0; i < npending; ) {
    int st;
    pid_t r = waitpid(pending[i], &st, __WCLONE | (block ? 0 : WNOHANG));
    if(r == 0 || (r < 0 && errno == EINTR)) { i++; continue; }
    pending[i] = pending[--npending];     /* reaped, or ECHILD: forget it */
  }
}

/* The body of the clone()d child: it only forks the real writer (with
 * glibc's fork(), so the writer gets the usual post-fork fixups) and
 * leaves. The writer is then an orphan, adopted by init (or the nearest
 * subreaper); it writes the dump from its copy-on-write snapshot and leaves
 * with _exit() without running any Perl code. Never returns. */
static void __attribute__((noinline, noreturn))
dump_child(pTHX_ const char *path, int comp, int minor, const sigset_t *oldmask)
{
  pid_t g = fork();
  if(g == 0) {
    char msg[1024];
    sigprocmask(SIG_SETMASK, oldmask, NULL);
    if(dump_to_path(aTHX_ path, comp, minor, msg, sizeof msg) != 0) {
      char line[1100];
      int k = snprintf(line, sizeof line, "Devel::PMAT: %s\n", msg);
      if(k > 0) { ssize_t w = write(2, line, (size_t)k); (void)w; }
      _exit(1);
    }
    _exit(0);
  }
  if(g < 0) {
    char line[1100];
    int k = snprintf(line, sizeof line, "Devel::PMAT: Cannot fork to dump %s - %s\n",
        path, strerror(errno));
    if(k > 0) { ssize_t w = write(2, line, (size_t)k); (void)w; }
  }
  _exit(g < 0 ? 1 : 0);
}

/* Dump from a copy-on-write snapshot, pausing the caller only for one
 * page-table copy and no scheduling hand-off. The child is created with a
 * raw clone() whose exit signal is 0: the kernel sends no SIGCHLD for it,
 * and wait()/waitpid(-1, ...) (which only see ordinary children) never
 * return it, so the program's own child handling is undisturbed. It forks
 * the writer and exits at once; we reap it by pid with __WCLONE at the next
 * Devel::PMAT call or at END. All signals are blocked in the child until
 * the writer restores the program's mask. */
static int fork_dump(pTHX_ const char *path, int comp, int minor)
{
  sigset_t all, old;
  reap_pending(0);
  if(npending >= MAX_PENDING)
    reap_pending(1);
  sigfillset(&all);
  sigprocmask(SIG_BLOCK, &all, &old);
  pid_t pid = (pid_t)syscall(SYS_clone, 0L /* no CLONE_* flags, exit signal 0 */,
      NULL, NULL, NULL, NULL);
  if(pid == 0)
    dump_child(aTHX_ path, comp, minor, &old);
  int saved_errno = errno;
  sigprocmask(SIG_SETMASK, &old, NULL);
  if(pid < 0)
    return saved_errno;
  pending[npending++] = pid;
  return 0;
}

/* "0.4", "0.5" or "0.6" (a number 0.4 stringifies the same) to the minor
 * version, or -1; undef means $Devel::PMAT::FORMAT, and that unset the default. */
static int format_minor(pTHX_ SV *sv)
{
  if(!sv || !SvOK(sv)) {
    SV *pkg = get_sv("Devel::PMAT::FORMAT", 0);
    if(!pkg || !SvOK(pkg)) return PMAT_FORMAT_DEFAULT;
    sv = pkg;
  }
  const char *s = SvPV_nolen(sv);
  if(s[0] == '0' && s[1] == '.' && s[2] >= '0' + PMAT_FORMAT_MIN && s[2] <= '0' + PMAT_FORMAT_MAX &&
     !s[3])
    return s[2] - '0';
  return -1;
}

static int format_from_sv(pTHX_ SV *sv)
{
  int minor = format_minor(aTHX_ sv);
  if(minor < 0)
    croak("Unrecognised Devel::PMAT format '%s' (want 0.6, 0.5 or 0.4)", SvPV_nolen(sv));
  return minor;
}

/* Options of the hook-triggered dumps (-fork, -compress), set by import. */
static int hook_fork, hook_comp = PMAT_COMP_NONE;

/* A hook-triggered dump to PATH (the name already has its suffix). Unlike
 * dump() it never croaks: it runs inside __DIE__ and __WARN__ hooks, signal
 * handlers and END, where an exception of ours would replace the
 * program's own. A failure is reported on STDERR; errno (the exit status
 * die() will use) is left as it was. */
static void hook_dump(pTHX_ const char *path)
{
  int saved = errno;
  char msg[1024];
  /* import validated -format; a value set by hand later falls back to the default */
  int minor = format_minor(aTHX_ NULL);
  if(minor < 0)
    minor = PMAT_FORMAT_DEFAULT;
  reap_pending(0);
  if(hook_fork) {
    int err = fork_dump(aTHX_ path, hook_comp, minor);
    if(err)
      PerlIO_printf(PerlIO_stderr(), "Cannot fork to dump %s - %s\n", path, strerror(err));
  }
  else if(dump_to_path(aTHX_ path, hook_comp, minor, msg, sizeof msg) != 0)
    PerlIO_printf(PerlIO_stderr(), "%s\n", msg);
  errno = saved;
}

static int comp_from_sv(pTHX_ SV *sv)
{
  if(!sv || !SvOK(sv)) return PMAT_COMP_NONE;
  const char *s = SvPV_nolen(sv);
  if(!*s || strEQ(s, "none")) return PMAT_COMP_NONE;
  if(strEQ(s, "gzip") || strEQ(s, "gz")) return PMAT_COMP_GZIP;
  if(strEQ(s, "zstd") || strEQ(s, "zst")) return PMAT_COMP_ZSTD;
  croak("Unrecognised Devel::PMAT compression '%s' (want zstd or gzip)", s);
}

static void class_cb(pTHX_ HV *stash, UV n, void *arg)
{
  HV *out = arg;
  const char *name = HvNAME_get(stash);
  if(!name) name = "__ANON__";
  I32 len = HvNAME_get(stash) ? (I32)HvNAMELEN_get(stash) : 8;
  if(HvNAME_get(stash) && HvNAMEUTF8(stash)) len = -len;
  SV **svp = hv_fetch(out, name, len, 1);
  if(svp) sv_setuv(*svp, (SvOK(*svp) ? SvUV(*svp) : 0) + n);
}

/* ---- a DMD package helper for the tests (t/06-helpers.t) ----------------
 * Written the way a third-party XS module's helper is (see DMD_helper.h in
 * Devel::MAT::Dumper::Helper): annotations are pushed on the Perl stack as
 * (0x87, referrer, referent, label) and struct records go through the
 * function published under "Devel::MAT::Dumper/writestruct()". */
static struct { SV *buf; UV count; } test_struct;

typedef void writestruct_fn(pTHX_ pmat_ctx *, const char *, void *, size_t, size_t,
    const pmat_named_field []);

static int test_helper(pTHX_ pmat_ctx *ctx, const SV *sv)
{
  dSP;
  int ret = 0;
  SV **svp = SvTYPE(sv) == SVt_PVHV ? hv_fetchs((HV *)sv, "buf", 0) : NULL;
  test_struct.buf = svp ? *svp : NULL;
  test_struct.count = 42;
  SV **wp = hv_fetchs(PL_modglobal, "Devel::MAT::Dumper/writestruct()", 0);
  if(wp) {
    pmat_named_field fields[] = {
      { .name = "the buf SV", .type = PMAT_FIELD_PTR,  .ptr = test_struct.buf },
      { .name = "the count",  .type = PMAT_FIELD_UINT, .n = (long)test_struct.count },
      { .name = "is active",  .type = PMAT_FIELD_BOOL, .b = 1 },
    };
    (*INT2PTR(writestruct_fn *, SvUV(*wp)))(aTHX_ ctx, "Devel::PMAT/TestStruct",
        &test_struct, sizeof test_struct, 3, fields);
  }
  mXPUSHi(0x87); XPUSHs((SV *)sv); XPUSHs((SV *)&test_struct);
  mXPUSHp("the test structure", 18);
  ret += 4;
  if(test_struct.buf) {
    mXPUSHi(0x87); XPUSHs((SV *)sv); XPUSHs(test_struct.buf);
    mXPUSHp("the buffer (annotated)", 22);
    ret += 4;
  }
  PUTBACK;
  return ret;
}

MODULE = Devel::PMAT    PACKAGE = Devel::PMAT

PROTOTYPES: DISABLE

BOOT:
  {
    /* Publish our DMD_DUMP_STRUCT entry point unless Devel::MAT::Dumper
     * already did: helpers cache the first pointer they find. */
    SV **svp = hv_fetchs(PL_modglobal, "Devel::MAT::Dumper/writestruct()", 0);
    if(!svp)
      hv_stores(PL_modglobal, "Devel::MAT::Dumper/writestruct()",
          newSVuv(PTR2UV(&pmat_writestruct)));
  }

void
dump(path, ...)
    SV *path
  PPCODE:
  {
    /* dump(PATH, fork => BOOL, compress => "zstd"|"gzip", format => "0.6"|"0.5"|"0.4") */
    int c = PMAT_COMP_NONE, do_fork = 0;
    SV *fmt = NULL;
    reap_pending(0);
    if((items - 1) % 2)
      croak("Usage: Devel::PMAT::dump(PATH, KEY => VALUE, ...)");
    for(I32 i = 1; i + 1 < items; i += 2) {
      const char *k = SvPV_nolen(ST(i));
      if(strEQ(k, "fork"))          do_fork = SvTRUE(ST(i + 1));
      else if(strEQ(k, "compress")) c = comp_from_sv(aTHX_ ST(i + 1));
      else if(strEQ(k, "format"))   fmt = ST(i + 1);
      else croak("Unrecognised Devel::PMAT::dump option '%s'", k);
    }
    int minor = format_from_sv(aTHX_ fmt);
    STRLEN plen;
    const char *p = SvPV(path, plen);
    const char *suffix = c == PMAT_COMP_GZIP ? ".gz" : c == PMAT_COMP_ZSTD ? ".zst" : "";
    size_t sl = strlen(suffix);
    SV *full = path;
    if(sl && !(plen >= sl && strEQ(p + plen - sl, suffix))) {
      full = sv_2mortal(newSVpvn(p, plen));
      sv_catpvn(full, suffix, sl);
    }
    const char *fp = SvPV_nolen(full);
    int saved = errno;
    if(do_fork) {
      int err = fork_dump(aTHX_ fp, c, minor);
      if(err)
        croak("Cannot fork to dump %s - %s", fp, strerror(err));
    }
    else {
      char msg[1024];
      if(dump_to_path(aTHX_ fp, c, minor, msg, sizeof msg) != 0)
        croak("%s\n", msg);
    }
    errno = saved;                  /* leave $! as the program had it */
    XPUSHs(full);
  }

void
_set_hook_options(fork, compress)
    SV *fork
    SV *compress
  CODE:
    hook_comp = comp_from_sv(aTHX_ compress);
    hook_fork = SvTRUE(fork);

void
_reserve_fd()
  CODE:
    reserve_take();

int
_reserve_fileno()
  CODE:
    RETVAL = reserve_fd;
  OUTPUT:
    RETVAL

void
_hook_write(path)
    const char *path
  CODE:
    /* the hooks call this directly, with the file name as the only
     * argument, so that the dump's argument stack and call frames are
     * what Devel::MAT::Dumper's hooks leave (see Devel/PMAT.pm) */
    hook_dump(aTHX_ path);

SV *
_hook_write_fh(fh)
    SV *fh
  CODE:
  {
    /* the -eager_open END dump: "" or the error text; never croaks */
    int saved = errno;
    IO *io = sv_2io(fh);
    PerlIO *f = io ? (IoOFP(io) ? IoOFP(io) : IoIFP(io)) : NULL;
    int fd = f ? (PerlIO_flush(f), PerlIO_fileno(f)) : -1;
    int minor = format_minor(aTHX_ NULL);
    int err = fd < 0 ? EBADF : dump_to_fd(aTHX_ fd, hook_comp, minor < 0 ? PMAT_FORMAT_DEFAULT : minor);
    RETVAL = err ? newSVpvf("%s", strerror(err)) : newSVpvs("");
    errno = saved;
  }
  OUTPUT:
    RETVAL

void
_set_test_helper(package)
    const char *package
  CODE:
  {
    /* what DMD_SET_PACKAGE_HELPER does, for the test helper above */
    HV *per;
    SV **svp = hv_fetchs(PL_modglobal, "Devel::MAT::Dumper/%helper_per_package", 0);
    if(svp && SvROK(*svp))
      per = (HV *)SvRV(*svp);
    else {
      per = newHV();
      hv_stores(PL_modglobal, "Devel::MAT::Dumper/%helper_per_package", newRV_noinc((SV *)per));
    }
    hv_store(per, package, (I32)strlen(package), newSVuv(PTR2UV(&test_helper)), 0);
  }

UV
_test_struct_addr()
  CODE:
    RETVAL = PTR2UV(&test_struct);
  OUTPUT:
    RETVAL

void
_reap(block = 0)
    int block
  CODE:
    reap_pending(block);

int
_pending()
  CODE:
    RETVAL = npending;
  OUTPUT:
    RETVAL

void
dumpfh(fh, ...)
    SV *fh
  CODE:
  {
    /* dumpfh(FH, compress => ..., format => ...) writes to the handle's file descriptor */
    int c = PMAT_COMP_NONE;
    SV *fmt = NULL;
    for(I32 i = 1; i + 1 < items; i += 2) {
      const char *k = SvPV_nolen(ST(i));
      if(strEQ(k, "compress"))    c = comp_from_sv(aTHX_ ST(i + 1));
      else if(strEQ(k, "format")) fmt = ST(i + 1);
      else croak("Unrecognised Devel::PMAT::dumpfh option '%s'", k);
    }
    int minor = format_from_sv(aTHX_ fmt);
    IO *io = sv_2io(fh);
    PerlIO *f = IoOFP(io) ? IoOFP(io) : IoIFP(io);
    if(!f)
      croak("Devel::PMAT::dumpfh: filehandle is not open");
    PerlIO_flush(f);
    int fd = PerlIO_fileno(f);
    if(fd < 0)
      croak("Devel::PMAT::dumpfh: filehandle has no file descriptor");
    int saved = errno;
    int err = dump_to_fd(aTHX_ fd, c, minor);
    if(err)
      croak("Cannot write heap dump - %s\n", strerror(err));
    errno = saved;
  }

SV *
count_svs()
  CODE:
  {
    UV counts[PMAT_K_MAX];
    pmat_count_kinds(aTHX_ counts);
    HV *hv = newHV();
    for(int k = 0; k < PMAT_K_MAX; k++)
      if(counts[k])
        hv_store(hv, pmat_kind_names[k], (I32)strlen(pmat_kind_names[k]), newSVuv(counts[k]), 0);
    RETVAL = newRV_noinc((SV *)hv);
  }
  OUTPUT:
    RETVAL

SV *
count_svs_by_class()
  CODE:
  {
    HV *hv = newHV();
    /* the new HV is created before the walk; it is not blessed so it
     * does not disturb the census */
    pmat_count_classes(aTHX_ class_cb, hv);
    RETVAL = newRV_noinc((SV *)hv);
  }
  OUTPUT:
    RETVAL

SV *
_check_file(path)
    const char *path
  CODE:
  {
    unsigned char *buf;
    size_t len;
    char err[512];
    struct pmat_check_res res;
    if(pmat_slurp(path, &buf, &len, err, sizeof err) != 0)
      croak("%s\n", err);
    int rc = pmat_check_buf(buf, len, &res, err, sizeof err);
    free(buf);
    if(rc != 0)
      croak("%s: %s\n", path, err);
    HV *hv = newHV();
    hv_stores(hv, "svs", newSVuv(res.nsv));
    hv_stores(hv, "roots", newSVuv(res.nroots));
    hv_stores(hv, "stack", newSVuv(res.nstack));
    hv_stores(hv, "contexts", newSVuv(res.ncontexts));
    hv_stores(hv, "bytes", newSVuv(len));
    hv_stores(hv, "size_total", newSVuv(res.size_total));
    HV *bt = newHV();
    for(int t = 1; t < 256; t++)
      if(res.by_type[t]) {
        char k[8];
        int kl = snprintf(k, sizeof k, "%d", t);
        hv_store(bt, k, kl, newSVuv(res.by_type[t]), 0);
      }
    hv_stores(hv, "by_type", newRV_noinc((SV *)bt));
    RETVAL = newRV_noinc((SV *)hv);
  }
  OUTPUT:
    RETVAL
