"""Compact storage of the normalized-to-source offset map.

The map is mostly runs where both offsets advance by one; it is stored as
``[[norm_start, source_start, length], ...]`` which is a few hundred numbers
for a 100k-character document instead of 100k.
"""

from __future__ import annotations


def compress(offsets: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for i, src in enumerate(offsets):
        if runs:
            n0, s0, length = runs[-1]
            if i == n0 + length and src == s0 + length:
                runs[-1][2] += 1
                continue
        runs.append([i, src, 1])
    return runs


def expand(runs: list[list[int]]) -> list[int]:
    out: list[int] = []
    for n0, s0, length in runs:
        if n0 != len(out):
            raise ValueError("offset runs are not contiguous")
        out.extend(range(s0, s0 + length))
    return out
