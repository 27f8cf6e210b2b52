# The two commands a newcomer needs: `make run` and `make test`.

CARGO ?= cargo
.PHONY: run test test-postgres audit-http test-graphiql test-web test-sse live-latency ocds-validator web-client bench schema lint fmt build ci

## Serve the directory on http://127.0.0.1:8080 (SQLite under ./data/, seeded when empty).
run:
	$(CARGO) run -p api --bin partner-directory -- serve

## Run the whole suite on SQLite.
test:
	@if command -v cargo-nextest >/dev/null 2>&1; then \
		$(CARGO) nextest run --workspace --no-fail-fast; \
	else \
		$(CARGO) test --workspace; \
	fi

## Run the same suite on a throwaway PostgreSQL cluster.
test-postgres:
	bash scripts/test-postgres

## Run the GraphQL-over-HTTP specification's audit suite against the served directory.
audit-http:
	bash scripts/audit-http

## Open GraphiQL in headless Chromium, offline, with a token; screenshot in target/graphiql.png.
test-graphiql:
	bash scripts/test-graphiql

## Drive the example front-end (examples/web) in headless Chromium, offline, across origins
## (CORS); checks its typed client is current with schema.graphql; screenshot in target/web.png.
test-web:
	bash scripts/test-web

## Subscribe to the change feed over Server-Sent Events with the protocol's reference client
## (npm graphql-sse, distinct connections mode): a write arrives, a reconnection resumes.
test-sse:
	bash scripts/test-sse

## Measure the live feed's delivery latency (commit → event received, same process, 200 writes).
live-latency:
	$(CARGO) run -q -p tests --example live_latency

## Install the OCDS validator (Python jsonschema, pinned, into target/ocds-venv) that the
## suite's OCDS export test runs; `scripts/ocds-validate FILE` validates a release package.
ocds-validator:
	bash scripts/ocds-validate

## Regenerate the example front-end's typed client (examples/web/src/generated/graphql.ts)
## from schema.graphql, after `make schema`.
web-client:
	cd examples/web && { [ -d node_modules/@graphql-codegen/core ] || npm ci --no-audit --no-fund --loglevel=error; } && node codegen.mjs

## Benchmark the release build on SQLite and PostgreSQL, against PostGraphile and in-memory baselines;
## writes docs/benchmarks.md (about 20 minutes; arguments: BENCH_ARGS="--seconds 2 --repeats 1").
bench:
	bash scripts/bench $(BENCH_ARGS)

## Regenerate schema.graphql from the served schema.
schema:
	$(CARGO) run -q -p api --bin partner-directory -- schema > schema.graphql

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets -- -D warnings

fmt:
	$(CARGO) fmt --all

build:
	$(CARGO) build --workspace --all-targets

ci: lint ocds-validator test test-postgres audit-http test-graphiql test-web test-sse
