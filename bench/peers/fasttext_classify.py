#!/usr/bin/env python3
"""fastText multi-label classification peer: supervised, one-vs-all loss, word bigrams.

    python3 bench/peers/fasttext_classify.py [CORPUS] [--limit N]

Prints one JSON object: split sizes, train wall time (writing the training file + fit), tag wall time
and papers/s on the test split, micro/macro-F1 (labels with probability >= 0.5), peak memory.
Each *_cpu_seconds is the process CPU time (all threads) of the same phase: on a shared
machine it is steadier than wall time.
Needs the `fasttext-wheel` package.
"""
import json
import os
import re
import tempfile
import time

import fasttext
import numpy as np

from corpus import arguments, classification_split, f1_scores, peak_memory_mb, read_papers

TOKEN = re.compile(r"\w+|[^\w\s]")


def normalize(text):
    """Lower-case, punctuation split off, one line (fastText splits on whitespace only)."""
    return " ".join(TOKEN.findall(text.lower()))


def main():
    args = arguments(__doc__.splitlines()[0])
    papers = read_papers(args.corpus, args.limit)
    labels, train, test = classification_split(papers)
    index = {label: i for i, label in enumerate(labels)}

    start, cpu_start = time.perf_counter(), time.process_time()
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        for p in train:
            tags = " ".join("__label__" + c for c in p["categories"] if c in index)
            f.write(f"{tags} {normalize(p['text'])}\n")
        train_path = f.name
    try:
        model = fasttext.train_supervised(input=train_path, loss="ova", thread=2, wordNgrams=2, verbose=0)
    finally:
        os.unlink(train_path)
    train_seconds = time.perf_counter() - start
    train_cpu_seconds = time.process_time() - cpu_start

    start, cpu_start = time.perf_counter(), time.process_time()
    lines = [normalize(p["text"]) + "\n" for p in test]
    # fasttext-wheel 0.9.2's Python `predict` calls np.array(..., copy=False), which NumPy 2 rejects;
    # the underlying binding `model.f.multilinePredict` returns plain lists and works with any NumPy.
    predicted_labels, _ = model.f.multilinePredict(lines, -1, 0.5, "strict")
    tag_seconds = time.perf_counter() - start
    tag_cpu_seconds = time.process_time() - cpu_start

    y_true = np.zeros((len(test), len(labels)), dtype=np.int8)
    y_pred = np.zeros_like(y_true)
    for row, (p, predicted) in enumerate(zip(test, predicted_labels)):
        for c in p["categories"]:
            if c in index:
                y_true[row, index[c]] = 1
        for label in predicted:
            y_pred[row, index[label[len("__label__"):]]] = 1

    micro, macro = f1_scores(y_true, y_pred)
    print(json.dumps({
        "peer": "fastText supervised (loss=ova, wordNgrams=2, thread=2, other settings default)",
        "papers": len(papers), "labels": len(labels), "train_papers": len(train), "test_papers": len(test),
        "train_seconds": round(train_seconds, 2),
        "train_cpu_seconds": round(train_cpu_seconds, 2),
        "tag_seconds": round(tag_seconds, 2),
        "tag_cpu_seconds": round(tag_cpu_seconds, 2),
        "tag_papers_per_second": round(len(test) / tag_seconds, 1),
        "micro_f1": micro, "macro_f1": macro,
        "peak_memory_mb": peak_memory_mb(),
    }))


if __name__ == "__main__":
    main()
