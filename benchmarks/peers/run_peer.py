#!/usr/bin/env python3
"""Runs one Python peer over a text file, line by line, for the macro benchmark.

    python run_peer.py chinese2digits FILE   # chinese2digits.takeNumberFromString per line
    python run_peer.py jionlp FILE           # jionlp.ner.extract_money per line (with parsing)

Prints one line: `<peer> <items found> <seconds>`, where seconds covers only the loop over
the lines (after the import and one warm-up call), so the peer's start-up is not counted
against it. zhibiao, on the other side, is timed as a whole process, start-up included.
"""
import sys
import time


def main():
    peer, path = sys.argv[1], sys.argv[2]
    lines = open(path, encoding="utf-8").read().splitlines()
    if peer == "chinese2digits":
        import chinese2digits

        def run(line):
            return len(chinese2digits.takeNumberFromString(line)["digitsStringList"])
    elif peer == "jionlp":
        from jionlp.algorithm.ner import extract_money

        def run(line):
            return len(extract_money(line, with_parsing=True))
    else:
        sys.exit("unknown peer: " + peer)
    run("涉及金额2004.5万元，纠纷化解率99.69%")
    start = time.perf_counter()
    found = 0
    for line in lines:
        if line:
            found += run(line)
    seconds = time.perf_counter() - start
    print("%s %d %.6f" % (peer, found, seconds))


if __name__ == "__main__":
    main()
