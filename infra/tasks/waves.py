#!/usr/bin/env python3
"""Writes the example task's data (infra/tasks/waves.yaml) offline: noisy sine waves of 3 frequencies.

train.csv (300 rows) and test.csv (90 rows) in infra/tasks/waves/: 64 columns t0..t63, one wave each, and the
column label (0, 1 or 2: the frequency). Plain Python, seeded: the same files on every machine.
"""
import math
import os
import random

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "waves")
os.makedirs(here, exist_ok=True)
rng = random.Random(0)
for name, rows in (("train.csv", 300), ("test.csv", 90)):
    with open(os.path.join(here, name), "w") as f:
        f.write(",".join("t%d" % j for j in range(64)) + ",label\n")
        for i in range(rows):
            label = i % 3
            phase = rng.uniform(0, 2 * math.pi)
            wave = [math.sin(2 * math.pi * (label + 1) * j / 64 + phase) + rng.gauss(0, 0.3) for j in range(64)]
            f.write(",".join("%.5f" % v for v in wave) + ",%d\n" % label)
print("wrote %s/train.csv (300 rows) and test.csv (90 rows)" % here)
