#!/usr/bin/env python3
"""Checks that Python's safetensors/NumPy read a TopicKit model bundle unchanged and consistently.

    python3 bench/peers/check_bundle.py [BUNDLE]      (default: Models/default; `make check-bundle`)

Loads model.safetensors with safetensors.numpy, then checks every tensor's dtype and shape against
config.json (vocab_size, tags, clusters) and vocab.txt. Needs `pip install safetensors numpy`.
Prints one JSON object; exits non-zero on any mismatch.
"""
import json
import os
import sys

import numpy as np
from safetensors.numpy import load_file

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main() -> None:
    bundle = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "Models", "default")
    tensors = load_file(os.path.join(bundle, "model.safetensors"))
    with open(os.path.join(bundle, "config.json"), encoding="utf-8") as f:
        config = json.load(f)
    with open(os.path.join(bundle, "vocab.txt"), encoding="utf-8") as f:
        vocab = f.read().split("\n")[:-1]
    v = config["vocab_size"]
    assert config["format_version"] == 1 and v == len(vocab) == len(set(vocab)), (config["vocab_size"], len(vocab))
    expected = {"vectorizer.idf": [v]}
    if "tagger" in config["kinds"]:
        t = len(config["tags"])
        expected.update({"tagger.weight": [v, t], "tagger.bias": [t], "tagger.threshold": [t]})
        thresholds = [config["thresholds"][tag] for tag in config["tags"]]
        assert np.allclose(tensors["tagger.threshold"], thresholds), "thresholds differ between config.json and tensors"
    if "clusters" in config["kinds"]:
        k, d = config["clusters"]["k"], config["clusters"]["dims"]
        expected.update({"lsa.basis": [v, d], "lsa.singular_values": [d], "kmeans.centroids": [k, d]})
    assert sorted(tensors) == sorted(expected), (sorted(tensors), sorted(expected))
    for name, shape in expected.items():
        got = tensors[name]
        assert got.dtype == np.float32 and list(got.shape) == shape, (name, got.dtype, got.shape, shape)
        assert np.isfinite(got).all(), name
    print(json.dumps({"ok": True, "bundle": bundle,
                      "tensors": {k: [str(x.dtype), list(x.shape)] for k, x in sorted(tensors.items())}}))


if __name__ == "__main__":
    main()
