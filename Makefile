# The single entry point: CI calls the same targets as developers.
GO        ?= go
BIN       := bin/copilote
VERSION   := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -X main.version=$(VERSION)
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
DB        ?= data/copilote.db

.PHONY: run build test test-short lint fmt clean territories

## run: start Copilote on SQLite with the demo dataset at http://127.0.0.1:8080
run: build
	./$(BIN) serve --addr 127.0.0.1:8080 --db $(DB) --demo

build:
	CGO_ENABLED=0 $(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/copilote

## test: every test, race detector on, store tests on SQLite and a throwaway PostgreSQL
test:
	scripts/test.sh

## test-short: quick loop for developers (SQLite only, no browser)
test-short:
	$(GO) test -short ./...

## lint: go vet, gofmt and staticcheck
lint:
	$(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) run $(STATICCHECK) ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

## territories: regenerate the embedded EPCI/commune reference from npm
territories:
	npm ci
	$(GO) run ./internal/territory/gen -src node_modules/@etalab/decoupage-administratif/data -out internal/territory/data

clean:
	rm -rf bin data
