#!/usr/bin/env python3
"""TopicKit against scikit-learn and fastText, same machine, same run.

    python3 bench/run.py [CORPUS] [--quick] [--repeat N] [--slow-repeat M]
                         [--tasks gemm,parse,classify,cluster,quality,scaling]

Builds nothing: run `make bench` (or `swift build -c release`) first. Every system runs the same work
on the same corpus split (bench/peers/corpus.py). Each figure is the median of --repeat runs (TopicKit,
fastText, parse) or --slow-repeat runs (the scikit-learn peers, ~100 s each), min–max in small print;
every table says how many runs its figures are the median of. Prints the tables with TopicKit's ratio to
each peer and writes bench/RESULTS.md (bench/RESULTS-quick.md with --quick). The scaling task fits in what
is left of --budget-minutes (see bench/README.md).
"""
import argparse
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(HERE, "peers"))
from corpus import DEFAULT_CORPUS, classification_split, f1_scores, read_papers  # noqa: E402
from measure import CommandFailed, Runs, ratio, table, timed, write_atomically  # noqa: E402
from quality import run_quality  # noqa: E402
from scaling import Budget, run_scaling  # noqa: E402

TOPICS = os.path.join(ROOT, ".build", "release", "topics")
BENCH = os.path.join(ROOT, ".build", "release", "topickit-bench")
ALL_TASKS = "gemm,parse,classify,cluster,quality,scaling"

# The peers' TF-IDF and C (bench/peers/sklearn_classify.py), so every system does the same work.
SAME_FEATURES = ["--stop-words", "english", "--min-df", "5", "--max-df", "0.5", "--title-weight", "1", "--c", "10"]
# Same work as scikit-learn: unweighted logistic regression, every threshold 0.5.
SAME_WORK = SAME_FEATURES + ["--class-weight", "none", "--cv-folds", "0"]
# TopicKit's own method on the same features: balanced class weights, per-tag thresholds by 3-fold CV.
CV_THRESHOLDS = SAME_FEATURES + ["--class-weight", "balanced", "--cv-folds", "3"]
# The peer's clustering work (bench/peers/sklearn_cluster.py).
CLUSTER = ["-k", "50", "--dims", "128", "--n-init", "1", "--min-df", "5", "--max-df", "0.5", "--title-weight", "1"]


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def peer(script, corpus, limit):
    cmd = [sys.executable, os.path.join(HERE, "peers", script), corpus] + (["--limit", str(limit)] if limit else [])
    run = timed(cmd)
    result = json.loads(run.stdout.strip().splitlines()[-1])
    result["process_peak_memory_mb"] = round(run.rss_mb, 1)
    result["process_cpu_seconds"] = run.cpu
    log(f"{script}: {result}")
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


def topickit_tag_phases(model, test_path):
    """`topickit-bench tag`: model load and reading timed once, then what the peers time (vectorize + score +
    threshold on papers in memory) and the JSON Lines formatting, each the median of 3 runs."""
    phases = json.loads(timed([BENCH, "tag", model, test_path]).stdout.strip().splitlines()[-1])
    return {"tag_in_memory_seconds": phases["vectorize_score_seconds"],
            "tag_in_memory_papers_per_second": phases["vectorize_score_papers_per_second"],
            "tag_in_memory_cpu_seconds": phases["vectorize_score_cpu_seconds"],
            "tag_format_seconds": phases["format_jsonl_seconds"],
            "tag_load_seconds": phases["load_seconds"], "tag_read_seconds": phases["read_seconds"]}


