# TopicKit — the two commands a user needs: `make demo` (set up, build, run the main job on the shipped
# data and model) and `make test` (set up, build, run the whole test suite; what .ci/run calls).
SHELL := /bin/bash
APT_PACKAGES := libblas-dev liblapack-dev libopenblas-dev
TOPICS := .build/release/topics
# Tests run optimised (the numeric tests are 10–50× slower in debug) in their own build folder.
TEST_FLAGS := -c release -Xswiftc -enable-testing --scratch-path .build/test
# A fixed creation time makes `make model` byte-reproducible.
MODEL_EPOCH := 1763942400

.PHONY: setup build demo test model bench bench-quick bench-peers bench-f1-gap check-bundle fuzz sanitize determinism clean

## Install the native BLAS/LAPACK packages when any is missing (apt-get; needs root or sudo).
setup:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing; \
	fi

build: setup
	swift build -c release

## The main job: tag the shipped dumps with the shipped model, then show the topics of the same papers.
demo: build
	$(TOPICS) tag Data/dumps/*.txt --model Models/default --format table
	$(TOPICS) cluster Data/dumps/*.txt -k 8 --format table

## The whole test suite.
test: setup
	swift build $(TEST_FLAGS) --build-tests
	@set -o pipefail; log=$$(mktemp); \
	swift test $(TEST_FLAGS) --skip-build 2>&1 | tee $$log; status=$$?; \
	.ci/test-summary $$log; rm -f $$log; exit $$status

## Rebuild the shipped model from Data/ (byte-identical on every run).
model: build
	SOURCE_DATE_EPOCH=$(MODEL_EPOCH) $(TOPICS) train Data/dumps/*.txt --labels Data/labels.tsv --out Models/default

## libFuzzer + ASan on every reader and the bundle loader, FUZZ_SECONDS each (crashes in Tests/Fuzz/crashes/TARGET).
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := dump jsonl csv tsv labels safetensors config vocab
fuzz: build
	cd Tests/Fuzz && swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
	@set -e; fuzzer=Tests/Fuzz/.build/release/topickit-fuzz; seeds=$$(mktemp -d); trap 'rm -rf $$seeds' EXIT; \
	mkdir -p $$seeds/dump $$seeds/jsonl $$seeds/csv $$seeds/tsv $$seeds/labels $$seeds/safetensors $$seeds/config $$seeds/vocab; \
	for f in Data/dumps/*.txt; do head -c 16384 $$f > $$seeds/dump/$$(basename $$f); done; \
	for fmt in jsonl csv tsv; do $(TOPICS) parse Data/dumps/*.txt --format $$fmt 2>/dev/null | head -c 16384 > $$seeds/$$fmt/papers.$$fmt; \
	  cp $$seeds/$$fmt/papers.$$fmt $$seeds/dump/; done; \
	head -c 16384 Data/labels.tsv > $$seeds/labels/labels.tsv; cp Models/default/config.json $$seeds/config/; \
	head -c 4096 Models/default/vocab.txt > $$seeds/vocab/head.txt; cp Models/default/model.safetensors $$seeds/safetensors/; \
	for t in $(FUZZ_TARGETS); do \
	  mkdir -p Tests/Fuzz/corpus/$$t Tests/Fuzz/crashes/$$t; \
	  echo "== fuzz $$t ($(FUZZ_SECONDS) s)"; \
	  FUZZ_TARGET=$$t $$fuzzer Tests/Fuzz/corpus/$$t $$seeds/$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
	    -rss_limit_mb=2048 -timeout=10 -artifact_prefix=Tests/Fuzz/crashes/$$t/ -print_final_stats=1 2>&1 \
	    | grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==ERROR|SUMMARY|artifact_prefix|Test unit written)" || true; \
	done; \
	crashes=$$(find Tests/Fuzz/crashes -type f | wc -l); echo "$$crashes crash file(s) in Tests/Fuzz/crashes"; [ $$crashes = 0 ]

## The suite under AddressSanitizer and ThreadSanitizer (debug builds in .build/asan and .build/tsan; slow).
sanitize: setup
	LSAN_OPTIONS="suppressions=$(CURDIR)/Tests/lsan.supp" swift test --sanitize=address --scratch-path .build/asan
	TSAN_OPTIONS="suppressions=$(CURDIR)/Tests/tsan.supp" swift test --sanitize=thread --scratch-path .build/tsan

## Debug and release builds give byte-identical bundles, tags and clusters on Data/.
determinism:
	Tests/determinism.sh

clean:
	rm -rf .build

## TopicKit side by side with scikit-learn and fastText on the arXiv corpus (writes bench/RESULTS.md).
CORPUS ?= ../shared/data/corpus/arxiv-daily.jsonl
# e.g. BENCH_FLAGS="--repeat 5 --tasks cluster,scaling" (see python3 bench/run.py --help)
BENCH_FLAGS ?=
bench-peers:
	@python3 -c "import sklearn, fasttext" 2>/dev/null || pip install -q scikit-learn fasttext-wheel

bench: build bench-peers
	python3 bench/run.py $(CORPUS) $(BENCH_FLAGS)

bench-quick: build bench-peers
	python3 bench/run.py $(CORPUS) --quick $(BENCH_FLAGS)

## Same-work micro-F1 taken apart: features (bigrams across title and abstract) and solver (convergence), with
## bootstrap intervals and each tag's training objective (writes bench/RESULTS-f1-gap.md; about 20 minutes).
bench-f1-gap: build bench-peers
	@python3 -c "import safetensors, numpy" 2>/dev/null || pip install -q safetensors numpy
	python3 bench/classify_gap.py $(CORPUS)

## Python's safetensors/NumPy read the shipped model unchanged (and its shapes agree with config.json).
check-bundle:
	@python3 -c "import safetensors, numpy" 2>/dev/null || pip install -q safetensors numpy
	python3 bench/peers/check_bundle.py Models/default

## The evaluation report of the shipped model on Data/ (tagging and an 8-topic clustering), rendered to a PNG with
## headless Chromium to look at. `make report EVAL="--cv 5"` cross-validates the training setup instead.
REPORT_DIR := .build/report
EVAL ?= --model Models/default
.PHONY: report
report: build
	@mkdir -p $(REPORT_DIR)
	$(TOPICS) cluster Data/dumps/*.txt -k 8 --save $(REPORT_DIR)/clusters -o $(REPORT_DIR)/clusters.jsonl
	$(TOPICS) eval Data/dumps/*.txt --labels Data/labels.tsv $(EVAL) --clusters $(REPORT_DIR)/clusters --report $(REPORT_DIR)
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq chromium; }
	chromium --headless --no-sandbox --hide-scrollbars --screenshot=$(abspath $(REPORT_DIR))/report.png \
	  --window-size=1280,7000 file://$(abspath $(REPORT_DIR))/report.html 2>/dev/null
	@echo "report: $(REPORT_DIR)/report.html, report.md, metrics.json; screenshot: $(REPORT_DIR)/report.png"
