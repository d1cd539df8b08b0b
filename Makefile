# pmat — Perl memory analysis, in C.  See README.md.
#
#   make            build lib/libpmat.a, bin/pmat, bin/pmat-* and the Devel::PMAT dumper
#   make check      install missing Debian packages (as root), build, run the whole suite
#   make demo       build and show pmat finding a leak in examples/leaky.pl
#   make install PREFIX=/usr/local
#   make bench      the performance comparison against Devel::MAT (slow; not in check)
#   make fuzz FUZZ_SECONDS=N
#   make check SANITIZE=1   build with ASan+UBSan into build/san and run the whole suite with it
#   make check-san  the C-side tests (unit, bad input, fuzz regressions, versions) with ASan+UBSan
#   make mutants    apply each t/mutants/*.patch to a scratch copy and check its tests kill it
#                   (slow; not in check; MUTANTS="01 07" for some)

CC      ?= cc
PREFIX  ?= /usr/local
DESTDIR ?=
OPT     ?= -O2
CFLAGS  ?= $(OPT) -g
WARN     = -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE
PKGS     = zlib libzstd libpcre2-8
HAVE_EDIT := $(shell pkg-config --exists libedit 2>/dev/null && echo 1)
ifeq ($(HAVE_EDIT),1)
PKGS    += libedit
WARN    += -DHAVE_LIBEDIT
endif
CPPFLAGS += $(shell pkg-config --cflags $(PKGS) 2>/dev/null) -Ilib
LDLIBS   += $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lz -lzstd -lpcre2-8) -lm
ifeq ($(SANITIZE),1)
CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
BUILD    = build/san
BINDIR   = build/san/bin
else
BUILD    = build/rel
BINDIR   = bin
endif
# the tests run the programs of this build (sanitized ones stay out of bin/)
TEST_ENV = PMAT_BUILD=$(BUILD) PMAT_BIN=$(CURDIR)/$(BINDIR)/pmat

