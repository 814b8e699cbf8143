#!/usr/bin/env python3
"""Writes the input files of the macro benchmark (benchmarks/bench.sh) into a folder.

Deterministic: the same repository gives byte-identical files on every run and machine.
Only the Python standard library is used.

    python3 benchmarks/bench_data.py OUT_DIR [--large] [--scale F] [--corpus-real DIR]

Files written (MB = 10^6 bytes, times --scale; sizes are rounded up to whole copies or whole lines):

  ref-10MB.txt, ref-50MB.txt, ref-100MB.txt   the reference report repeated, copies joined by
  (ref-1GB.txt with --large)                  a newline (the report has no final newline)
  ref-50MB-split/part-NN.txt                  ref-50MB.txt cut into 16 files at copy boundaries
                                              (zhibiao runs files in parallel, not one file)
  corpus-real.txt                             ../shared/corpus-real/*.txt concatenated (sorted),
  corpus-real/                                and the same files as a folder, when present
  shape-long-line.txt                         ~50 MB on ONE line: the repeated report, newlines removed
  shape-dense.txt                             ~50 MB of quantities and little else
  shape-no-numbers.txt                        ~50 MB of report text with every digit and numeral removed
  one-line.txt                                one short report line (start-up time)
  slice-2MB.txt                               the first ~2 MB of ref-50MB.txt, cut at a line end (peers)

A line `name<TAB>bytes<TAB>path` per file goes to OUT_DIR/manifest.tsv.
"""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
REFERENCE = os.path.join(REPO, "corpus", "000_34359a9591d34247.txt")
MB = 1_000_000

# Characters that make a quantity: ASCII and full-width digits, and Chinese numerals
# (plain, financial, Traditional). shape-no-numbers.txt has none of them.
NUMERAL_CHARS = "0123456789０１２３４５６７８９零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬億兩"


