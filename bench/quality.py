"""Cluster-quality task of bench/run.py (issue #4): agreement of the clusters with the Data/ tag sets.

TopicKit runs as a user would (`topics cluster Data/dumps/*.txt -k K --seed S`, every other option at its
default: 128 dims, n_init 4); scikit-learn runs bench/peers/sklearn_cluster_quality.py on the same papers
(`topics parse` output) with the same TF-IDF settings, dims and n_init. Both are scored with scikit-learn's
NMI and ARI against each paper's tag set as one class; the table gives the mean over the seeds.
"""
import glob
import json
import os
import statistics
import sys

from measure import ratio, table, timed

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "peers"))
from sklearn_cluster_quality import labelled_papers  # noqa: E402


def spread(values):
    m = statistics.mean(values)
    text = f"{m:.3f}"
    if len(values) > 1 and min(values) != max(values):
        text += f" <sub>{min(values):.3f}–{max(values):.3f}</sub>"
    return m, text


def run_quality(topics, root, work, ks, seeds, dims=128):
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
    dumps = sorted(glob.glob(os.path.join(root, "Data", "dumps", "*.txt")))
    labels = os.path.join(root, "Data", "labels.tsv")
    papers = os.path.join(work, "data-papers.jsonl")
    timed([topics, "parse"] + dumps + ["--output", papers])
    rows = labelled_papers(papers, labels)
    truth = {pid: c for pid, _, c in rows}
    peer = json.loads(timed([sys.executable, os.path.join(HERE, "peers", "sklearn_cluster_quality.py"), papers, labels,
                             "--k", ",".join(map(str, ks)), "--seeds", ",".join(map(str, seeds)),
                             "--dims", str(dims)]).stdout.strip().splitlines()[-1])
    ours = []
    out = os.path.join(work, "data-clusters.jsonl")
    for seed in seeds:
        for k in ks:
            timed([topics, "cluster"] + dumps + ["-k", str(k), "--seed", str(seed), "--dims", str(dims), "--output", out])
            found = {}
            with open(out, encoding="utf-8") as f:
                for line in f:
                    row = json.loads(line)
                    found[row["id"]] = row["cluster"]
            ids = [pid for pid in truth if pid in found]
            y, c = [truth[i] for i in ids], [found[i] for i in ids]
            ours.append({"k": k, "seed": seed, "nmi": float(normalized_mutual_info_score(y, c)),
                         "ari": float(adjusted_rand_score(y, c)), "papers": len(ids)})
    os.remove(out)
    result_rows = []
    for k in ks:
        row = [k]
        for metric in ("nmi", "ari"):
            m_ours, t_ours = spread([r[metric] for r in ours if r["k"] == k])
            m_sk, t_sk = spread([r[metric] for r in peer["runs"] if r["k"] == k])
            row += [t_ours, t_sk, ratio(m_ours, m_sk, higher_is_better=True)]
        result_rows.append(row)
    scored = ours[0]["papers"] if ours else 0
    note = (f"{scored} of {len(truth)} labelled papers scored ({peer['papers']} for scikit-learn), "
            f"{peer['classes']} distinct tag sets as classes (`-` = no tag). Mean over seeds {', '.join(map(str, seeds))} "
            f"(min–max in small print). TopicKit: `topics cluster Data/dumps/*.txt -k K --seed S --dims {dims}` "
            f"(defaults otherwise: n_init 4, TF-IDF 1–2 grams, English stop words, min_df 2, max_df 0.5, sublinear tf). "
            f"scikit-learn: {peer['peer']}, same TF-IDF settings ({peer['features']} features), TruncatedSVD and KMeans "
            f"random_state = seed. Ratio > 1× means TopicKit agrees better with the tags.")
    return table("Cluster quality on Data/ (issue #4): agreement with the hand-made tag sets",
                 ["k", "TopicKit NMI", "scikit-learn NMI", "NMI ratio", "TopicKit ARI", "scikit-learn ARI", "ARI ratio"],
                 result_rows, note)
