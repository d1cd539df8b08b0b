# pmat — Perl memory analysis, in C.  See README.md.
#
#   make            build lib/libpmat.a, bin/pmat, bin/pmat-* and the Devel::PMAT dumper
#   make check      install missing Debian packages (as root), build, run the whole suite
#   make demo       build and show pmat finding a leak in examples/leaky.pl
#   make install PREFIX=/usr/local
#   make bench      the performance comparison against Devel::MAT (slow; not in check)
#   make fuzz FUZZ_SECONDS=N
#   make check SANITIZE=1   build with ASan+UBSan and run the C-side tests

CC      ?= cc
PREFIX  ?= /usr/local
DESTDIR ?=
OPT     ?= -O2
CFLAGS  ?= $(OPT) -g
WARN     = -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE
PKGS     = zlib libzstd
HAVE_EDIT := $(shell pkg-config --exists libedit 2>/dev/null && echo 1)
ifeq ($(HAVE_EDIT),1)
PKGS    += libedit
WARN    += -DHAVE_LIBEDIT
endif
CPPFLAGS += $(shell pkg-config --cflags $(PKGS) 2>/dev/null) -Ilib
LDLIBS   += $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lz -lzstd) -lm
ifeq ($(SANITIZE),1)
CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
BUILD    = build/san
else
BUILD    = build/rel
endif

LIB_SRC  = $(sort $(wildcard lib/*.c))
CLI_SRC  = $(filter-out cli/main_%.c,$(sort $(wildcard cli/*.c)))
MAINS    = $(sort $(wildcard cli/main_*.c))
PROGS    = $(patsubst cli/main_%.c,bin/%,$(MAINS))
LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  = $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC = $(sort $(wildcard t/unit/*.c))
UNITS    = $(patsubst t/unit/%.c,$(BUILD)/t/%,$(UNIT_SRC))
TBIN_SRC = $(sort $(wildcard t/bin/*.c))
TBINS    = $(patsubst t/bin/%.c,$(BUILD)/tbin/%,$(TBIN_SRC))

.PHONY: all deps check check-c demo install bench fuzz clean perl format

all: $(PROGS) perl

$(BUILD)/libpmat.a: $(LIB_OBJ)
	ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

bin/%: $(BUILD)/cli/main_%.o $(CLI_OBJ) $(BUILD)/libpmat.a
	@mkdir -p bin
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/t/%: t/unit/%.c $(BUILD)/libpmat.a
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The dumper: a CPAN-style distribution built in place (perl/blib).
perl:
	@if [ -f perl/Makefile.PL ]; then \
	  cd perl && { [ -f Makefile ] || perl Makefile.PL >/dev/null; } && $(MAKE) -s >/dev/null; fi

deps:
	@scripts/deps.sh

# test tools (t/bin/*.c) are helpers the .t files run, not tests themselves
$(BUILD)/tbin/%: t/bin/%.c $(BUILD)/libpmat.a
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

units: $(UNITS) $(TBINS)

check: deps
	$(MAKE) all units
	PMAT_BUILD=$(BUILD) prove -j2 -r t/ $(if $(wildcard perl/t/*.t),perl/t/)

check-c: units
	PMAT_BUILD=$(BUILD) prove t/unit.t

demo: deps
	$(MAKE) all
	@examples/demo.sh

bench: all
	bench/run

fuzz:
	$(MAKE) -C fuzz FUZZ_SECONDS=$(or $(FUZZ_SECONDS),60)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(PROGS) $(DESTDIR)$(PREFIX)/bin/
	for m in docs/man/*.1; do [ -f "$$m" ] && install -m 644 "$$m" $(DESTDIR)$(PREFIX)/share/man/man1/; done; true
	@if [ -f perl/Makefile ]; then cd perl && $(MAKE) -s pure_install INSTALLDIRS=site \
	  INSTALLSITELIB=$(DESTDIR)$(PREFIX)/lib/perl5 INSTALLSITEARCH=$(DESTDIR)$(PREFIX)/lib/perl5 \
	  INSTALLSITEMAN3DIR=$(DESTDIR)$(PREFIX)/share/man/man3 >/dev/null; fi

format:
	clang-format -i lib/*.[ch] cli/*.[ch] t/unit/*.c

clean:
	rm -rf build bin t/tmp
	@if [ -f perl/Makefile ]; then $(MAKE) -C perl -s realclean >/dev/null; fi

-include $(shell find build -name '*.d' 2>/dev/null)
