#!/usr/bin/env python3
"""scikit-learn clustering on the Data/ dumps: NMI and ARI against the hand-made tag sets.

    python3 bench/peers/sklearn_cluster_quality.py PAPERS.jsonl LABELS.tsv --k 4,8,12 --seeds 0,1,2 [--dims 128]

PAPERS.jsonl is `topics parse Data/dumps/*.txt` output (id, title, abstract); LABELS.tsv is Data/labels.tsv
(title<TAB>tags), joined by title key (lower-case letters and digits only, as TopicKit's TitleKey). A paper's
class is its whole tag set, e.g. "compression,transformers" ("-" when it has none).
Pipeline: TfidfVectorizer with TopicKit's clustering defaults (1–2 grams, English stop words, min_df=2,
max_df=0.5, sublinear_tf) + TruncatedSVD(dims, capped below the matrix's smaller side) + Normalizer +
KMeans(k, n_init=4, the `topics cluster` default). Prints one JSON object: per k and seed, NMI and ARI.
"""
import argparse
import json
import unicodedata

from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
from sklearn.preprocessing import Normalizer


def title_key(title):
    """TopicKit's TitleKey.normalize: NFC, lower-case, letters and digits only."""
    return "".join(c for c in unicodedata.normalize("NFC", title).lower() if c.isalpha() or c.isnumeric())


def read_tag_sets(path):
    """{title key: class}: the sorted tags joined by ',' or '-' for none."""
    classes = {}
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip():
                continue
            title, _, tags = line.partition("\t")
            if number == 1 and title.lower() == "title":
                continue
            found = sorted(t.strip() for t in tags.split(",") if t.strip() and t.strip() != "-")
            classes[title_key(title)] = ",".join(found) if found else "-"
    return classes


def labelled_papers(papers_path, labels_path):
    """[(id, text, class)] for the papers whose title is in the label table, in file order."""
    classes = read_tag_sets(labels_path)
    rows = []
    with open(papers_path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                p = json.loads(line)
                key = title_key(p.get("title") or "")
                if key in classes:
                    rows.append((p["id"], (p.get("title") or "") + "\n" + (p.get("abstract") or ""), classes[key]))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("papers")
    parser.add_argument("labels")
    parser.add_argument("--k", default="4,8,12")
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--dims", type=int, default=128)
    args = parser.parse_args()
    rows = labelled_papers(args.papers, args.labels)
    truth = [c for _, _, c in rows]
    x = TfidfVectorizer(ngram_range=(1, 2), stop_words="english", min_df=2, max_df=0.5,
                        sublinear_tf=True).fit_transform([t for _, t, _ in rows])
    dims = min(args.dims, min(x.shape) - 1)
    runs = []
    for seed in (int(s) for s in args.seeds.split(",")):
        reduced = Normalizer(copy=False).fit_transform(TruncatedSVD(dims, random_state=seed).fit_transform(x))
        for k in (int(v) for v in args.k.split(",")):
            found = KMeans(k, n_init=4, random_state=seed).fit(reduced).labels_
            runs.append({"k": k, "seed": seed, "nmi": float(normalized_mutual_info_score(truth, found)),
                         "ari": float(adjusted_rand_score(truth, found))})
    print(json.dumps({"peer": f"scikit-learn TfidfVectorizer + TruncatedSVD({dims}) + Normalizer + KMeans(n_init=4)",
                      "papers": len(rows), "classes": len(set(truth)), "features": x.shape[1], "dims": dims,
                      "runs": runs}))


if __name__ == "__main__":
    main()