LIB_SRC  = $(sort $(wildcard lib/*.c))
CLI_SRC  = $(filter-out cli/main_%.c,$(sort $(wildcard cli/*.c)))
MAINS    = $(sort $(wildcard cli/main_*.c))
PROGS    = $(patsubst cli/main_%.c,$(BINDIR)/%,$(MAINS))
LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  = $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC = $(sort $(wildcard t/unit/*.c))
UNITS    = $(patsubst t/unit/%.c,$(BUILD)/t/%,$(UNIT_SRC))
TBIN_SRC = $(sort $(wildcard t/bin/*.c))
TBINS    = $(patsubst t/bin/%.c,$(BUILD)/tbin/%,$(TBIN_SRC))

# keep every intermediate object (GNU make deletes pattern-chain intermediates, and a later
# `make install` during the tests would then relink bin/pmat under running tests)
.SECONDARY:

.PHONY: all deps roots check check-c check-san demo install bench fuzz clean perl format mutants

all: $(PROGS) perl

$(BUILD)/libpmat.a: $(LIB_OBJ)
	ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(BINDIR)/%: $(BUILD)/cli/main_%.o $(CLI_OBJ) $(BUILD)/libpmat.a
	@mkdir -p $(BINDIR)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# unit tests may #include cli sources and t/unit headers: rebuild when those change
$(BUILD)/t/%: t/unit/%.c $(BUILD)/libpmat.a $(wildcard cli/*.[ch] t/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libpmat.a $(LDLIBS)

# the out-of-memory sweep counts (and fails) the allocations libpmat's objects make
$(BUILD)/t/oom: LDFLAGS += -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup

# The dumper: a CPAN-style distribution built in place (perl/blib).
perl:
	@if [ -f perl/Makefile.PL ]; then \
	  cd perl && { [ -f Makefile ] || perl Makefile.PL >/dev/null; } && $(MAKE) -s >/dev/null; fi

deps:
	@scripts/deps.sh

# the perl 5.40 and 5.42 roots the multi-perl tests chroot into (made once, cached in
# /var/cache/pmat-roots; about 3 minutes the first time)
roots: deps
	@scripts/perls.sh

# test tools (t/bin/*.c) are helpers the .t files run, not tests themselves
$(BUILD)/tbin/%: t/bin/%.c $(BUILD)/libpmat.a
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

units: $(UNITS) $(TBINS)

# The suite's long poles first (each runs thousands of oracle commands), so that
# prove -j2 keeps both cores busy to the end instead of finishing on one.
SLOW_TESTS = t/perls-dumper.t t/perls-sid.t t/perls-trixie.t t/perls-sid-pmat.t t/perls-trixie-pmat.t t/perls-host-pmat.t t/cmd-sizes.t t/cmd-identify.t t/cmd-refs.t t/cmd-find.t t/cmd-count.t \
             t/cmd-show.t t/cmd-elems-values.t
ALL_TESTS = $(SLOW_TESTS) $(filter-out $(SLOW_TESTS),$(sort $(wildcard t/*.t))) \
            $(sort $(wildcard perl/t/*.t))

check: deps roots
	$(MAKE) all units
	$(TEST_ENV) prove -j2 $(ALL_TESTS)
	$(MAKE) check-san SAN_TESTS="t/unit.t t/fuzz-regress.t"

check-c: units
	$(TEST_ENV) prove t/unit.t

# The C-side tests with ASan+UBSan: unit tests, loader damage and fuzzing regressions,
# format versions (a few minutes; the oracle's answers are cached).
# the loader and analysis tests under ASan+UBSan (check runs the quick half of them)
SAN_TESTS ?= t/unit.t t/bad-input.t t/fuzz-regress.t t/versions.t
check-san: deps
	$(MAKE) SANITIZE=1 all units
	PMAT_BUILD=build/san PMAT_BIN=$(CURDIR)/build/san/bin/pmat ASAN_OPTIONS=detect_leaks=1 \
	  prove -j2 $(SAN_TESTS)

mutants: deps
	@scripts/mutants.sh

demo: deps
	$(MAKE) all
	@examples/demo.sh

bench: all
	bench/run

fuzz:
	$(MAKE) -C fuzz FUZZ_SECONDS=$(or $(FUZZ_SECONDS),60)

# install: the programs (PREFIX/bin), their man pages (PREFIX/share/man/man1), and the
# Devel::PMAT module with its man page.  The module goes to one directory, PERLLIBDIR
# (default PREFIX/lib/perl5, as with INSTALL_BASE / local::lib): use it with
# PERL5LIB=PREFIX/lib/perl5 or perl -IPREFIX/lib/perl5.  PERLLIBDIR=$(perl -MConfig -e
# 'print $Config{installsitearch}') puts it where perl looks by default.  DESTDIR is
# prepended to every path (staged installs); the module's .packlist records the real paths.
install uninstall: PERLLIBDIR ?= $(PREFIX)/lib/perl5
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(PROGS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(wildcard docs/man/*.1) $(DESTDIR)$(PREFIX)/share/man/man1/
	@if [ -f perl/Makefile.PL ]; then \
	  test -f perl/Makefile || { echo "perl/Makefile missing: run make first" >&2; exit 1; }; \
	  cd perl && $(MAKE) -s pure_install INSTALLDIRS=site DESTDIR='$(DESTDIR)' \
	    INSTALLSITELIB='$(PERLLIBDIR)' INSTALLSITEARCH='$(PERLLIBDIR)' SITEARCHEXP='$(PERLLIBDIR)' \
	    INSTALLSITEBIN='$(PREFIX)/bin' INSTALLSITESCRIPT='$(PREFIX)/bin' \
	    INSTALLSITEMAN1DIR='$(PREFIX)/share/man/man1' \
	    INSTALLSITEMAN3DIR='$(PREFIX)/share/man/man3' >/dev/null; fi

# uninstall: what install put there (same PREFIX, DESTDIR and PERLLIBDIR), nothing else.
.PHONY: uninstall
uninstall:
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/bin/,$(sort $(notdir $(PROGS)) \
	  $(basename $(notdir $(wildcard docs/man/*.1)))))
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/share/man/man1/,$(notdir $(wildcard docs/man/*.1)))
	@pl='$(DESTDIR)$(PERLLIBDIR)/auto/Devel/PMAT/.packlist'; \
	if [ -f "$$pl" ]; then \
	  while read -r f rest; do f="$${f#$(DESTDIR)}"; \
	    case "$$f" in '$(PERLLIBDIR)'/*|'$(PREFIX)'/*) rm -f "$(DESTDIR)$$f";; esac; \
	  done < "$$pl"; fi; \
	rm -f "$$pl" '$(DESTDIR)$(PREFIX)/share/man/man3/Devel::PMAT.3pm' \
	  '$(DESTDIR)$(PERLLIBDIR)/Devel/PMAT.pm' '$(DESTDIR)$(PERLLIBDIR)/auto/Devel/PMAT/PMAT.so' \
	  '$(DESTDIR)$(PERLLIBDIR)/auto/Devel/PMAT/PMAT.bs'; \
	for d in auto/Devel/PMAT auto/Devel auto Devel; do \
	  rmdir '$(DESTDIR)$(PERLLIBDIR)'/$$d 2>/dev/null; done; true

format:
	clang-format -i lib/*.[ch] cli/*.[ch] t/unit/*.[ch] t/bin/*.c fuzz/*.c

clean:
	rm -rf build bin t/tmp
	@if [ -f perl/Makefile ]; then $(MAKE) -C perl -s realclean >/dev/null; fi

-include $(shell find build -name '*.d' 2>/dev/null)
