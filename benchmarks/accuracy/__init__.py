"""Accuracy of the periodic table: precision, recall and F1 of every element, and fingerprints.

    python -m benchmarks.accuracy            # full run (fixtures, variants, hand-written set)
    python -m benchmarks.accuracy --quick    # smoke test: a few elements, no fingerprint corpora

See docs/accuracy.md for how findings are counted, the targets and the known blind spots.
"""
