#!/usr/bin/env python3
"""The macro benchmark: whole commands on the same files in one run (called by bench.sh).

    python3 benchmarks/macro.py --bin .build/release/zhibiao --data DIR [--runs 5]
                                [--large] [--peers-python PY] [--json OUT]

DIR holds the files of bench_data.py (manifest.tsv). Each command is run once untimed
(warm-up, and a time limit: a command slower than --timeout seconds is reported as such and
not repeated), then --runs times; hyperfine does the timing when installed
(`hyperfine -N --export-json`), else a loop here (wall time around the child process).

Figures: median wall seconds per command and data, MB/s = bytes / median (MB = 10^6 bytes),
and ratios computed pair by pair: run i of one command against run i of the other, the median
of those quotients. Standard library only.
"""
import argparse
import re
import datetime
import json
import math
import os
import platform
import shlex
import shutil
import stat
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PATTERN = os.path.join(HERE, "reference.pattern")
PEER_DRIVER = os.path.join(HERE, "peers", "run_peer.py")
MB = 1e6


def load_manifest(data):
    out = {}
    with open(os.path.join(data, "manifest.tsv")) as f:
        for line in f:
            name, size, path = line.rstrip("\n").split("\t")
            out[name] = (int(size), path)
    return out


def files_of(path):
    if os.path.isdir(path):
        return sorted(os.path.join(path, f) for f in os.listdir(path) if f.endswith(".txt"))
    return [path]


class Timer:
    def __init__(self, runs, timeout, use_hyperfine=True):
        self.runs = runs
        self.timeout = timeout
        self.hyperfine = shutil.which("hyperfine") if use_hyperfine else None

    def time(self, argv, runs=None, output="null", warmups=1):
        """Wall seconds of `runs` runs of argv, or a string saying why there are none."""
        runs = runs or self.runs
        if not dev_null_is_device():
            return "not timed: " + DEV_NULL_BROKEN
        sink = subprocess.DEVNULL if output == "null" else subprocess.PIPE
        for _ in range(warmups):
            start = time.perf_counter()
            try:
                p = subprocess.run(argv, stdout=sink, stderr=subprocess.PIPE, timeout=self.timeout)
            except subprocess.TimeoutExpired:
                return "slower than %d s (not repeated)" % self.timeout
            if p.returncode not in (0, 1) or (p.returncode == 1 and "rg" not in os.path.basename(argv[0])):
                return "failed (exit %d): %s" % (p.returncode, p.stderr.decode(errors="replace").strip()[:200])
            if time.perf_counter() - start > self.timeout / max(runs, 1):
                runs = max(1, min(runs, 3))
        if self.hyperfine:
            with tempfile.NamedTemporaryFile(suffix=".json") as j:
                cmd = [self.hyperfine, "-N", "--style", "none", "--runs", str(runs), "--warmup", "0",
                       "--output", output, "--export-json", j.name, "-i", shlex.join(argv)]
                p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                if p.returncode != 0:
                    return "hyperfine failed: " + p.stderr.decode(errors="replace").strip()[:200]
                return json.load(open(j.name))["results"][0]["times"]
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(argv, stdout=sink, stderr=subprocess.DEVNULL)
            times.append(time.perf_counter() - start)
        return times


DEV_NULL_BROKEN = ("/dev/null is not a device (something renamed a file over it); restore it with "
                   "`rm /dev/null && mknod -m 666 /dev/null c 1 3` (as root) and run again")


def dev_null_is_device():
    try:
        return stat.S_ISCHR(os.stat("/dev/null").st_mode)
    except OSError:
        return False


def pairwise(numerator_times, denominator_times):
    """Median of run-by-run quotients (run i against run i)."""
    q = [a / b for a, b in zip(numerator_times, denominator_times) if b > 0]
    return statistics.median(q) if q else None


def fmt(x):
    """Three significant digits, never exponent notation."""
    if x == 0:
        return "0"
    digits = max(0, 2 - int(math.floor(math.log10(abs(x)))))
    return "%.*f" % (digits, x)


def machine():
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "host": "%s %s, %s, %d cores" % (platform.system(), platform.release(), cpu, os.cpu_count() or 0),
        "load": " ".join("%.2f" % x for x in os.getloadavg()),
    }


