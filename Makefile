# OpenSEND — the two commands: `make run` and `make test`.
GO      ?= go
ADDR    ?= :8080
DB      ?= data/opensend.db
STATIC  := internal/web/static/vendor
SASS    := node_modules/.bin/sass

.PHONY: run test build assets vet lint bench e2e clean

## run: build and start the server on SQLite with the demo school
run: build
	@mkdir -p data
	./bin/opensend -addr $(ADDR) -db $(DB) -demo

## build: compile the server binary (after the front-end assets)
build: assets
	$(GO) build -o bin/opensend ./cmd/opensend

## assets: fetch govuk-frontend/axe-core with npm and build our CSS from govuk-frontend's Sass
assets: $(STATIC)/opensend.css

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(STATIC)/opensend.css: node_modules/.package-lock.json $(wildcard internal/web/scss/*.scss)
	@mkdir -p $(STATIC)/govuk
	$(SASS) --no-source-map --style=compressed --load-path=node_modules internal/web/scss/opensend.scss $@
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js $(STATIC)/govuk-frontend.min.js
	rm -rf $(STATIC)/govuk/assets && mkdir -p $(STATIC)/govuk/assets && cp -r node_modules/govuk-frontend/dist/govuk/assets/images $(STATIC)/govuk/assets/

## vet: gofmt, go vet and staticcheck
vet:
	@test -z "$$(gofmt -l cmd internal e2e 2>/dev/null)" || (echo "gofmt needed:"; gofmt -l cmd internal e2e; exit 1)
	$(GO) vet ./...
	$(GO) tool staticcheck ./...

## test: the whole suite — unit, storage and HTTP on SQLite and PostgreSQL, browser tests with axe-core
test: assets vet
	$(GO) test -count=1 -timeout 30m ./...

## bench: load benchmarks on 127.0.0.1 (bounded in time)
bench: build
	$(GO) run ./cmd/opensend-load

clean:
	rm -rf bin $(STATIC) node_modules
