#!/usr/bin/env python3
"""scikit-learn multi-label classification peer: TF-IDF (1-2 grams) + one-vs-rest logistic regression.

    python3 bench/peers/sklearn_classify.py [CORPUS] [--limit N]

Prints one JSON object: split sizes, train wall time (vectorize + fit), tag wall time and papers/s
on the test split, micro/macro-F1 (threshold 0.5, i.e. `predict`), peak memory (ru_maxrss).
Each *_cpu_seconds is the process CPU time (all threads) of the same phase: on a shared
machine it is steadier than wall time.
"""
import json
import time

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import MultiLabelBinarizer

from corpus import arguments, classification_split, f1_scores, peak_memory_mb, read_papers


def main():
    args = arguments(__doc__.splitlines()[0])
    papers = read_papers(args.corpus, args.limit)
    labels, train, test = classification_split(papers)
    binarizer = MultiLabelBinarizer(classes=labels)
    # Categories outside the label set are ignored (MultiLabelBinarizer would warn about them).
    y_train = binarizer.fit_transform([[c for c in p["categories"] if c in labels] for p in train])
    y_test = binarizer.transform([[c for c in p["categories"] if c in labels] for p in test])

    start, cpu_start = time.perf_counter(), time.process_time()
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), stop_words="english", min_df=5, max_df=0.5, sublinear_tf=True)
    x_train = vectorizer.fit_transform([p["text"] for p in train])
    vectorize_seconds = time.perf_counter() - start
    vectorize_cpu_seconds = time.process_time() - cpu_start
    model = OneVsRestClassifier(LogisticRegression(C=10))
    model.fit(x_train, y_train)
    train_seconds = time.perf_counter() - start
    train_cpu_seconds = time.process_time() - cpu_start

    start, cpu_start = time.perf_counter(), time.process_time()
    predicted = model.predict(vectorizer.transform([p["text"] for p in test]))
    tag_seconds = time.perf_counter() - start
    tag_cpu_seconds = time.process_time() - cpu_start

    micro, macro = f1_scores(y_test, predicted)
    print(json.dumps({
        "peer": "scikit-learn TfidfVectorizer(1-2 grams) + OneVsRestClassifier(LogisticRegression(C=10))",
        "papers": len(papers), "labels": len(labels), "train_papers": len(train), "test_papers": len(test),
        "features": len(vectorizer.vocabulary_),
        "vectorize_seconds": round(vectorize_seconds, 2),
        "vectorize_cpu_seconds": round(vectorize_cpu_seconds, 2),
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
