#!/usr/bin/env bash
# Debug and release builds of `topics` give byte-identical outputs on Data/: the tagger bundle, tags,
# parsed papers, cluster assignments, the cluster summary and the clustering bundle (`make determinism`).
set -euo pipefail
cd "$(dirname "$0")/.."
# TOPICS_DEBUG / TOPICS_RELEASE: use binaries already built (the build must match its name).
debug=${TOPICS_DEBUG:-.build/determinism-debug/debug/topics}
release=${TOPICS_RELEASE:-.build/determinism-release/release/topics}
[ -n "${TOPICS_DEBUG:-}" ] || swift build -c debug --product topics --scratch-path .build/determinism-debug
[ -n "${TOPICS_RELEASE:-}" ] || swift build -c release --product topics --scratch-path .build/determinism-release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=1763942400
for config in debug release; do
  if [ $config = debug ]; then topics=$debug; else topics=$release; fi
  out=$work/$config
  mkdir -p "$out"
  "$topics" train Data/dumps/*.txt --labels Data/labels.tsv --seed 11 --out "$out/tagger" 2>/dev/null
  "$topics" tag Data/dumps/*.txt --model "$out/tagger" --explain --output "$out/tags.jsonl"
  "$topics" tag Data/dumps/*.txt --model Models/default --output "$out/default-tags.jsonl"
  "$topics" parse Data/dumps/*.txt --output "$out/parsed.jsonl"
  "$topics" cluster Data/dumps/*.txt -k 8 --seed 5 --output "$out/clusters.jsonl" --summary "$out/summary.txt" \
    --save "$out/clusters" 2>/dev/null
done
status=0
for f in $(cd "$work/release" && find . -type f | sort); do
  if cmp -s "$work/debug/$f" "$work/release/$f"; then
    echo "same      $f ($(wc -c <"$work/release/$f") bytes, sha256 $(sha256sum "$work/release/$f" | cut -c1-16))"
  else
    echo "DIFFERENT $f"; status=1
  fi
done
[ "$status" = 0 ] && echo "debug and release outputs are byte-identical" || echo "debug and release outputs differ"
exit $status
