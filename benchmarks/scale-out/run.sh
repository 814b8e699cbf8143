#!/usr/bin/env bash
# Runs the README's scale-out recipes ("Large runs and many machines") for real on this
# machine and checks each joined output against a single `zhibiao extract` run:
#   1. GNU parallel, one `--shard K/N` per job (the local host ":" stands for the ssh
#      hosts), CSV and JSON Lines, joined with the header once;
#   2. Spark in local mode (PySpark from pip), RDD.pipe of the binary by absolute path,
#      checkCode=True, -j 1 per task, --no-header, CSV and JSON Lines; and a list with a
#      missing file, which must fail the job.
# Prints PASS or FAIL per check with row counts; exits 1 if any check failed.
#
#   benchmarks/scale-out/run.sh [--corpus DIR] [--shards N] [--hosts LIST] [--no-spark] [--keep]
#
#   --corpus DIR  inputs (default ../shared/corpus-real beside the repository, else corpus/)
#   --shards N    shares for the GNU parallel recipe (default 4)
#   --hosts LIST  GNU parallel's -S list (default ":", this machine; e.g. host1,host2 over
#                 ssh, when the corpus and the binary are at the same paths there)
#   --no-spark    skip the Spark recipe
#   --keep        keep the work folder and print its path
#
# Needs GNU parallel (apt-get install parallel), and for Spark Java 17 or later (apt-get
# install openjdk-17-jre-headless) and python3 with venv: PySpark is pip-installed into
# ZHIBIAO_SCALE_OUT_VENV (default ~/.cache/zhibiao-scale-out) on the first run.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
corpus="" shards=4 hosts=":" spark=1 keep=0
while [ $# -gt 0 ]; do
    case "$1" in
        --corpus) corpus="$2"; shift 2 ;;
        --shards) shards="$2"; shift 2 ;;
        --hosts) hosts="$2"; shift 2 ;;
        --no-spark) spark=0; shift ;;
        --keep) keep=1; shift ;;
        -h|--help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
if [ -z "$corpus" ]; then
    if [ -d "$root/../shared/corpus-real" ]; then corpus="$root/../shared/corpus-real"; else corpus="$root/corpus"; fi
fi
corpus="$(cd "$corpus" && pwd)"   # absolute: the file column must read the same in every run
command -v parallel >/dev/null || { echo "run.sh: GNU parallel is needed (apt-get install parallel)" >&2; exit 1; }

