#!/usr/bin/env bash
# The macro benchmark, in one command: builds zhibiao (release) if needed, writes the input
# files into a temporary folder, times cat, rg, zhibiao --jobs 1 and --jobs <cores> on them
# (and the Python peers with --peers), and prints the tables and the issue-5 targets.
#
#   benchmarks/bench.sh [--runs N] [--large] [--peers] [--data DIR] [--keep] [--json FILE]
#
#   --runs N     timed runs per command, median reported (default 5)
#   --large      also the 1 GB file of the linearity check (about 1 GB of disk, minutes)
#   --peers      also chinese2digits and JioNLP on a 2 MB slice (pip-installed into a venv)
#   --data DIR   write (or reuse, if it holds manifest.tsv) the input files there; kept
#   --keep       keep the temporary input folder and print its path
#   --json FILE  also write every measured time as JSON
#   --only LIST  time only these inputs, comma-separated (e.g. ref-50MB-split,one-line)
#   --bin PATH   time this zhibiao binary instead of building .build/release/zhibiao
#   --static     build and time the binary with the Swift runtime and FoundationEssentials linked in
#                (`make release`, .build-static/release/zhibiao): no dynamic linking of them
#                at each start
#   --scale F    multiply every input size by F (e.g. 0.02: a quick check of the scripts;
#                the figures are then start-up dominated, not throughput)
#
# Environment: ZHIBIAO_BENCH_VENV (default /tmp/zhibiao-bench-venv) for --peers.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
runs=5 large=() peers=0 data="" keep=0 json=() scale=(--scale 1) bin="" only=() static=0
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        --large) large=(--large); shift ;;
        --peers) peers=1; shift ;;
        --data) data="$2"; keep=1; shift 2 ;;
        --keep) keep=1; shift ;;
        --json) json=(--json "$2"); shift 2 ;;
        --scale) scale=(--scale "$2"); shift 2 ;;
        --bin) bin="$2"; shift 2 ;;
        --only) only=(--only "$2"); shift 2 ;;
        --static) static=1; shift ;;
        -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

for tool in python3 swift; do
    command -v "$tool" >/dev/null || { echo "bench.sh: $tool is needed" >&2; exit 1; }
done
command -v rg >/dev/null || echo "bench.sh: rg not found (apt-get install ripgrep): the rg rows are skipped" >&2
command -v hyperfine >/dev/null || echo "bench.sh: hyperfine not found (apt-get install hyperfine): timing with a loop instead" >&2

# Release build; a no-op when it is up to date.
if [ -z "$bin" ] && [ "$static" = 1 ]; then
    echo "== swift build -c release --static-swift-stdlib --scratch-path .build-static" >&2
    (cd "$root" && swift build -c release --static-swift-stdlib --scratch-path .build-static 2>&1 | tail -n 1) >&2
    bin="$root/.build-static/release/zhibiao"
elif [ -z "$bin" ]; then
    echo "== swift build -c release" >&2
    (cd "$root" && swift build -c release 2>&1 | tail -n 1) >&2
    bin="$root/.build/release/zhibiao"
fi
[ -x "$bin" ] || { echo "bench.sh: no zhibiao binary at $bin" >&2; exit 1; }

if [ -z "$data" ]; then
    data="$(mktemp -d "${TMPDIR:-/tmp}/zhibiao-bench.XXXXXX")"
    if [ "$keep" = 0 ]; then trap 'rm -rf "$data"' EXIT; fi
fi
if [ ! -f "$data/manifest.tsv" ] || { [ ${#large[@]} -gt 0 ] && ! grep -q '^ref-1GB' "$data/manifest.tsv"; }; then
    echo "== writing input files into $data" >&2
    python3 "$here/bench_data.py" "$data" "${large[@]}" "${scale[@]}"
fi

peer_args=()
if [ "$peers" = 1 ]; then
    venv="${ZHIBIAO_BENCH_VENV:-/tmp/zhibiao-bench-venv}"
    why=""
    if [ ! -x "$venv/bin/python" ]; then
        python3 -m venv "$venv" >/dev/null 2>&1 || why="python3 -m venv failed (Debian: apt-get install python3-venv)"
    fi
    if [ -z "$why" ] && ! "$venv/bin/python" -c 'import chinese2digits, jionlp' >/dev/null 2>&1; then
        echo "== pip install chinese2digits jionlp into $venv" >&2
        "$venv/bin/pip" install -q chinese2digits jionlp >&2 || why="pip install chinese2digits jionlp failed (offline?)"
    fi
    if [ -z "$why" ] && "$venv/bin/python" -c 'import chinese2digits, jionlp' >/dev/null 2>&1; then
        peer_args=(--peers-python "$venv/bin/python")
    else
        why="${why:-the peers do not import in $venv}"
        echo "bench.sh: peers skipped: $why" >&2
        peer_args=(--peers-skipped "$why")
    fi
fi

python3 "$here/macro.py" --bin "$bin" --data "$data" --runs "$runs" "${large[@]}" "${peer_args[@]}" "${json[@]}" "${only[@]}"
if [ "$keep" = 1 ]; then echo "input files kept in $data" >&2; fi
