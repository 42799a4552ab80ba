"""Shared corpus loading and split conventions for the peer benchmarks (scikit-learn, fastText).

Corpus: JSON Lines with `id`, `title`, `abstract`, `categories` (arXiv categories, may be empty).
A paper's text is its title and abstract joined by a newline. Test split: int(sha1(id), 16) % 5 == 0.
Labels: the categories with at least 300 papers in the whole corpus.
"""
import argparse
import hashlib
import json
import os
import resource
from collections import Counter

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_CORPUS = os.path.normpath(os.path.join(REPO_ROOT, "..", "shared", "data", "corpus", "arxiv-daily.jsonl"))
MIN_LABEL_PAPERS = 300


def arguments(description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("corpus", nargs="?", default=DEFAULT_CORPUS,
                        help="JSON Lines corpus (default: ../shared/data/corpus/arxiv-daily.jsonl from the repo root)")
    parser.add_argument("--limit", type=int, default=None, help="read only the first N papers")
    return parser.parse_args()


def read_papers(path, limit=None):
    papers = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if limit is not None and len(papers) >= limit:
                break
            if not line.strip():
                continue
            p = json.loads(line)
            papers.append({
                "id": p["id"],
                "text": (p.get("title") or "") + "\n" + (p.get("abstract") or ""),
                "categories": list(p.get("categories") or []),
            })
    return papers


def is_test(paper_id):
    return int(hashlib.sha1(paper_id.encode()).hexdigest(), 16) % 5 == 0


def classification_split(papers):
    """(labels, train, test): papers with at least one category, split by id hash."""
    counts = Counter(c for p in papers for c in set(p["categories"]))
    labels = sorted(c for c, n in counts.items() if n >= MIN_LABEL_PAPERS)
    with_categories = [p for p in papers if p["categories"]]
    train = [p for p in with_categories if not is_test(p["id"])]
    test = [p for p in with_categories if is_test(p["id"])]
    return labels, train, test


def peak_memory_mb():
    """The process's peak resident set size (ru_maxrss is in KiB on Linux)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def f1_scores(y_true, y_pred):
    """Micro- and macro-F1 over binary indicator matrices (labels with no positives and no
    predictions count as F1 0, as scikit-learn's default zero_division does with a warning)."""
    from sklearn.metrics import f1_score
    return (round(float(f1_score(y_true, y_pred, average="micro", zero_division=0)), 4),
            round(float(f1_score(y_true, y_pred, average="macro", zero_division=0)), 4))
