# TopicKit — the two commands a user needs: `make demo` (set up, build, run the main job) and `make test`.
SHELL := /bin/bash
APT_PACKAGES := libblas-dev liblapack-dev libopenblas-dev
SWIFT_RELEASE := swift build -c release
TOPICS := .build/release/topics

.PHONY: setup build demo test model bench bench-quick clean

## Install the native BLAS/LAPACK packages when any is missing (apt-get; needs root or sudo).
setup:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing; \
	fi

build: setup
	$(SWIFT_RELEASE)

## The main job on the shipped data.
demo: build
	$(TOPICS) parse Data/dumps/*.txt --output /dev/null

## The whole test suite.
test: setup
	swift build --build-tests
	swift test --skip-build

clean:
	rm -rf .build