def topickit_classify(split, directory, options, in_memory=False):
    labels, test, paths = split
    model = os.path.join(directory, "model")
    preds = os.path.join(directory, "preds.jsonl")
    train = timed([TOPICS, "train", paths["train"], "--label-field", "labels", "--out", model] + options)
    tag = timed([TOPICS, "tag", paths["test"], "--model", model, "--output", preds])
    phases = topickit_tag_phases(model, paths["test"]) if in_memory else {}
    predicted = {}
    with open(preds, encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            predicted[row["id"]] = set(row["tags"])
    y_true = [[1 if c in set(p["categories"]) else 0 for c in labels] for p in test]
    y_pred = [[1 if c in predicted[p["id"]] else 0 for c in labels] for p in test]
    micro, macro = f1_scores(y_true, y_pred)
    result = {"train_seconds": train.wall, "train_cpu_seconds": train.cpu, "tag_seconds": tag.wall,
              "tag_papers_per_second": len(test) / tag.wall, "micro_f1": micro, "macro_f1": macro,
              "peak_memory_mb": max(train.rss_mb, tag.rss_mb), "test_papers": len(test), "labels": len(labels)}
    result.update(phases)
    log(f"topics train/tag {options[-4:]}: {result}")
    return result


def limited_corpus(corpus, limit, directory):
    if not limit:
        return corpus
    source = os.path.join(directory, "limited.jsonl")
    if not os.path.exists(source):
        with open(corpus, encoding="utf-8") as f, open(source, "w", encoding="utf-8") as out:
            for i, line in enumerate(f):
                if i >= limit:
                    break
                out.write(line)
    return source


def topickit_cluster(source, directory):
    assignments = os.path.join(directory, "clusters.jsonl")
    run = timed([TOPICS, "cluster", source, "--output", assignments] + CLUSTER)
    from sklearn.metrics import normalized_mutual_info_score
    primary = {p["id"]: p["categories"][0] for p in read_papers(source) if p["categories"]}
    inertia, truth, found = 0.0, [], []
    with open(assignments, encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            inertia += row["distance"]
            if row["id"] in primary:
                truth.append(primary[row["id"]])
                found.append(row["cluster"])
    result = {"seconds": run.wall, "cpu_seconds": run.cpu, "inertia": inertia,
              "nmi": float(normalized_mutual_info_score(truth, found)), "peak_memory_mb": run.rss_mb}
    log(f"topics cluster: {result}")
    return result


def runs_row(*systems):
    return ["runs (figures are medians)"] + [str(s.count) for s in systems]


def classify_task(args, limit, work):
    split = write_split(args.corpus, limit, work)
    ours = Runs.collect(args.repeat, lambda: topickit_classify(split, work, SAME_WORK, in_memory=True))
    cv = Runs.collect(args.slow_repeat, lambda: topickit_classify(split, work, CV_THRESHOLDS))
    sk = Runs.collect(args.slow_repeat, lambda: peer("sklearn_classify.py", args.corpus, limit))
    ft = Runs.collect(args.slow_repeat, lambda: peer("fasttext_classify.py", args.corpus, limit))
    rows = []
    for name, key, key_peer, digits, better in [
            ("train (TF-IDF + fit) s", "train_seconds", "train_seconds", 2, False),
            ("train CPU s", "train_cpu_seconds", "train_cpu_seconds", 1, False),
            ("tag s (whole `topics tag` process)", "tag_seconds", "tag_seconds", 2, False),
            ("tag papers/s (whole `topics tag` process)", "tag_papers_per_second", "tag_papers_per_second", 0, True),
            ("micro-F1", "micro_f1", "micro_f1", 4, True),
            ("macro-F1", "macro_f1", "macro_f1", 4, True),
            ("peak memory MB", "peak_memory_mb", "process_peak_memory_mb", 0, False)]:
        rows.append([name, ours.cell(key, digits), cv.cell(key, digits), sk.cell(key_peer, digits), ft.cell(key_peer, digits),
                     ratio(ours.median(key), sk.median(key_peer), better), ratio(ours.median(key), ft.median(key_peer), better),
                     ratio(cv.median(key), sk.median(key_peer), better)])
        if key == "tag_papers_per_second":
            # The peers' tag figures time vectorize + predict on texts already in memory; this row times the same.
            own = "tag_in_memory_papers_per_second"
            rows.append(["tag, vectorize + score in memory (scikit-learn's measure), papers/s", ours.cell(own, 0), "—",
                         sk.cell(key_peer, 0), ft.cell(key_peer, 0), ratio(ours.median(own), sk.median(key_peer), True),
                         ratio(ours.median(own), ft.median(key_peer), True), ""])
    rows.append(runs_row(ours, cv, sk, ft) + ["", "", ""])
    return table(f"Classify: {ours.median('labels')} arXiv categories, {ours.median('test_papers')} test papers",
                 ["", "TopicKit (same work)", "TopicKit (CV thresholds)", "scikit-learn", "fastText",
                  "same work vs sklearn", "same work vs fastText", "CV thresholds vs sklearn"], rows,
                 "Same work: `" + " ".join(SAME_WORK) + "` (scikit-learn's TF-IDF and C, threshold 0.5). "
                 + "CV thresholds: `" + " ".join(CV_THRESHOLDS) + "`. Ratios (of medians): > 1× means TopicKit is "
                 + "better (faster, smaller, or more accurate). TopicKit's CPU seconds are the whole `topics train` "
                 + "process; the peers' are their vectorize + fit phase (process CPU, all threads). Tag: the process row is "
                 + "`topics tag TEST --model M --output P` as a user runs it (model load, read, JSON Lines output "
                 + "included); the in-memory row is `topickit-bench tag M TEST` (`TopicModel.results(for:)` on papers "
                 + "already read, median of 3), the work the peers' tag figures time.")


def cluster_task(args, limit, work):
    source = limited_corpus(args.corpus, limit, work)
    ours = Runs.collect(args.repeat, lambda: topickit_cluster(source, work))
    sk = Runs.collect(args.slow_repeat, lambda: peer("sklearn_cluster.py", args.corpus, limit))
    for r in sk.results:
        r["seconds"] = r["vectorize_seconds"] + r["svd_seconds"] + r["kmeans_seconds"]
        r["cpu_seconds"] = r["vectorize_cpu_seconds"] + r["svd_cpu_seconds"] + r["kmeans_cpu_seconds"]
    rows = []
    for name, key, key_peer, digits, better in [
            ("wall s (TF-IDF + SVD-128 + k-means k=50)", "seconds", "seconds", 2, False),
            ("CPU s", "cpu_seconds", "cpu_seconds", 1, False),
            ("inertia (normalised LSA space)", "inertia", "inertia", 2, False),
            ("NMI vs primary category", "nmi", "nmi", 4, True),
            ("peak memory MB", "peak_memory_mb", "process_peak_memory_mb", 0, False)]:
        rows.append([name, ours.cell(key, digits), sk.cell(key_peer, digits),
                     ratio(ours.median(key), sk.median(key_peer), better)])
    rows.append(runs_row(ours, sk) + [""])
    return table("Cluster: TF-IDF → LSA 128 → k-means k=50, n_init=1", ["", "TopicKit", "scikit-learn", "ratio"], rows,
                 "TopicKit: `topics cluster CORPUS " + " ".join(CLUSTER) + "`; scikit-learn: bench/peers/sklearn_cluster.py "
                 "(its three phases summed; reading the corpus excluded).") + "\n" + kmeans_gemm_table(args, source, sk)


def kmeans_gemm_table(args, source, sk):
    """The k-means step against the GEMMs it performed (`topickit-bench kmeans`), and scikit-learn's k-means time."""
    km = Runs.collect(args.repeat, lambda: json.loads(timed([BENCH, "kmeans", source]).stdout))
    log(f"topickit-bench kmeans: {km.results}")
    rows = [["k-means s (seeding + Lloyd)", km.cell("kmeans_seconds", 3), sk.cell("kmeans_seconds", 2),
             ratio(km.median("kmeans_seconds"), sk.median("kmeans_seconds"), False)],
            ["Lloyd iterations", km.cell("iterations", 0), sk.cell("kmeans_iterations", 0), ""],
            ["GEMMs of full Lloyd passes alone (every row, same passes), s", km.cell("full_pass_gemm_seconds", 3), "—", ""],
            ["k-means / full-pass GEMMs (target ≤ 3×)", km.cell("kmeans_to_full_pass_gemm_ratio", 2), "—", ""],
            ["the GEMMs k-means performed alone (rows its bounds did not skip), s", km.cell("gemm_seconds", 3), "—", ""],
            ["k-means / performed GEMMs", km.cell("kmeans_to_gemm_ratio", 2), "—", ""],
            ["performed GEMMs, GFLOP/s", km.cell("gemm_gflops", 1), "—", ""],
            ["k-means GFLOP/s (performed GEMM flops / k-means time)", km.cell("kmeans_gflops", 1), "—", ""],
            runs_row(km, sk) + [""]]
    return table("Cluster: the k-means step against its GEMMs", ["", "TopicKit", "scikit-learn", "ratio"], rows,
                 "`topickit-bench kmeans CORPUS` builds the LSA matrix as `topics cluster` does and runs the same k-means "
                 "(k=50, n_init 1, seed 0). It then times straight single-threaded `cblas_sgemm` calls, spread over the "
                 "cores as k-means spreads them: first the distance GEMMs of plain Lloyd passes (every row × the k centres, "
                 "one per 256-row block, as many passes as the run made), then only the GEMMs the run performed (the rows "
                 "whose Hamerly bounds did not prove their assignment). Seeding uses no GEMM.")


def parse_task(args, limit):
    p = Runs.collect(args.repeat, lambda: json.loads(timed([BENCH, "vectorize", args.corpus] + ([str(limit)] if limit else [])).stdout))
    for r in p.results:
        r["parse_papers_per_second"] = r["parsed_papers"] / r["parse_seconds"]
        r["parse_mb_per_second"] = r["megabytes"] / r["parse_seconds"]
        r["vectorize_papers_per_second"] = r["papers"] / r["vectorize_seconds"]
    return table(f"Parse and vectorize (TopicKit, median of {p.count} run(s))", ["stage", "seconds", "papers/s", "MB/s"], [
        ["parse (whole file)", p.cell("parse_seconds"), p.cell("parse_papers_per_second", 0), p.cell("parse_mb_per_second", 1)],
        ["TF-IDF fit+transform (1–2 grams, min_df 5)", p.cell("vectorize_seconds"), p.cell("vectorize_papers_per_second", 0), "—"]])


def git_commit():
    def git(*a):
        return subprocess.run(["git", "-C", ROOT] + list(a), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout.strip()
    commit = git("rev-parse", "--short=12", "HEAD") or "unknown"
    return commit + (" (with uncommitted changes)" if git("status", "--porcelain", "--untracked-files=no") else "")


def blas_in_use():
    """The BLAS library the `topics` binary loads (through the alternatives symlinks to the real file)."""
    out = subprocess.run(["ldd", TOPICS], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout
    found = []
    for name, path in re.findall(r"^\s*(lib\w*blas\S*) => (\S+)", out, re.M):
        real = os.path.realpath(path)
        found.append(f"{name} → {real}" if real != path else path)
    return "; ".join(found) or "unknown"


def machine():
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return {"cores": os.cpu_count(), "cpu": cpu, "blas": blas_in_use(), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "python": platform.python_version(), "commit": git_commit(), "load": "%.1f %.1f %.1f" % os.getloadavg()}


def interrupted(number, frame):
    raise KeyboardInterrupt(f"signal {number}")


def main():
    signal.signal(signal.SIGTERM, interrupted)  # so the temporary folder is removed and measured programs end
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=DEFAULT_CORPUS)
    parser.add_argument("--quick", action="store_true",
                        help="first 10,000 papers, one run each, scaling at 2,500 and 10,000 papers")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of the fast measurements: TopicKit same-work classify, cluster, parse (median reported)")
    parser.add_argument("--slow-repeat", type=int, default=1,
                        help="runs of the slow ones: scikit-learn, fastText, TopicKit with CV thresholds (median reported)")
    parser.add_argument("--tasks", default=ALL_TASKS)
    parser.add_argument("--classify-sizes", default="10000,80000,320000,1000000",
                        help="scaling sizes for classify (1M only runs when the budget allows it)")
    parser.add_argument("--cluster-sizes", default="10000,80000,320000,1000000", help="scaling sizes for cluster")
    parser.add_argument("--timeout", type=float, default=600, help="time limit of each scaling run, seconds")
    parser.add_argument("--memory-cap-mb", type=float, default=8192,
                        help="resident-memory cap of each scaling run (above the 6 GB target of issue #4)")
    parser.add_argument("--budget-minutes", type=float, default=19,
                        help="scaling sizes that would end the bench later than this (from its start) are skipped")
    parser.add_argument("--out", help="default: bench/RESULTS.md (bench/RESULTS-quick.md with --quick)")
    args = parser.parse_args()
    args.out = args.out or os.path.join(HERE, "RESULTS-quick.md" if args.quick else "RESULTS.md")
    limit = None
    classify_sizes = [int(s) for s in args.classify_sizes.split(",") if s]
    cluster_sizes = [int(s) for s in args.cluster_sizes.split(",") if s]
    seeds = [0, 1, 2, 3, 4]
    if args.quick:
        limit, args.repeat, args.slow_repeat, args.budget_minutes = 10000, 1, 1, 10
        classify_sizes = cluster_sizes = [2500, 10000]
        seeds = [0]
    tasks = args.tasks.split(",")
    for binary in (TOPICS, BENCH):
        if not os.path.exists(binary):
            sys.exit(f"bench: {binary} is missing: run `swift build -c release` first (make bench does)")
    started = time.perf_counter()
    budget = Budget(started + 60 * args.budget_minutes, args.timeout, args.memory_cap_mb)
    m = machine()
    report = [f"# TopicKit benchmark — {m['date']}", "",
              f"Machine: {m['cores']} cores, {m['cpu']}; BLAS in use: {m['blas']}; Python {m['python']}; "
              f"load average at start {m['load']}.",
              f"Commit: `{m['commit']}`. Corpus: `{os.path.relpath(args.corpus, ROOT)}`"
              + (f" (first {limit} papers)" if limit else "")
              + f". Runs: TopicKit same-work classify, cluster and parse {args.repeat}×; scikit-learn, fastText and "
              + f"TopicKit CV thresholds {args.slow_repeat}×; medians, min–max in small print. Reproduce: `make bench`" + (" (`make bench-quick`)" if limit else "") + ".", ""]
    timings = []
    work = tempfile.mkdtemp(prefix="topickit-bench-")
    try:
        for task in tasks:
            t0 = time.perf_counter()
            log(f"task {task}")
            try:
                if task == "gemm":
                    g = json.loads(timed([BENCH, "gemm"]).stdout)
                    report.append(table("The machine's limit: single-precision GEMM through the linked BLAS",
                                        ["shape (m×n×k)", "GFLOP/s"], [[s["shape"], s["gflops"]] for s in g["shapes"]]))
                elif task == "parse":
                    report.append(parse_task(args, limit))
                elif task == "classify":
                    report.append(classify_task(args, limit, work))
                elif task == "cluster":
                    report.append(cluster_task(args, limit, work))
                elif task == "quality":
                    report.append(run_quality(TOPICS, ROOT, work, [4, 8, 12], seeds))
                elif task == "scaling":
                    report.append(run_scaling(TOPICS, args.corpus, work, classify_sizes, cluster_sizes,
                                              SAME_WORK, CLUSTER, budget, log))
                else:
                    sys.exit(f"bench: unknown task {task} (tasks: {ALL_TASKS})")
            except CommandFailed as failure:
                log(f"task {task} failed: {failure}\n{failure.stderr[-2000:]}")
                report.append(f"### {task}\n\nFailed: {failure}\n")
            timings.append(f"{task} {time.perf_counter() - t0:.0f} s")
            log(timings[-1])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    total = time.perf_counter() - started
    report.append(f"Bench duration: {total / 60:.1f} min ({', '.join(timings)}).\n")
    text = "\n".join(report)
    print(text)
    write_atomically(args.out, text)


if __name__ == "__main__":
    main()
