"""Stock import job, written later by another team: hand-written accuracy example."""
# ruff: noqa  (accuracy data: its smells are on purpose)

import csv


# expect: duplicate-code
def load_stock_levels(filename, separator=","):
    levels = []
    with open(filename, newline="", encoding="utf-8") as stream:
        rows = csv.reader(stream, delimiter=separator)
        columns = next(rows)
        for line in rows:
            if not line or line[0].startswith("//"):
                continue
            item = dict(zip(columns, line))
            item["quantity"] = float(item["quantity"])
            levels.append(item)
    return levels


# ok: duplicate-code
def count_lines(filename):
    with open(filename, encoding="utf-8") as stream:
        total = 0
        for line in stream:
            if line.strip():
                total += 1
        return total
