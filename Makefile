# build2cmake: common tasks. `make test` is what CI runs.
GO ?= go
BIN ?= bin/build2cmake

.PHONY: build test test-short golden lint fuzz bench e2e demo clean

# A static binary (no cgo): it starts without the dynamic loader (a few
# tenths of a millisecond per run) and runs on any Linux of its
# architecture.
build:
	CGO_ENABLED=0 $(GO) build -buildvcs=auto -o $(BIN) ./cmd/build2cmake

# The whole suite, including the real CPU builds (they skip with a reason
# when cmake/torch are missing, and fail instead when CI=true). The real
# builds of internal/e2e take minutes on a busy two-core machine, more than
# go test's default ten-minute limit.
test: lint
	$(GO) test -timeout 30m ./...

# Everything but the real builds.
test-short:
	$(GO) test -short ./...

# Rewrite every golden file (expected trees, testdata/shared, update-build
# outputs, the init scaffold) after an intended change; review the diff
# before committing (docs/testing.md). -update goes only to the packages
# whose tests define it: `go test ./... -update` fails in the others.
GOLDEN_PKGS = $(sort $(dir $(shell grep -rl --include='*_test.go' 'flag\.Bool."update"' .)))
golden:
	$(GO) test $(GOLDEN_PKGS) -update
	git status --short -- '*testdata*'

CROSS_TARGETS = windows/amd64 windows/arm64 darwin/arm64 linux/arm64

lint:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	@$(GO) mod tidy -diff || { echo "go.mod/go.sum are not tidy: run go mod tidy"; exit 1; }
	@# The binary must build everywhere it is released for: code that needs a
	@# Unix call has a build-tagged counterpart (docs/platforms.md).
	@for target in $(CROSS_TARGETS); do \
		echo "go build for $$target"; \
		CGO_ENABLED=0 GOOS=$${target%/*} GOARCH=$${target#*/} $(GO) build -o /dev/null ./cmd/... || exit 1; \
	done

fuzz:
	$(GO) test ./generator/config -run '^$$' -fuzz FuzzParse -fuzztime $${FUZZTIME:-60s}
	$(GO) test ./generator -run '^$$' -fuzz FuzzRenderOutputParses -fuzztime $${FUZZTIME:-60s}

bench:
	scripts/bench.sh

e2e:
	scripts/e2e-cpu.sh

# Generate the bundled example kernel into a scratch folder and show it.
demo: build
	rm -rf /tmp/build2cmake-demo && cp -r testdata/kernels/cpu-relu /tmp/build2cmake-demo
	rm -rf /tmp/build2cmake-demo/expected /tmp/build2cmake-demo/shared.txt /tmp/build2cmake-demo/args
	$(BIN) generate-torch --backend cpu /tmp/build2cmake-demo/build.toml
	ls -R /tmp/build2cmake-demo

clean:
	rm -rf bin
