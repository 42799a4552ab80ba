"""Writes the synthetic TF-IDF-like matrix used by the clustering benchmarks.

80,000 rows x 200,000 columns, ~100 distinct columns per row drawn from a Zipf-like (1/(rank+10))
distribution, values (1 + log tf) * idf, rows L2-normalised. Raw little-endian files in OUT:
indptr.i64, indices.i32, data.f32, shape.txt ("rows cols nnz").

usage: python3 bench/cluster_synthetic.py OUT [rows cols nnz_per_row]
"""
import os
import sys

import numpy as np

out = sys.argv[1]
rows = int(sys.argv[2]) if len(sys.argv) > 2 else 80_000
cols = int(sys.argv[3]) if len(sys.argv) > 3 else 200_000
per_row = int(sys.argv[4]) if len(sys.argv) > 4 else 100
rng = np.random.default_rng(0)
os.makedirs(out, exist_ok=True)

weights = 1.0 / (np.arange(cols) + 10.0)
cdf = np.cumsum(weights)
cdf /= cdf[-1]
# Topic structure: each row mixes draws from the global Zipf law and from one of 60 "topics"
# (a block of 3,000 columns), so there is something for LSA and k-means to find.
topics = rng.integers(0, 60, size=rows)
draws = int(per_row * 1.06)
glob = np.searchsorted(cdf, rng.random((rows, draws // 2)))
local = (topics[:, None] * 3000 + np.searchsorted(cdf[:3000] / cdf[2999], rng.random((rows, draws - draws // 2)))) % cols
cand = np.sort(np.concatenate([glob, local], axis=1), axis=1)
keep = np.ones_like(cand, dtype=bool)
keep[:, 1:] = cand[:, 1:] != cand[:, :-1]
counts = keep.sum(axis=1)
indptr = np.zeros(rows + 1, dtype=np.int64)
indptr[1:] = np.cumsum(counts)
indices = cand[keep].astype(np.int32)
df = np.bincount(indices, minlength=cols)
idf = np.log((1 + rows) / (1 + df)) + 1
tf = 1 + np.log(rng.geometric(0.6, size=indices.size))
data = (tf * idf[indices]).astype(np.float32)
norms = np.sqrt(np.add.reduceat(data.astype(np.float64) ** 2, indptr[:-1]))
data /= np.repeat(norms, counts).astype(np.float32)
indptr.tofile(os.path.join(out, "indptr.i64"))
indices.tofile(os.path.join(out, "indices.i32"))
data.tofile(os.path.join(out, "data.f32"))
np.save(os.path.join(out, "topics.npy"), topics)
with open(os.path.join(out, "shape.txt"), "w") as f:
    f.write(f"{rows} {cols} {indices.size}\n")
print(f"{rows} x {cols}, nnz {indices.size} ({indices.size / rows:.1f}/row)")