echo "== swift build -c release --product zhibiao" >&2
(cd "$root" && swift build -c release --product zhibiao 2>&1 | tail -n 1) >&2
zhibiao="$root/.build/release/zhibiao"
[ -x "$zhibiao" ] || { echo "run.sh: no binary at $zhibiao" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/zhibiao-scale-out.XXXXXX")"
if [ "$keep" = 1 ]; then echo "run.sh: work folder $work" >&2; else trap 'rm -rf "$work"' EXIT; fi

failed=0 checks=0
check() {   # check LABEL FORMAT JOINED SINGLE
    checks=$((checks + 1))
    python3 "$here/compare.py" "$@" || failed=$((failed + 1))
}

files=$(find "$corpus" -type f -iname '*.txt' -not -path '*/.*' | wc -l)
echo "corpus: $corpus ($files files, $(du -sh "$corpus" | cut -f1)); $("$zhibiao" --version)"

# The single run every joined output is compared with.
for fmt in csv jsonl; do
    "$zhibiao" extract "$corpus" -q --format "$fmt" -o "$work/single.$fmt"
done

# --- 1. GNU parallel: the README's recipe, with this machine as the only host ---
for fmt in csv jsonl; do
    out="$work/parallel-$fmt"
    mkdir -p "$out"
    parallel -S "$hosts" --jobs 1 --halt now,fail=1 \
        "$zhibiao extract $corpus --shard {}/$shards -q --no-header --format $fmt -o $out/shard-{}.$fmt" \
        ::: $(seq 0 $((shards - 1)))
    { "$zhibiao" extract --format "$fmt" -q < /dev/null; cat "$out"/shard-*."$fmt"; } > "$out/all.$fmt"
    check "GNU parallel, $shards shards, $fmt" "$fmt" "$out/all.$fmt" "$work/single.$fmt"
done
# Why the former join lost rows on JSON Lines: it has no header line, so `tail -n +2` cut
# each shard's first row and `head -1` put back only shard 0's.
old="$work/parallel-jsonl/old-join.jsonl"
{ head -1 "$work/parallel-jsonl/shard-0.jsonl"; tail -q -n +2 "$work/parallel-jsonl"/shard-*.jsonl; } > "$old"
echo "      (the former head -1 / tail -n +2 join on the same JSON Lines shards keeps $(wc -l < "$old") of $(wc -l < "$work/single.jsonl") rows)"

# --- 2. Spark, local mode ---
if [ "$spark" = 1 ]; then
    java -version >/dev/null 2>&1 || { echo "run.sh: Java is needed for Spark (apt-get install openjdk-17-jre-headless)" >&2; exit 1; }
    venv="${ZHIBIAO_SCALE_OUT_VENV:-$HOME/.cache/zhibiao-scale-out}"
    if ! "$venv/bin/python" -c 'import pyspark' 2>/dev/null; then
        echo "== pip install pyspark into $venv" >&2
        python3 -m venv "$venv"
        "$venv/bin/pip" install -q pyspark >&2
    fi
    export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
    echo "spark: pyspark $("$venv/bin/python" -c 'import pyspark; print(pyspark.__version__)'), $(java -version 2>&1 | head -1)"
    # One path a line, in the order the folder walk reads them.
    find "$corpus" -type f -iname '*.txt' -not -path '*/.*' | LC_ALL=C sort > "$work/paths.txt"
    for fmt in csv jsonl; do
        out="$work/spark-$fmt"
        if ! "$venv/bin/python" "$here/spark_pipe.py" "$zhibiao" "$work/paths.txt" "$out" --format "$fmt" \
                > "$work/spark-$fmt.log" 2>&1; then
            echo "FAIL  Spark RDD.pipe, $fmt: the job failed; its log:"; tail -n 20 "$work/spark-$fmt.log"
            checks=$((checks + 1)); failed=$((failed + 1)); continue
        fi
        { "$zhibiao" extract --format "$fmt" -q < /dev/null; cat "$out"/part-*; } > "$work/spark-$fmt.joined"
        check "Spark RDD.pipe, $(ls "$out"/part-* | wc -l) tasks, $fmt" "$fmt" "$work/spark-$fmt.joined" "$work/single.$fmt"
    done
    # checkCode=True: a task whose zhibiao exits non-zero (here: a missing input, status 1)
    # must fail the job instead of passing with rows missing.
    { head -n 3 "$work/paths.txt"; echo "$corpus/no-such-report.txt"; } > "$work/bad-paths.txt"
    checks=$((checks + 1))
    if "$venv/bin/python" "$here/spark_pipe.py" "$zhibiao" "$work/bad-paths.txt" "$work/spark-bad" --partitions 2 \
            > "$work/spark-bad.log" 2>&1; then
        echo "FAIL  Spark RDD.pipe with a missing input: the job succeeded"; failed=$((failed + 1))
    elif grep -q "exited with error code 1" "$work/spark-bad.log"; then
        echo "PASS  Spark RDD.pipe with a missing input: the job failed (zhibiao exited with 1, checkCode=True)"
    else
        echo "FAIL  Spark RDD.pipe with a missing input: the job failed for another reason; its log:"
        tail -n 20 "$work/spark-bad.log"; failed=$((failed + 1))
    fi
fi

if [ "$failed" -gt 0 ]; then echo "scale-out: $failed of $checks checks FAILED"; exit 1; fi
echo "scale-out: all $checks checks PASS"
