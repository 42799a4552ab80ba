#!/usr/bin/env python3
"""scikit-learn clustering peer: TF-IDF + LSA (TruncatedSVD 128, normalised) + k-means (k=50).

    python3 bench/peers/sklearn_cluster.py [CORPUS] [--limit N]

Prints one JSON object: vectorize, SVD and k-means wall times, inertia in the normalised LSA space,
NMI against each paper's primary (first listed) category (papers without categories excluded),
peak memory (ru_maxrss).
Each *_cpu_seconds is the process CPU time (all threads) of the same phase: on a shared
machine it is steadier than wall time. Uses the same TfidfVectorizer settings as sklearn_classify.py.
"""
import json
import time

from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import normalized_mutual_info_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import Normalizer

from corpus import arguments, peak_memory_mb, read_papers


def main():
    args = arguments(__doc__.splitlines()[0])
    papers = read_papers(args.corpus, args.limit)

    start, cpu_start = time.perf_counter(), time.process_time()
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), stop_words="english", min_df=5, max_df=0.5, sublinear_tf=True)
    x = vectorizer.fit_transform([p["text"] for p in papers])
    vectorize_seconds = time.perf_counter() - start
    vectorize_cpu_seconds = time.process_time() - cpu_start

    start, cpu_start = time.perf_counter(), time.process_time()
    lsa = make_pipeline(TruncatedSVD(128, random_state=0), Normalizer(copy=False))
    reduced = lsa.fit_transform(x)
    svd_seconds = time.perf_counter() - start
    svd_cpu_seconds = time.process_time() - cpu_start

    start, cpu_start = time.perf_counter(), time.process_time()
    kmeans = KMeans(n_clusters=50, n_init=1, random_state=0).fit(reduced)
    kmeans_seconds = time.perf_counter() - start
    kmeans_cpu_seconds = time.process_time() - cpu_start

    with_category = [i for i, p in enumerate(papers) if p["categories"]]
    nmi = normalized_mutual_info_score([papers[i]["categories"][0] for i in with_category],
                                       kmeans.labels_[with_category])
    print(json.dumps({
        "peer": "scikit-learn TfidfVectorizer + TruncatedSVD(128, random_state=0) + Normalizer + "
                "KMeans(50, n_init=1, random_state=0)",
        "papers": len(papers), "features": x.shape[1], "nmi_papers": len(with_category),
        "vectorize_seconds": round(vectorize_seconds, 2),
        "vectorize_cpu_seconds": round(vectorize_cpu_seconds, 2),
        "svd_seconds": round(svd_seconds, 2),
        "svd_cpu_seconds": round(svd_cpu_seconds, 2),
        "kmeans_seconds": round(kmeans_seconds, 2),
        "kmeans_cpu_seconds": round(kmeans_cpu_seconds, 2),
        "kmeans_iterations": int(kmeans.n_iter_),
        "inertia": round(float(kmeans.inertia_), 2),
        "nmi": round(float(nmi), 4),
        "peak_memory_mb": peak_memory_mb(),
    }))


if __name__ == "__main__":
    main()
