#!/usr/bin/env python3
"""Checks that Python's safetensors/NumPy read a TopicKit model bundle unchanged.

    TOPICKIT_SAMPLE_BUNDLE=/tmp/sample-bundle swift test --filter ModelTests/testSampleBundleForPython
    python3 bench/peers/check_bundle.py /tmp/sample-bundle

Needs `pip install safetensors numpy`. Exits non-zero on any mismatch.
"""
import json
import sys

import numpy as np
from safetensors.numpy import load_file


def main() -> None:
    bundle = sys.argv[1] if len(sys.argv) > 1 else "/tmp/sample-bundle"
    tensors = load_file(f"{bundle}/model.safetensors")
    with open(f"{bundle}/config.json", encoding="utf-8") as f:
        config = json.load(f)
    with open(f"{bundle}/vocab.txt", encoding="utf-8") as f:
        vocab = f.read().split("\n")[:-1]

    expected = {
        "idf": np.array([1, 1.5, 2.25, 0.125], dtype=np.float32),
        "weights": (np.arange(8, dtype=np.float32) * 0.5 - 1).reshape(4, 2),
        "labels": np.array([3, -1], dtype=np.int32),
        "counts": np.array([1 << 40], dtype=np.int64),
        "scale": np.array(0.1, dtype=np.float64),
    }
    assert sorted(tensors) == sorted(expected), sorted(tensors)
    for name, want in expected.items():
        got = tensors[name]
        assert got.dtype == want.dtype and got.shape == want.shape, (name, got.dtype, got.shape)
        assert np.array_equal(got, want), (name, got, want)
    assert config["format_version"] == 1 and config["vocab_size"] == len(vocab) == 4, config
    assert vocab == ["attention", "kv cache", "naïve", "über"], vocab
    assert config["seed"] == 2**63 - 1 and config["options"]["tags"] == ["nas", "kv-cache"], config
    print(json.dumps({"ok": True, "tensors": {k: [str(v.dtype), list(v.shape)] for k, v in sorted(tensors.items())}}))


if __name__ == "__main__":
    main()
