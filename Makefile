# FleetPilot: the two commands a newcomer needs are `make pilot` and `make test`.
SHELL := /bin/bash
SWIFT ?= swift
SHARED ?= $(abspath ../shared)
export FLEETPILOT_SHARED := $(SHARED)

.PHONY: all deps build release test lint format bench-ingest bench-alloc pilot clean install uninstall

all: build

deps:
	@bash scripts/ensure-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

## The whole suite: system packages, build, lint, unit and integration tests (real mosquitto brokers).
test:
	@bash scripts/ensure-deps.sh --test
	$(SWIFT) build --build-tests
	$(MAKE) lint
	$(SWIFT) test --skip-build --parallel --num-workers 2

lint:
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests Benchmarks Simulators

format:
	$(SWIFT) format --in-place --recursive Package.swift Sources Tests Benchmarks Simulators

## Ingest benchmark: FleetMQTT + VDA5050 decoding every state vs the C reference subscriber.
bench-ingest: deps
	$(SWIFT) build -c release --product fleet-bench-ingest
	bash scripts/bench-ingest.sh

## Allocation benchmark: LinearAssignment vs scipy's linear_sum_assignment on the same matrices, decision latency.
bench-alloc: deps
	$(SWIFT) build -c release --product fleet-bench-alloc
	bash scripts/bench-alloc.sh

## A whole pilot of the default factory scenario: broker, fleetd, fleet-sim, capture, summary (results in runs/).
SCENARIO ?= Configs/scenarios/factory-default.yaml
pilot: deps
	$(SWIFT) build -c release
	bash scripts/pilot.sh "$$($(SWIFT) build -c release --show-bin-path)" "$(SCENARIO)" $(PILOT_FLAGS)

clean:
	rm -rf .build

## Install a site (README "Running a site"): the release binaries, the default configuration under /etc/fleetpilot
## (never overwriting an existing file), the broker configuration and the systemd units. Run `make release` first.
## PREFIX (default /usr/local) and DESTDIR (staging root for packaging) are honoured.
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR ?= $(PREFIX)/bin
DOCDIR ?= $(PREFIX)/share/doc/fleetpilot
SYSCONFDIR ?= /etc
CONFDIR ?= $(SYSCONFDIR)/fleetpilot
UNITDIR ?= $(SYSCONFDIR)/systemd/system
RELEASE_BIN ?= .build/release
INSTALL_PROGRAMS := fleetd fleetctl fleet-sim fleet-eval
# source file -> installed name under $(CONFDIR)
INSTALL_CONFIGS := Configs/fleetd.yaml:fleetd.yaml Deploy/mosquitto/mosquitto.conf:mosquitto/mosquitto.conf \
	$(foreach f,$(wildcard Configs/sites/*.yaml),$(f):sites/$(notdir $(f))) \
	$(foreach f,$(wildcard Configs/scenarios/*.yaml),$(f):scenarios/$(notdir $(f)))

install:
	@for p in $(INSTALL_PROGRAMS); do test -x "$(RELEASE_BIN)/$$p" || { \
		echo "make install: $(RELEASE_BIN)/$$p is missing: run 'make release' first (or set RELEASE_BIN)" >&2; exit 1; }; done
	install -d -m 0755 "$(DESTDIR)$(BINDIR)" "$(DESTDIR)$(DOCDIR)" "$(DESTDIR)$(UNITDIR)/mosquitto.service.d" \
		"$(DESTDIR)$(CONFDIR)/sites" "$(DESTDIR)$(CONFDIR)/scenarios" "$(DESTDIR)$(CONFDIR)/mosquitto" \
		"$(DESTDIR)$(CONFDIR)/tls"
	install -m 0755 $(addprefix $(RELEASE_BIN)/,$(INSTALL_PROGRAMS)) "$(DESTDIR)$(BINDIR)/"
	@for pair in $(INSTALL_CONFIGS); do src=$${pair%%:*}; dst="$(DESTDIR)$(CONFDIR)/$${pair#*:}"; \
		if [ -e "$$dst" ]; then echo "kept $$dst (exists; the shipped version is $$src)"; \
		else echo "install -m 0644 $$src $$dst"; install -m 0644 "$$src" "$$dst"; fi; done
	sed -e 's#@BINDIR@#$(BINDIR)#g' -e 's#@DOCDIR@#$(DOCDIR)#g' Deploy/systemd/fleetd.service \
		> "$(DESTDIR)$(UNITDIR)/fleetd.service"
	chmod 0644 "$(DESTDIR)$(UNITDIR)/fleetd.service"
	install -m 0644 Deploy/systemd/mosquitto.service.d/fleetpilot.conf "$(DESTDIR)$(UNITDIR)/mosquitto.service.d/"
	install -m 0644 README.md "$(DESTDIR)$(DOCDIR)/README.md"
	@if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
	@echo "installed; next: README.md, section 'Running a site' (credentials, certificates, systemctl enable --now)"

## Remove what `make install` installed. Configuration files an operator changed, credentials and the journal
## (/var/lib/fleetpilot) are kept.
uninstall:
	rm -f $(addprefix "$(DESTDIR)$(BINDIR)/,$(addsuffix ",$(INSTALL_PROGRAMS)))
	rm -f "$(DESTDIR)$(UNITDIR)/fleetd.service" "$(DESTDIR)$(UNITDIR)/mosquitto.service.d/fleetpilot.conf"
	-rmdir "$(DESTDIR)$(UNITDIR)/mosquitto.service.d" 2>/dev/null
	rm -f "$(DESTDIR)$(DOCDIR)/README.md"
	-rmdir "$(DESTDIR)$(DOCDIR)" 2>/dev/null
	@for pair in $(INSTALL_CONFIGS); do src=$${pair%%:*}; dst="$(DESTDIR)$(CONFDIR)/$${pair#*:}"; \
		if [ -e "$$dst" ] && ! cmp -s "$$src" "$$dst"; then echo "kept $$dst (changed by an operator)"; \
		else rm -f "$$dst"; fi; done
	-rmdir "$(DESTDIR)$(CONFDIR)/sites" "$(DESTDIR)$(CONFDIR)/scenarios" "$(DESTDIR)$(CONFDIR)/mosquitto" \
		"$(DESTDIR)$(CONFDIR)/tls" "$(DESTDIR)$(CONFDIR)" 2>/dev/null
	@if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
