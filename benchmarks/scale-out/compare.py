"""Compares a joined output (shards, Spark parts) with a single zhibiao run: the same rows,
as a multiset (sorted), since a sharded run does not keep the single run's order.

    python3 compare.py LABEL csv|jsonl JOINED SINGLE

Prints one line, PASS or FAIL with the row counts, and exits 0 or 1.
CSV is parsed as CSV (a quoted field may hold a line break), JSON Lines one object a line.
"""
import collections
import csv
import json
import sys

# The header's first fields; the rest (the columns after them) is taken from the single
# run's header, so that adding a column does not break the comparison.
HEADER_START = ("file", "line", "column", "match", "value", "value_max")


def read_rows(path: str, fmt: str, header: tuple | None = None) -> tuple[list, str]:
    """The rows of the file, and a problem with its shape (a missing or doubled header).
    `header`: the header the file must start with (by default any that starts as zhibiao's)."""
    with open(path, encoding="utf-8", newline="") as f:
        if fmt == "csv":
            records = [tuple(r) for r in csv.reader(f)]
            first = records[0] if records else ()
            if first[:len(HEADER_START)] != HEADER_START or (header is not None and first != header):
                return records, "does not start with the header"
            rows = records[1:]
            if first in rows:
                return rows, "holds the header again inside"
            return rows, ""
        rows = []
        for number, line in enumerate(f, 1):
            if not line.strip():
                return rows, f"line {number} is empty"
            obj = json.loads(line)
            rows.append(json.dumps(obj, sort_keys=True, ensure_ascii=False))
        return rows, ""


def main() -> int:
    label, fmt, joined_path, single_path = sys.argv[1:5]
    single, single_problem = read_rows(single_path, fmt)
    header = None
    if fmt == "csv":
        with open(single_path, encoding="utf-8", newline="") as f:
            header = tuple(next(csv.reader(f), ()))
    joined, joined_problem = read_rows(joined_path, fmt, header)
    with open(joined_path, "rb") as a, open(single_path, "rb") as b:
        identical = a.read() == b.read()
    same = collections.Counter(joined) == collections.Counter(single)
    ok = same and not joined_problem and not single_problem and len(single) > 0
    detail = f"{len(joined):,} rows joined, {len(single):,} rows in the single run"
    if identical:
        detail += ", byte-identical"
    elif same:
        detail += ", same rows in another order"
    else:
        missing = collections.Counter(single) - collections.Counter(joined)
        extra = collections.Counter(joined) - collections.Counter(single)
        detail += f", {sum(missing.values())} missing, {sum(extra.values())} extra"
    for name, problem in (("joined", joined_problem), ("single", single_problem)):
        if problem:
            detail += f"; the {name} file {problem}"
    print(f"{'PASS' if ok else 'FAIL'}  {label}: {detail}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
