"""Scaling task of bench/run.py: TopicKit classify and cluster on the corpus repeated to N papers.

Copy r ≥ 1 of a paper gets the id `ID-rR` (so the readers keep every copy) and keeps its title, abstract
and categories. Classify uses the split and labels of bench/peers/corpus.py on those ids (the label set is
the base corpus's); cluster reads the whole N-paper corpus. Inputs are written to a temporary folder and
deleted after each size. A size that fails (non-zero exit, killed, time limit) is reported with its reason
and does not stop the bench.
"""
import json
import os
import shutil
import time

from corpus import MIN_LABEL_PAPERS, is_test
from measure import CommandFailed, number, table, timed


class BaseCorpus:
    """The corpus lines kept as JSON text around the id, so copies are written without re-encoding."""

    def __init__(self, path, limit=None):
        from collections import Counter
        self.ids, self.cluster_tails, self.rows = [], [], []
        counts = Counter()
        with open(path, encoding="utf-8") as f:
            for line in f:
                if limit is not None and len(self.ids) >= limit:
                    break
                if not line.strip():
                    continue
                p = json.loads(line)
                categories = list(p.get("categories") or [])
                counts.update(set(categories))
                self.ids.append(p["id"])
                self.rows.append((p.get("title") or "", p.get("abstract") or "", categories))
        self.labels = sorted(c for c, n in counts.items() if n >= MIN_LABEL_PAPERS)
        keep = set(self.labels)
        self.cluster_tails = [", " + json.dumps({"title": t, "abstract": a, "categories": c})[1:] for t, a, c in self.rows]
        self.train_tails = [", " + json.dumps({"title": t, "abstract": a, "labels": [x for x in c if x in keep]})[1:]
                            if c else None for t, a, c in self.rows]
        del self.rows

    def copy_id(self, i):
        base = self.ids[i % len(self.ids)]
        r = i // len(self.ids)
        return base if r == 0 else f"{base}-r{r}"

    def write_corpus(self, size, path):
        with open(path, "w", encoding="utf-8") as f:
            for i in range(size):
                f.write('{"id": ' + json.dumps(self.copy_id(i)) + self.cluster_tails[i % len(self.ids)] + "\n")

    def write_split(self, size, train_path, test_path):
        """Papers with categories only (as the peers); returns (train papers, test papers)."""
        counts = [0, 0]
        with open(train_path, "w", encoding="utf-8") as train, open(test_path, "w", encoding="utf-8") as test:
            for i in range(size):
                tail = self.train_tails[i % len(self.ids)]
                if tail is None:
                    continue
                pid = self.copy_id(i)
                side = 1 if is_test(pid) else 0
                counts[side] += 1
                (test if side else train).write('{"id": ' + json.dumps(pid) + tail + "\n")
        return counts[0], counts[1]


def classify_at(topics, base, size, work, options, limits):
    train_path, test_path = os.path.join(work, "train.jsonl"), os.path.join(work, "test.jsonl")
    model, preds = os.path.join(work, "model"), os.path.join(work, "preds.jsonl")
    try:
        n_train, n_test = base.write_split(size, train_path, test_path)
        train = timed([topics, "train", train_path, "--label-field", "labels", "--out", model] + options, **limits())
        tag = timed([topics, "tag", test_path, "--model", model, "--output", preds], **limits())
    finally:
        for path in (train_path, test_path, preds):
            if os.path.exists(path):
                os.remove(path)
        shutil.rmtree(model, ignore_errors=True)
    return {"papers": size, "train_papers": n_train, "test_papers": n_test,
            "seconds": train.wall + tag.wall, "train_seconds": train.wall, "train_cpu_seconds": train.cpu,
            "tag_seconds": tag.wall, "tag_cpu_seconds": tag.cpu, "peak_memory_mb": max(train.rss_mb, tag.rss_mb),
            "papers_per_second": n_train / train.wall, "tag_papers_per_second": n_test / tag.wall}


def cluster_at(topics, base, size, work, options, limits):
    path, out = os.path.join(work, "corpus.jsonl"), os.path.join(work, "clusters.jsonl")
    try:
        base.write_corpus(size, path)
        run = timed([topics, "cluster", path, "--output", out] + options, **limits())
    finally:
        for p in (path, out):
            if os.path.exists(p):
                os.remove(p)
    return {"papers": size, "seconds": run.wall, "cpu_seconds": run.cpu, "peak_memory_mb": run.rss_mb,
            "papers_per_second": size / run.wall}


# Writing the inputs of one size costs about this many seconds per paper (JSON text, both tasks).
WRITE_SECONDS_PER_PAPER = 3e-5


