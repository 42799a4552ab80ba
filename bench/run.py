#!/usr/bin/env python3
"""TopicKit against scikit-learn and fastText, same machine, same run.

    python3 bench/run.py [CORPUS] [--quick] [--repeat N] [--tasks classify,cluster,parse,gemm,scaling]

Builds nothing: run `make bench` (or `swift build -c release`) first. Every system runs the same work
on the same corpus split (bench/peers/corpus.py); each figure is the median of --repeat runs. Prints
one table per task with TopicKit's ratio to each peer and writes bench/RESULTS.md.
"""
import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(HERE, "peers"))
from corpus import DEFAULT_CORPUS, classification_split, f1_scores, read_papers  # noqa: E402

TOPICS = os.path.join(ROOT, ".build", "release", "topics")
BENCH = os.path.join(ROOT, ".build", "release", "topickit-bench")


def timed(cmd, **kwargs):
    """Runs cmd under /usr/bin/time -v: (wall seconds, peak RSS MB, stdout)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        start = time.perf_counter()
        proc = subprocess.run(["/usr/bin/time", "-v", "-o", t.name] + cmd, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, **kwargs)
        wall = time.perf_counter() - start
        if proc.returncode != 0:
            sys.exit(f"bench: {' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
        rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t.read()).group(1)) / 1024
    return wall, rss, proc.stdout


def median_runs(repeat, run):
    """Runs `run()` repeat times; the median of every numeric field, other fields from the first run."""
    results = [run() for _ in range(repeat)]
    merged = dict(results[0])
    for key, value in results[0].items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            merged[key] = statistics.median(r[key] for r in results)
    return merged


def peer(script, corpus, limit):
    cmd = [sys.executable, os.path.join(HERE, "peers", script), corpus] + (["--limit", str(limit)] if limit else [])
    wall, rss, out = timed(cmd)
    result = json.loads(out.strip().splitlines()[-1])
    result["process_peak_memory_mb"] = round(rss, 1)
    return result


def write_split(corpus, limit, directory):
    papers = read_papers(corpus, limit)
    labels, train, test = classification_split(papers)
    keep = set(labels)
    paths = {}
    for name, rows in (("train", train), ("test", test)):
        paths[name] = os.path.join(directory, name + ".jsonl")
        with open(paths[name], "w", encoding="utf-8") as f:
            for p in rows:
                title, _, abstract = p["text"].partition("\n")
                f.write(json.dumps({"id": p["id"], "title": title, "abstract": abstract,
                                    "labels": [c for c in p["categories"] if c in keep]}) + "\n")
    return labels, test, paths


# The peers' TF-IDF and C (bench/peers/sklearn_classify.py), so every system does the same work.
SAME_FEATURES = ["--stop-words", "english", "--min-df", "5", "--max-df", "0.5", "--title-weight", "1", "--c", "10"]
# Same work as scikit-learn: unweighted logistic regression, every threshold 0.5.
SAME_WORK = SAME_FEATURES + ["--class-weight", "none", "--cv-folds", "0"]
# TopicKit's own method on the same features: balanced class weights, per-tag thresholds by 3-fold CV.
CV_THRESHOLDS = SAME_FEATURES + ["--class-weight", "balanced", "--cv-folds", "3"]


def topickit_classify(corpus, limit, directory, options):
    labels, test, paths = write_split(corpus, limit, directory)
    model = os.path.join(directory, "model")
    preds = os.path.join(directory, "preds.jsonl")
    train_wall, train_rss, _ = timed([TOPICS, "train", paths["train"], "--label-field", "labels", "--out", model] + options)
    tag_wall, tag_rss, _ = timed([TOPICS, "tag", paths["test"], "--model", model, "--output", preds])
    predicted = {}
    with open(preds, encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            predicted[row["id"]] = set(row["tags"])
    y_true = [[1 if c in set(p["categories"]) else 0 for c in labels] for p in test]
    y_pred = [[1 if c in predicted[p["id"]] else 0 for c in labels] for p in test]
    micro, macro = f1_scores(y_true, y_pred)
    return {"train_seconds": round(train_wall, 2), "tag_seconds": round(tag_wall, 2),
            "tag_papers_per_second": round(len(test) / tag_wall), "micro_f1": micro, "macro_f1": macro,
            "peak_memory_mb": round(max(train_rss, tag_rss), 1), "test_papers": len(test), "labels": len(labels)}


def topickit_cluster(corpus, limit, directory):
    source = corpus
    if limit:
        source = os.path.join(directory, "limited.jsonl")
        with open(corpus, encoding="utf-8") as f, open(source, "w", encoding="utf-8") as out:
            for i, line in enumerate(f):
                if i >= limit:
                    break
                out.write(line)
    assignments = os.path.join(directory, "clusters.jsonl")
    wall, rss, _ = timed([TOPICS, "cluster", source, "-k", "50", "--dims", "128", "--n-init", "1",
                          "--min-df", "5", "--max-df", "0.5", "--title-weight", "1", "--output", assignments])
    from sklearn.metrics import normalized_mutual_info_score
    papers = {p["id"]: p for p in read_papers(source)}
    inertia, truth, found = 0.0, [], []
    with open(assignments, encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            inertia += row["distance"]
            cats = papers[row["id"]]["categories"] if row["id"] in papers else []
            if cats:
                truth.append(cats[0])
                found.append(row["cluster"])
    return {"seconds": round(wall, 2), "inertia": round(inertia, 2),
            "nmi": round(float(normalized_mutual_info_score(truth, found)), 4), "peak_memory_mb": round(rss, 1)}


def ratio(ours, theirs, higher_is_better=False):
    if not ours or not theirs:
        return "—"
    r = ours / theirs if higher_is_better else theirs / ours
    return f"{r:.1f}×"


def table(title, header, rows):
    lines = [f"### {title}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def machine():
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    blas = subprocess.run(["update-alternatives", "--query", "libblas.so.3-x86_64-linux-gnu"],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout
    value = re.search(r"^Value: (.*)$", blas, re.M)
    return {"cores": os.cpu_count(), "cpu": cpu, "blas": value.group(1) if value else "unknown",
            "date": time.strftime("%Y-%m-%d"), "python": platform.python_version()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=DEFAULT_CORPUS)
    parser.add_argument("--quick", action="store_true", help="10,000 papers, one repetition")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--tasks", default="gemm,parse,classify,cluster")
    parser.add_argument("--out", default=os.path.join(HERE, "RESULTS.md"))
    args = parser.parse_args()
    limit = 10000 if args.quick else None
    repeat = 1 if args.quick else args.repeat
    tasks = args.tasks.split(",")
    for binary in (TOPICS, BENCH):
        if not os.path.exists(binary):
            sys.exit(f"bench: {binary} is missing: run `swift build -c release` first (make bench does)")
    m = machine()
    report = [f"# TopicKit benchmark — {m['date']}", "",
              f"Machine: {m['cores']} cores, {m['cpu']}; BLAS: {m['blas']}; Python {m['python']}.",
              f"Corpus: `{os.path.relpath(args.corpus, ROOT)}`" + (f" (first {limit} papers)" if limit else "")
              + f"; median of {repeat} run(s). Reproduce: `make bench`" + (" (`make bench-quick`)" if limit else "") + ".", ""]
    work = tempfile.mkdtemp(prefix="topickit-bench-")
    try:
        if "gemm" in tasks:
            g = json.loads(timed([BENCH, "gemm"])[2])
            report.append(table("The machine's limit: single-precision GEMM through the linked BLAS",
                                ["shape (m×n×k)", "GFLOP/s"], [[s["shape"], s["gflops"]] for s in g["shapes"]]))
        if "parse" in tasks:
            p = median_runs(repeat, lambda: json.loads(timed([BENCH, "vectorize", args.corpus] + ([str(limit)] if limit else []))[2]))
            report.append(table("Parse and vectorize (TopicKit)", ["stage", "seconds", "papers/s", "MB/s"], [
                ["parse (whole file)", round(p["parse_seconds"], 2), round(p["parsed_papers"] / p["parse_seconds"]),
                 round(p["megabytes"] / p["parse_seconds"], 1)],
                ["TF-IDF fit+transform (1–2 grams, min_df 5)", round(p["vectorize_seconds"], 2),
                 round(p["papers"] / p["vectorize_seconds"]), "—"]]))
        if "classify" in tasks:
            ours = median_runs(repeat, lambda: topickit_classify(args.corpus, limit, work, SAME_WORK))
            cv = median_runs(repeat, lambda: topickit_classify(args.corpus, limit, work, CV_THRESHOLDS))
            sk = median_runs(repeat, lambda: peer("sklearn_classify.py", args.corpus, limit))
            ft = median_runs(repeat, lambda: peer("fasttext_classify.py", args.corpus, limit))
            rows = []
            for name, key_ours, key_sk, key_ft, better in [
                ("train (TF-IDF + fit) s", "train_seconds", "train_seconds", "train_seconds", False),
                ("tag s", "tag_seconds", "tag_seconds", "tag_seconds", False),
                ("tag papers/s", "tag_papers_per_second", "tag_papers_per_second", "tag_papers_per_second", True),
                ("micro-F1", "micro_f1", "micro_f1", "micro_f1", True),
                ("macro-F1", "macro_f1", "macro_f1", "macro_f1", True),
                ("peak memory MB", "peak_memory_mb", "process_peak_memory_mb", "process_peak_memory_mb", False)]:
                rows.append([name, ours.get(key_ours), cv.get(key_ours), sk.get(key_sk), ft.get(key_ft),
                             ratio(ours.get(key_ours), sk.get(key_sk), better), ratio(ours.get(key_ours), ft.get(key_ft), better),
                             ratio(cv.get(key_ours), sk.get(key_sk), better)])
            report.append(table(f"Classify: {ours['labels']} arXiv categories, {ours['test_papers']} test papers",
                                ["", "TopicKit (same work)", "TopicKit (CV thresholds)", "scikit-learn", "fastText",
                                 "same work vs sklearn", "same work vs fastText", "CV thresholds vs sklearn"], rows)
                          + "\nSame work: `" + " ".join(SAME_WORK) + "` (scikit-learn's TF-IDF and C, threshold 0.5). "
                          + "CV thresholds: `" + " ".join(CV_THRESHOLDS) + "`. Ratios: > 1× means TopicKit is better "
                          + "(faster, smaller, or more accurate).\n")
        if "cluster" in tasks:
            ours = median_runs(repeat, lambda: topickit_cluster(args.corpus, limit, work))
            sk = median_runs(repeat, lambda: peer("sklearn_cluster.py", args.corpus, limit))
            sk_total = sk["vectorize_seconds"] + sk["svd_seconds"] + sk["kmeans_seconds"]
            rows = [["wall s (TF-IDF + SVD-128 + k-means k=50)", ours["seconds"], round(sk_total, 2), ratio(ours["seconds"], sk_total)],
                    ["inertia (normalised LSA space)", ours["inertia"], sk["inertia"], ratio(ours["inertia"], sk["inertia"])],
                    ["NMI vs primary category", ours["nmi"], sk["nmi"], ratio(ours["nmi"], sk["nmi"], True)],
                    ["peak memory MB", ours["peak_memory_mb"], sk["process_peak_memory_mb"], ratio(ours["peak_memory_mb"], sk["process_peak_memory_mb"])]]
            report.append(table("Cluster: TF-IDF → LSA 128 → k-means k=50, n_init=1", ["", "TopicKit", "scikit-learn", "ratio"], rows))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = "\n".join(report)
    print(text)
    with open(args.out + ".tmp", "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(args.out + ".tmp", args.out)


if __name__ == "__main__":
    main()
