"""scikit-learn side of the clustering benchmark, on the matrix written by cluster_synthetic.py.

TruncatedSVD(128, randomized, n_iter=5, n_oversamples=10) -> L2 rows -> KMeans(k, n_init=1, lloyd).
If the TopicKit benchmark (bench/cluster_bench) already wrote embedding.f32 / sigma.txt in DIR, also runs
scikit-learn's KMeans on TopicKit's embedding, for an inertia comparison on identical input.

usage: python3 bench/cluster_sklearn.py DIR [k]
"""
import os
import sys
import time

import numpy as np
import scipy.sparse as sp
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_info

d = sys.argv[1]
k = int(sys.argv[2]) if len(sys.argv) > 2 else 50
rows, cols, nnz = map(int, open(os.path.join(d, "shape.txt")).read().split())
x = sp.csr_matrix((np.fromfile(os.path.join(d, "data.f32"), dtype=np.float32),
                   np.fromfile(os.path.join(d, "indices.i32"), dtype=np.int32),
                   np.fromfile(os.path.join(d, "indptr.i64"), dtype=np.int64)), shape=(rows, cols))
print(f"matrix {rows} x {cols}, nnz {x.nnz}; BLAS: {[i.get('internal_api') for i in threadpool_info()]}")
t = time.time()
svd = TruncatedSVD(128, algorithm="randomized", n_iter=5, n_oversamples=10, random_state=0)
emb = svd.fit_transform(x)
t_svd = time.time() - t
print(f"sklearn TruncatedSVD(128): {t_svd:.2f} s, sum sigma^2 = {np.sum(svd.singular_values_.astype(np.float64) ** 2):.4f}, "
      f"sigma1 = {svd.singular_values_[0]:.4f}, sigma128 = {svd.singular_values_[127]:.4f}")
emb = normalize(emb)
t = time.time()
km = KMeans(k, n_init=1, random_state=0).fit(emb)
t_km = time.time() - t
print(f"sklearn KMeans(k={k}, n_init=1) on its own embedding: {t_km:.3f} s, {km.n_iter_} iterations, inertia {km.inertia_:.4f}")
print(f"sklearn end to end (SVD + normalise + KMeans): {t_svd + t_km:.2f} s")
path = os.path.join(d, "embedding.f32")
if os.path.exists(path):
    ours = np.fromfile(path, dtype=np.float32).reshape(rows, -1)
    sigma = np.loadtxt(os.path.join(d, "sigma.txt"))
    print(f"TopicKit sum sigma^2 = {np.sum(sigma ** 2):.4f} (sklearn/TopicKit captured-variance ratio "
          f"{np.sum(svd.singular_values_.astype(np.float64) ** 2) / np.sum(sigma ** 2):.5f})")
    t = time.time()
    km2 = KMeans(k, n_init=1, random_state=0).fit(ours)
    print(f"sklearn KMeans(k={k}, n_init=1) on TopicKit's embedding: {time.time() - t:.3f} s, {km2.n_iter_} iterations, "
          f"inertia {km2.inertia_:.4f}")
    labels = np.fromfile(os.path.join(d, "labels.i32"), dtype=np.int32)
    centers = np.stack([ours[labels == c].mean(axis=0) if np.any(labels == c) else np.zeros(ours.shape[1]) for c in range(k)])
    print(f"TopicKit labels' inertia recomputed in float64: {np.sum((ours - centers[labels]) ** 2):.4f}")