class Budget:
    """The time left for the scaling runs, the per-run time limit and the memory cap.

    Before each size, the time it needs is estimated from the previous size of the same task, scaled
    linearly; a size that would not finish before the deadline is skipped (and the table says so)."""

    def __init__(self, deadline, timeout, memory_cap_mb):
        self.deadline, self.timeout, self.memory_cap_mb = deadline, timeout, memory_cap_mb

    def left(self):
        return self.deadline - time.perf_counter()

    def limits(self):
        return {"timeout": max(1.0, min(self.timeout, self.left())), "memory_cap_mb": self.memory_cap_mb}

    def skip_reason(self, results, size):
        done = [(n, r) for n, r in results.items() if isinstance(r, dict)]
        estimate = size * WRITE_SECONDS_PER_PAPER
        if done:
            n, r = max(done)
            estimate += r["seconds"] * size / n
        if estimate > self.left():
            return (f"skipped: an estimated {estimate:.0f} s (linear from the previous size) would pass the bench's "
                    f"time budget ({max(0, self.left()):.0f} s left)")
        return None


def attempt(results, size, run, budget, log, task):
    """Runs one size into results (figures, or the reason it failed or was skipped); never raises."""
    if any(not isinstance(r, dict) and not r.startswith("skipped") and n < size for n, r in results.items()):
        results[size] = "skipped: a smaller size already failed"
    else:
        results[size] = budget.skip_reason(results, size)
    if results[size] is None:
        try:
            results[size] = run(size)
        except CommandFailed as failure:
            results[size] = failure.reason
            if "time limit" in failure.reason and budget.left() < 2:
                results[size] = "stopped when the bench's time budget ran out " + failure.reason[failure.reason.rfind("("):]
            log(f"{failure.stderr[-1500:]}")
    log(f"scaling {task} {size} papers: {results[size]}")


def growth(results, size, previous, key):
    now, before = results.get(size), results.get(previous)
    if previous is None or not isinstance(now, dict) or not isinstance(before, dict) or not before[key]:
        return "—"
    return f"{now[key] / before[key]:.1f}×"


def scaling_table(title, results, columns, note):
    """One row per size; a failed size shows its reason; growth is against the previous size."""
    sizes = sorted(results)
    header = ["papers"] + [c[0] for c in columns] + ["time growth", "memory growth"]
    rows = []
    for i, size in enumerate(sizes):
        previous = sizes[i - 1] if i else None
        label = f"{size:,}" + (f" (×{size / previous:.1f})" if previous else "")
        r = results[size]
        if not isinstance(r, dict):
            rows.append([label, r if r.startswith("skipped") else f"failed: {r}"] + [""] * (len(columns) + 1))
            continue
        rows.append([label] + [number(r[key], digits) for _, key, digits in columns]
                    + [growth(results, size, previous, columns[0][1]), growth(results, size, previous, "peak_memory_mb")])
    return table(title, header, rows, note)


def run_scaling(topics, corpus, work, classify_sizes, cluster_sizes, classify_options, cluster_options, budget, log):
    """Sizes within the corpus first (both tasks), then the repeated ones with cluster first (it carries
    issue #4's 1M target; classify grows faster than linearly there), all within the budget."""
    # Sizes within the corpus need only its first lines (and then take their label set from those lines).
    base = BaseCorpus(corpus, limit=max(classify_sizes + cluster_sizes, default=0) or None)
    classify, cluster = {}, {}
    jobs = [(n, "cluster") for n in cluster_sizes] + [(n, "classify") for n in classify_sizes]
    for size, task in sorted(jobs, key=lambda job: (job[0] > len(base.ids), job[1] != "cluster", job[0])):
        if task == "cluster":
            attempt(cluster, size, lambda n: cluster_at(topics, base, n, work, cluster_options, budget.limits),
                    budget, log, task)
        else:
            attempt(classify, size, lambda n: classify_at(topics, base, n, work, classify_options, budget.limits),
                    budget, log, task)
    limits = (f"Limits per run: {budget.timeout:.0f} s and {budget.memory_cap_mb:.0f} MB resident memory; "
              "sizes that would pass the bench's time budget are skipped. One run per size.")
    out = [scaling_table(
        "Scaling: cluster, TopicKit", cluster,
        [("wall s", "seconds", 1), ("CPU s", "cpu_seconds", 1), ("papers/s", "papers_per_second", 0), ("peak MB", "peak_memory_mb", 0)],
        f"Options: `{' '.join(cluster_options)}`. Target (issue #4): 1M papers within 6 GB (6144 MB). "
        f"A repeated corpus has more terms above min_df than a real one of the same size (every copy adds to a term's "
        f"document frequency). Growth: wall time and peak memory against the previous size. " + limits),
        scaling_table(
        "Scaling: classify (train + tag), TopicKit", classify,
        [("train s", "train_seconds", 1), ("train CPU s", "train_cpu_seconds", 1), ("train papers/s", "papers_per_second", 0),
         ("tag s", "tag_seconds", 2), ("tag papers/s", "tag_papers_per_second", 0), ("peak MB", "peak_memory_mb", 0)],
        f"Options: `{' '.join(classify_options)}` (no cross-validation); train/test split by sha1(id) % 5 as above "
        f"(copies have ids `ID-rN`; papers without categories left out). Growth: train wall time and peak memory "
        f"against the previous size. " + limits)]
    return "\n".join(out)
