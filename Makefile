# iamguard: every target CI and the README use. Tool versions are pinned here.
SHELL := /bin/bash
GO ?= go
FUNCTIONS := $(patsubst functions/%/main.go,%,$(wildcard functions/*/main.go))
FUZZTIME ?= 10s
BENCHTIME ?= 1s
# Fuzz targets as package:target pairs; `make fuzz` runs each for FUZZTIME.
FUZZ_TARGETS := \
	./shared/policy:FuzzParse \
	./shared/policy:FuzzMatchAction \
	./shared/cloudtrail:FuzzDecodeRecord \
	./shared/cloudtrail:FuzzReader \
	./shared/eventpattern:FuzzMatchJSON

.PHONY: all build build-cli test demo lint fuzz bench bench-check golden clean

all: lint test

## build: the iamguard command, and each Lambda bootstrap for provided.al2023 on arm64
build: build-cli
	@for fn in $(FUNCTIONS); do \
		echo "build bin/$$fn/bootstrap"; \
		GOOS=linux GOARCH=arm64 CGO_ENABLED=0 $(GO) build -tags lambda.norpc -trimpath -ldflags="-s -w" \
			-o bin/$$fn/bootstrap ./functions/$$fn || exit 1; \
	done

build-cli:
	$(GO) build -trimpath -o bin/iamguard ./cmd/iamguard

## test: the whole test suite (what CI runs)
test:
	$(GO) test -race -shuffle=on -count=1 ./...

## demo: iamguard check over the sample events in events/
demo: build-cli
	./bin/iamguard check events/

## lint: formatting, vet and a tidy module
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
		if [ -n "$$out" ]; then echo "gofmt wants to rewrite:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) mod tidy -diff

## fuzz: each fuzz target for FUZZTIME (default 10s)
fuzz:
	@for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "fuzz $$pkg $$name for $(FUZZTIME)"; \
		$(GO) test -run='^$$' -fuzz="^$$name\$$" -fuzztime=$(FUZZTIME) -fuzzminimizetime=5s $$pkg || exit 1; \
	done

## bench: Go benchmarks, then iamguard check against zcat and jq (docs/PERFORMANCE.md)
bench:
	$(GO) test -run='^$$' -bench=. -benchmem -benchtime=$(BENCHTIME) ./shared/... ./cmd/...
	bash bench/check-vs-zcat.sh

## golden: rewrite golden files after an intended output change
golden:
	$(GO) test ./shared/rules ./cmd/iamguard ./shared/notify ./functions/slack-notify ./functions -update

clean:
	rm -rf bin