def write_repeated(path, unit, target):
    """Writes copies of `unit` joined by newlines until at least `target` bytes."""
    copies = -(-target // (len(unit) + 1))
    block = (unit + b"\n") * min(copies, 256)
    written = 0
    with open(path, "wb") as f:
        left = copies
        while left > 0:
            n = min(left, 256)
            chunk = block if n == 256 else (unit + b"\n") * n
            f.write(chunk)
            written += len(chunk)
            left -= n
    return written


def dense_numbers(target):
    """Lines of quantities with short connecting words, from a fixed linear congruential
    sequence: Arabic and Chinese numerals, decimals, magnitudes, qualifiers, ranges."""
    units = ["元", "万元", "亿元", "%", "宗", "件", "人次", "名", "家", "项", "个", "吨", "公里", "平方米", "个百分点", "天"]
    words = ["共计", "增长", "受理", "完成", "达到", "超", "约", "累计", "新增", "下降", "实现", "覆盖"]
    chinese = ["一", "两", "三", "五", "十二", "三十五", "一百二十", "两千", "四万五千", "六百万", "一亿零五十"]
    seed = 20240601
    out = []
    size = 0
    line = []
    while size < target:
        seed = (seed * 1103515245 + 12345) & 0x7FFFFFFF
        r = seed >> 8
        word = words[r % len(words)]
        unit = units[(r >> 4) % len(units)]
        style = (r >> 9) % 6
        if style == 0:
            num = str(r % 100000)
        elif style == 1:
            num = "%d.%02d" % (r % 10000, r % 100)
        elif style == 2:
            num = chinese[(r >> 3) % len(chinese)]
        elif style == 3:
            num = "%d,%03d" % (r % 1000 + 1, r % 1000)
        elif style == 4:
            num = "%d余" % (r % 5000)
        else:
            num = "%d-%d" % (r % 300, r % 300 + 50)
        line.append(word + num + unit)
        if len(line) == 12:
            text = ("，".join(line) + "。\n").encode()
            out.append(text)
            size += len(text)
            line = []
    return b"".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--large", action="store_true", help="also write ref-1GB.txt")
    ap.add_argument("--scale", type=float, default=1.0,
                    help="multiply every size (0.02 for a quick check of the scripts)")
    ap.add_argument("--corpus-real", default=os.path.join(os.path.dirname(REPO), "shared", "corpus-real"))
    args = ap.parse_args()

    global MB
    MB = max(1, int(MB * args.scale))
    os.makedirs(args.out, exist_ok=True)
    ref = open(REFERENCE, "rb").read().rstrip(b"\n")
    manifest = []

    def note(name, path):
        if os.path.isdir(path):
            size = sum(os.path.getsize(os.path.join(path, f)) for f in os.listdir(path))
        else:
            size = os.path.getsize(path)
        manifest.append((name, size, path))

    sizes = [("ref-10MB", 10 * MB), ("ref-50MB", 50 * MB), ("ref-100MB", 100 * MB)]
    if args.large:
        sizes.append(("ref-1GB", 1000 * MB))
    for name, target in sizes:
        path = os.path.join(args.out, name + ".txt")
        write_repeated(path, ref, target)
        note(name, path)

    # The 50 MB file again, as 16 files of whole copies.
    split = os.path.join(args.out, "ref-50MB-split")
    os.makedirs(split, exist_ok=True)
    copies = -(-50 * MB // (len(ref) + 1))
    for i in range(16):
        n = copies // 16 + (1 if i < copies % 16 else 0)
        with open(os.path.join(split, "part-%02d.txt" % i), "wb") as f:
            f.write((ref + b"\n") * n)
    note("ref-50MB-split", split)

    if os.path.isdir(args.corpus_real):
        names = sorted(f for f in os.listdir(args.corpus_real) if f.endswith(".txt"))
        folder = os.path.join(args.out, "corpus-real")
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(args.out, "corpus-real.txt"), "wb") as whole:
            for f in names:
                data = open(os.path.join(args.corpus_real, f), "rb").read()
                if not data.endswith(b"\n"):
                    data += b"\n"
                whole.write(data)
                open(os.path.join(folder, f), "wb").write(data)
        note("corpus-real", os.path.join(args.out, "corpus-real.txt"))
        note("corpus-real-dir", folder)

    # Shapes, ~50 MB each.
    path = os.path.join(args.out, "shape-long-line.txt")
    line = ref.replace(b"\r", b"").replace(b"\n", b"")
    copies = -(-50 * MB // len(line))
    with open(path, "wb") as f:
        for _ in range(copies):
            f.write(line)
        f.write(b"\n")
    note("shape-long-line", path)

    path = os.path.join(args.out, "shape-dense.txt")
    open(path, "wb").write(dense_numbers(50 * MB))
    note("shape-dense", path)

    path = os.path.join(args.out, "shape-no-numbers.txt")
    text = ref.decode()
    plain = "".join(ch for ch in text if ch not in NUMERAL_CHARS).encode()
    write_repeated(path, plain, 50 * MB)
    note("shape-no-numbers", path)

    path = os.path.join(args.out, "one-line.txt")
    open(path, "wb").write("纠纷化解率99.69%，涉及金额2004.5万元。\n".encode())
    note("one-line", path)

    # A ~2 MB slice for the Python peers, cut at a line end.
    path = os.path.join(args.out, "slice-2MB.txt")
    with open(os.path.join(args.out, "ref-10MB.txt"), "rb") as f:
        head = f.read(2 * MB + len(ref) + 1)
    cut = head.index(b"\n", 2 * MB - len(ref) - 1) + 1
    open(path, "wb").write(head[:cut])
    note("slice-2MB", path)

    with open(os.path.join(args.out, "manifest.tsv"), "w") as f:
        for name, size, p in manifest:
            f.write("%s\t%d\t%s\n" % (name, size, p))
    return 0


if __name__ == "__main__":
    sys.exit(main())
