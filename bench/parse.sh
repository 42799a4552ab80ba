#!/usr/bin/env bash
# Measures `topics parse` on a JSON Lines corpus: papers/s, MB/s, CPU time and peak RSS.
# Usage: bench/parse.sh [FILE]   (default: ../shared/data/corpus/arxiv-daily.jsonl, relative to the repo root)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
input="${1:-../shared/data/corpus/arxiv-daily.jsonl}"
[[ -f "$input" ]] || { echo "error: $input: no such file" >&2; exit 1; }
swift build -c release --product topics >/dev/null
bin="$(swift build -c release --show-bin-path)/topics"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
/usr/bin/time -v "$bin" parse "$input" --output /dev/null 2>"$log"
bytes=$(stat -c %s "$input")
papers=$(sed -n 's/^\([0-9]*\) papers,.*/\1/p' "$log")
wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
user=$(sed -n 's/.*User time (seconds): //p' "$log")
sys=$(sed -n 's/.*System time (seconds): //p' "$log")
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
awk -v p="$papers" -v b="$bytes" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" -v f="$input" -v t="${TOPICKIT_THREADS:-all}" 'BEGIN {
    if (w <= 0) w = 0.01
    printf "input: %s (%.1f MB, %d papers), threads: %s, load: ", f, b / 1e6, p, t
    getline load < "/proc/loadavg"; split(load, l, " "); printf "%s\n", l[1]
    printf "wall %.2f s, cpu %.2f s (user %.2f + sys %.2f)\n", w, u + s, u, s
    printf "%.0f papers/s, %.1f MB/s (wall), peak RSS %.0f MB\n", p / w, b / 1e6 / w, r / 1024
}'
