# iamguard: every target CI and the README use. Tool versions are pinned here.
SHELL := /bin/bash
GO ?= go
# Node.js for jsii (the CDK library) and the CDK CLI: the pinned CDK supports 22 and 24. `make node` installs
# 22 from npm (the package `node` ships the official binaries) into a cache directory, leaving the machine's
# own node alone; every recipe below finds it first on PATH.
NODE_MAJOR ?= 22
NODE_PREFIX ?= $(or $(IAMGUARD_CACHE),$(HOME)/.cache/iamguard)/node$(NODE_MAJOR)
export PATH := $(NODE_PREFIX)/node_modules/.bin:$(PATH)
FUNCTIONS := $(patsubst functions/%/main.go,%,$(wildcard functions/*/main.go))
# A duration (10s) or a count of inputs (100000x); CI uses a count, which has
# no deadline for Go 1.26's fuzz coordinator to race (go.dev/issue/75804).
FUZZTIME ?= 10s
BENCHTIME ?= 1s
# Fuzz targets as package:target pairs; `make fuzz` runs each for FUZZTIME.
FUZZ_TARGETS := \
	./shared/policy:FuzzParse \
	./shared/policy:FuzzMatchAction \
	./shared/policy:FuzzTrust \
	./shared/cloudtrail:FuzzDecodeRecord \
	./shared/cloudtrail:FuzzReader \
	./shared/eventpattern:FuzzMatchJSON

.PHONY: all build build-cli test test-fast demo lint fuzz bench bench-check golden docs clean node node-bin

## node: Node.js $(NODE_MAJOR) in $(NODE_PREFIX), unless a supported node ($(NODE_MAJOR) or 24) is already first on PATH
node:
	@v=$$(node --version 2>/dev/null); case "$$v" in v$(NODE_MAJOR).*|v24.*) ;; *) \
		echo "node $${v:-missing}: installing Node.js $(NODE_MAJOR) into $(NODE_PREFIX)"; \
		npm install --prefix "$(NODE_PREFIX)" --no-save --no-audit --no-fund "node@$(NODE_MAJOR)" >/dev/null || exit 1;; esac

## node-bin: the folder `make node` installs node into (for scripts that run node outside make)
node-bin:
	@echo "$(NODE_PREFIX)/node_modules/.bin"

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

## test: the whole test suite; CI runs this one (needs Node.js for the CDK tests, moto_server for internal/motoserver)
test: node
	$(GO) test -race -shuffle=on -count=1 ./...

## test-fast: the fast lane while editing (go test -short): skips the CDK synthesis tests and the
## functions' end-to-end emulator tests; under a minute once the build cache is warm. `make test`
## stays the full suite, the one CI runs.
test-fast:
	$(GO) test -short ./...

## demo: iamguard check over the sample events in events/
# The samples are a collection, not one history: no canary-gap check; they
# are judged with the stack settings the tests use (events/MANIFEST.tsv).
demo: build-cli
	./bin/iamguard check --canary-minutes 0 --stack-name Iamguard \
		--key-arn arn:aws:kms:us-east-1:123456789012:key/0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a \
		--canary-policy-arn arn:aws:iam::307578594326:policy/iamguard/canary/Iamguard-canary \
		--canary-role-arn arn:aws:iam::307578594326:role/Iamguard-CanaryRole events/

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
	$(GO) test ./shared/rules ./shared/notify ./functions/slack-notify ./functions ./cmd/iamguard -update

## docs: rewrite README.md's generated sections (between <!-- generated: NAME --> markers) from the tables in code
docs:
	$(GO) test ./cmd/iamguard ./shared/config ./infra -run '^TestREADME' -count=1 -update

# The AWS CDK command-line tool: the npm package aws-cdk, version pinned here
# (the CDK library itself is pinned in go.mod). `npm install -g aws-cdk@$(CDK_VERSION)`
# installs it as `cdk`; without it, npx fetches this version once into its cache.
CDK_VERSION ?= 2.1148.1
CDK ?= $(shell command -v cdk >/dev/null 2>&1 && echo cdk || echo npx --yes aws-cdk@$(CDK_VERSION))
# Extra CDK flags, such as CDK_FLAGS='-c notifyEmails=you@example.com -c createTrail=true'.
CDK_FLAGS ?=

.PHONY: synth cfn-lint diff deploy destroy

## synth: cdk.out's templates, the bootstraps built by the app itself, cdk-nag's AwsSolutions checks (fails on any unsuppressed error); needs no AWS credentials
synth: node
	$(CDK) synth --quiet --no-notices $(CDK_FLAGS)

# cfn-lint (pip install 'cfn-lint==$(CFN_LINT_VERSION)'): checks the synthesized templates against
# CloudFormation's resource specifications. .ci/run checks that this version is on PATH.
CFN_LINT_VERSION ?= 1.51.0
CFN_LINT ?= cfn-lint

## cfn-lint: lint every template `make synth` wrote to cdk.out; fails on any error, prints warnings
cfn-lint:
	@ls cdk.out/*.template.json >/dev/null 2>&1 || { echo "cfn-lint: no cdk.out/*.template.json: run make synth first"; exit 1; }
	$(CFN_LINT) --non-zero-exit-code error cdk.out/*.template.json

## diff: what a deploy would change in the account of the current AWS credentials
diff: node
	$(CDK) diff --all --no-notices $(CDK_FLAGS)

## deploy: every stack (us-east-1, plus one per forwardRegions entry); asks before widening IAM
deploy: node
	$(CDK) deploy --all --no-notices --require-approval broadening $(CDK_FLAGS)

## destroy: every stack (log groups, keys and trail buckets are kept: they hold evidence)
destroy: node
	$(CDK) destroy --all --no-notices $(CDK_FLAGS)

clean:
	rm -rf bin cdk.out
