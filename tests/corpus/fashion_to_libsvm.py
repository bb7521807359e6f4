#!/usr/bin/env python3
"""Writes Fashion-MNIST samples of two classes in libsvm's sparse format.
usage: fashion_to_libsvm.py <fashion-mnist dir> <count> <out file> [class_a class_b]"""
import gzip, struct, sys

def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, n = struct.unpack(">II", data[:8])
    if magic == 0x801:
        return n, data[8:], 1
    rows, cols = struct.unpack(">II", data[8:16])
    return n, data[16:], rows * cols

src, count, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
a, b = (int(sys.argv[4]), int(sys.argv[5])) if len(sys.argv) > 5 else (0, 1)
n, labels, _ = idx(f"{src}/train-labels-idx1-ubyte.gz")
_, pixels, size = idx(f"{src}/train-images-idx3-ubyte.gz")
written = 0
with open(out, "w") as f:
    for k in range(n):
        if labels[k] not in (a, b):
            continue
        img = pixels[k * size:(k + 1) * size]
        feats = " ".join(f"{j + 1}:{v / 255:.4g}" for j, v in enumerate(img) if v)
        f.write(f"{1 if labels[k] == a else -1} {feats}\n")
        written += 1
        if written == count:
            break
print(f"{written} samples of classes {a} and {b} -> {out}")
