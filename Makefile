# FleetPilot: the two commands a newcomer needs are `make pilot` and `make test`.
SHELL := /bin/bash
SWIFT ?= swift
SHARED ?= $(abspath ../shared)
export FLEETPILOT_SHARED := $(SHARED)

.PHONY: all deps build release test lint format bench-ingest pilot clean

all: build

deps:
	@bash scripts/ensure-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

## The whole suite: system packages, build, lint, unit and integration tests (real mosquitto brokers).
test: deps
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

## A whole pilot of the default factory scenario: broker, fleetd, fleet-sim, capture, summary (results in runs/).
SCENARIO ?= Configs/scenarios/factory-default.yaml
pilot: deps
	$(SWIFT) build -c release
	bash scripts/pilot.sh "$$($(SWIFT) build -c release --show-bin-path)" "$(SCENARIO)" $(PILOT_FLAGS)

clean:
	rm -rf .build