def main():
    ap = argparse.ArgumentParser(description="Zhibiao macro benchmark")
    ap.add_argument("--bin", required=True, help="the zhibiao binary")
    ap.add_argument("--data", required=True, help="folder written by bench_data.py")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--startup-runs", type=int, default=20)
    ap.add_argument("--timeout", type=int, default=600, help="seconds for one run before giving up")
    ap.add_argument("--large", action="store_true", help="include ref-1GB (if in the data folder)")
    ap.add_argument("--peers-python", help="a python with chinese2digits and jionlp installed")
    ap.add_argument("--peers-skipped", help="why the peers are not run (printed)")
    ap.add_argument("--only", help="comma-separated data names (manifest.tsv) to time; the others are skipped")
    ap.add_argument("--no-hyperfine", action="store_true")
    ap.add_argument("--json", help="also write every time measured here")
    args = ap.parse_args()

    if not dev_null_is_device():
        sys.exit("macro.py: " + DEV_NULL_BROKEN)
    data = load_manifest(args.data)
    if args.only:
        keep = set(args.only.split(","))
        data = {k: v for k, v in data.items() if k in keep}
    timer = Timer(args.runs, args.timeout, not args.no_hyperfine)
    jobs = os.cpu_count() or 1
    zb = os.path.abspath(args.bin)
    rg = shutil.which("rg")
    info = machine()
    print("# Zhibiao macro benchmark")
    print()
    print("date: %s; machine: %s; load average at start: %s" % (info["date"], info["host"], info["load"]))
    print("runs per command: %d (median); timing: %s; zhibiao: %s" % (
        args.runs, "hyperfine -N" if timer.hyperfine else "wall time of the child process", zb))
    print("rg: %s" % (subprocess.run([rg, "--version"], capture_output=True, text=True).stdout.splitlines()[0] if rg else "not installed"))
    print(flush=True)

    commands = {
        "cat": lambda p: (["cat"] + files_of(p), "pipe"),
        "rg": lambda p: ([rg, "--no-config", "--count-matches", "-f", PATTERN, p], "pipe") if rg else None,
        "zhibiao -j1": lambda p: ([zb, "extract", p, "--jobs", "1", "--quiet"], "null"),
        "zhibiao -j%d" % jobs: lambda p: ([zb, "extract", p, "--jobs", str(jobs), "--quiet"], "null"),
    }
    jn = "zhibiao -j%d" % jobs
    results = {}   # (data, command) -> times or reason
    rows = []

    def run(dataset, command, runs=None):
        if dataset not in data:
            return None
        size, path = data[dataset]
        made = commands[command](path)
        if made is None:
            return None
        argv, output = made
        t = timer.time(argv, runs=runs, output=output)
        results[(dataset, command)] = t
        if isinstance(t, str):
            rows.append((dataset, size, command, None, None, t))
            print("  %-18s %-14s %s" % (dataset, command, t), flush=True)
        else:
            m = statistics.median(t)
            rows.append((dataset, size, command, m, size / MB / m, "%.3f–%.3f" % (min(t), max(t))))
            print("  %-18s %-14s median %8.3f s  %8.1f MB/s" % (dataset, command, m, size / MB / m), flush=True)
        return t

    print("Timing (progress):")
    for d in ["ref-50MB", "ref-50MB-split", "corpus-real", "corpus-real-dir"]:
        for c in ["cat", "rg", "zhibiao -j1", jn]:
            if d == "corpus-real-dir" and c in ("cat", "rg"):
                continue
            run(d, c)
    for d in ["shape-long-line", "shape-dense", "shape-no-numbers"]:
        for c in ["cat", "rg", "zhibiao -j1"]:
            run(d, c)
    linear = ["ref-10MB", "ref-50MB", "ref-100MB"] + (["ref-1GB"] if args.large else [])
    for d in linear:
        if (d, "zhibiao -j1") not in results:
            run(d, "zhibiao -j1", runs=min(args.runs, 3) if d == "ref-1GB" else None)

    # Start-up: default options (all cores), one short line, pattern compilation included;
    # and `zhibiao --version` in the same run, the floor of any start (issue 10 compares them).
    startup = version = None
    if "one-line" in data:
        startup = timer.time([zb, "extract", data["one-line"][1]], runs=args.startup_runs, warmups=3)
        results[("one-line", "zhibiao")] = startup
        version = timer.time([zb, "--version"], runs=args.startup_runs, warmups=3)
        results[("one-line", "zhibiao --version")] = version

    # Rows per input, for the cost per reported row (shape-dense has 11x the rows per byte).
    row_counts = {}
    for d in ["ref-50MB", "shape-dense"]:
        if d in data:
            p = subprocess.run([zb, "extract", data[d][1], "--stats", "-o", os.devnull], capture_output=True, text=True)
            m = re.search(r"(\d+) rows", p.stderr)
            if m:
                row_counts[d] = int(m.group(1))

    # Peers on the 2 MB slice.
    peers = {}
    if args.peers_python and "slice-2MB" in data:
        size, path = data["slice-2MB"]
        run("slice-2MB", "zhibiao -j1")
        for peer in ["chinese2digits", "jionlp"]:
            times, found, why = [], None, None
            for i in range(args.runs + 1):
                p = subprocess.run([args.peers_python, PEER_DRIVER, peer, path], capture_output=True, text=True,
                                   timeout=args.timeout)
                if p.returncode != 0:
                    why = "failed: " + (p.stderr.strip().splitlines() or ["?"])[-1][:200]
                    break
                _, found, seconds = p.stdout.strip().splitlines()[-1].split()
                if i > 0:
                    times.append(float(seconds))
            peers[peer] = why or times
            if why:
                print("  %-18s %-14s %s" % ("slice-2MB", peer, why), flush=True)
            else:
                m = statistics.median(times)
                rows.append(("slice-2MB", size, peer + " (loop only)", m, size / MB / m, "%s items" % found))
                print("  %-18s %-14s median %8.3f s  %8.1f MB/s (%s items)" % ("slice-2MB", peer, m, size / MB / m, found), flush=True)
    print()

    # ---- Tables ----
    print("## Throughput (median of %d runs; MB = 10^6 bytes)" % args.runs)
    print()
    print("| data | MB | command | median s | MB/s | min–max s / note |")
    print("|---|---:|---|---:|---:|---|")
    for d, size, c, m, mbs, note in rows:
        if m is None:
            print("| %s | %.1f | %s | — | — | %s |" % (d, size / MB, c, note))
        else:
            print("| %s | %.1f | %s | %.3f | %.1f | %s |" % (d, size / MB, c, m, mbs, note))
    print()

    checks = []

    def ratio_line(label, dataset, fast, slow, target=None, show=True):
        """Throughput of `fast` relative to `slow` on `dataset`: slow's time / fast's time."""
        a, b = results.get((dataset, fast)), results.get((dataset, slow))
        if not isinstance(a, list) or not isinstance(b, list):
            r = None
        else:
            r = pairwise(b, a)
        if target is not None:
            checks.append((label, "≥ %.2g×" % target, r, None if r is None else r >= target))
        elif show and r is not None:
            print("| %s | %s | %s× |" % (dataset, label, fmt(r)))
        return r

    print("## Ratios (throughput of the first over the second; median of run-by-run quotients)")
    print()
    print("| data | pair | ratio |")
    print("|---|---|---:|")
    for d in ["ref-50MB", "ref-50MB-split", "corpus-real", "corpus-real-dir",
              "shape-long-line", "shape-dense", "shape-no-numbers"]:
        ratio_line("zhibiao -j1 / rg", d, "zhibiao -j1", "rg")
        ratio_line("%s / rg" % jn, d, jn, "rg")
        ratio_line("%s / zhibiao -j1" % jn, d, jn, "zhibiao -j1")
        ratio_line("zhibiao -j1 / cat", d, "zhibiao -j1", "cat")
    zt = results.get(("slice-2MB", "zhibiao -j1"))
    for peer, times in peers.items():
        if isinstance(times, list) and isinstance(zt, list):
            print("| slice-2MB | zhibiao -j1 / %s (loop only) | %s× |" % (peer, fmt(pairwise(times, zt))))
    print()

    # ---- Targets (issue 10) ----
    ratio_line("one job vs rg --count-matches, ref-50MB", "ref-50MB", "zhibiao -j1", "rg", target=0.25)
    ratio_line("all cores vs one job, ref-50MB-split (16 files)", "ref-50MB-split", jn, "zhibiao -j1", target=1.9)
    ratio_line("all cores vs one job, ref-50MB (one file)", "ref-50MB", jn, "zhibiao -j1", target=1.9)
    if args.peers_python:
        zt = results.get(("slice-2MB", "zhibiao -j1"))
        good = {k: v for k, v in peers.items() if isinstance(v, list)}
        if isinstance(zt, list) and good:
            fastest = min(good, key=lambda k: statistics.median(good[k]))
            r = pairwise(good[fastest], zt)
            checks.append(("one job vs the fastest Python peer (%s), slice-2MB" % fastest, "≥ 15×", r, r >= 15))
        else:
            checks.append(("one job vs the fastest Python peer, slice-2MB", "≥ 15×", None, None))
    else:
        why = args.peers_skipped or "not asked (--peers)"
        checks.append(("one job vs the fastest Python peer: %s" % why, "≥ 15×", None, None))
    if isinstance(startup, list) and isinstance(version, list):
        r = statistics.median(startup) / statistics.median(version)
        checks.append(("start-up: extract of a one-line file vs --version (medians %.1f / %.1f ms)"
                       % (statistics.median(startup) * 1000, statistics.median(version) * 1000), "≤ 1.5×", r, r <= 1.5))
    lin = [(d, data[d][0] / MB / statistics.median(results[(d, "zhibiao -j1")]))
           for d in linear if isinstance(results.get((d, "zhibiao -j1")), list)]
    if len(lin) >= 2:
        hi, lo = max(v for _, v in lin), min(v for _, v in lin)
        detail = ", ".join("%s %.1f" % (d, v) for d, v in lin)
        checks.append(("linear cost: slowest/fastest MB/s, one job (%s)" % detail, "≥ 0.80", lo / hi, lo / hi >= 0.8))
    typical = results.get(("ref-50MB", "zhibiao -j1"))
    for d in ["shape-long-line", "shape-no-numbers"]:
        t = results.get((d, "zhibiao -j1"))
        if isinstance(t, list) and isinstance(typical, list):
            per_byte = (statistics.median(t) / data[d][0]) / (statistics.median(typical) / data["ref-50MB"][0])
            checks.append(("%s: cost per byte vs ref-50MB, one job" % d, "≤ 1×", per_byte, per_byte <= 1))
        elif d in data:
            checks.append(("%s: cost per byte vs ref-50MB, one job (%s)" % (d, t), "≤ 1×", None, False))
    dense = results.get(("shape-dense", "zhibiao -j1"))
    if isinstance(dense, list) and isinstance(typical, list) and "shape-dense" in row_counts and "ref-50MB" in row_counts:
        per_row = (statistics.median(dense) / row_counts["shape-dense"]) / (statistics.median(typical) / row_counts["ref-50MB"])
        checks.append(("shape-dense: cost per reported row vs ref-50MB (%d vs %d rows), one job"
                       % (row_counts["shape-dense"], row_counts["ref-50MB"]), "≤ 1×", per_row, per_row <= 1))

    print("## Targets (issue 10; memory and mallocs per row are measured by memory_and_scaling.sh and make bench-micro)")
    print()
    print("| check | target | measured | |")
    print("|---|---|---:|---|")
    for label, target, value, ok in checks:
        shown = "—" if value is None else ("%.1f" % value if "ms" in target else fmt(value))
        print("| %s | %s | %s | %s |" % (label, target, shown, "—" if ok is None else ("PASS" if ok else "MISS")))
    print()
    print("load average at end: %s (the machine is shared: figures move between runs)" % machine()["load"])
    if not dev_null_is_device():
        print("WARNING: " + DEV_NULL_BROKEN)

    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": info, "runs": args.runs,
                       "results": {"%s | %s" % k: v for k, v in results.items()},
                       "peers": peers,
                       "checks": [{"check": a, "target": b, "value": c, "pass": d} for a, b, c, d in checks]},
                      f, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
