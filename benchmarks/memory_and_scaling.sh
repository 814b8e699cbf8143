#!/usr/bin/env bash
# Input, memory and scaling benchmark (issue 4): peak resident memory and throughput of
# `zhibiao extract DIR -o /dev/null` with --jobs 1 and --jobs 2 on a generated corpus,
# the -j2/-j1 ratio, and the same for the largest file alone (one big file must keep
# both cores busy).
#
#   benchmarks/memory_and_scaling.sh                    # generate ~50 MB into a temp dir
#   benchmarks/memory_and_scaling.sh --total-mb 2000    # ~2 GB (needs ~2 GB in /tmp)
#   benchmarks/memory_and_scaling.sh /data/corpus       # an existing folder, kept
#
# Needs GNU time (/usr/bin/time), python3, and a release build (made if missing).
set -euo pipefail
cd "$(dirname "$0")/.."

dir=""
gen_args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --total-mb|--files|--large|--large-mb|--seed) gen_args+=("$1" "$2"); shift 2 ;;
        -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
        *) dir="$1"; shift ;;
    esac
done

bin=.build/release/zhibiao
[ -x "$bin" ] || swift build -c release
[ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 2; }

cleanup=""
if [ -z "$dir" ]; then
    dir=$(mktemp -d /tmp/zhibiao-corpus.XXXXXX)
    cleanup="$dir"
    trap 'rm -rf "$cleanup"' EXIT
fi
if [ -z "$(ls -A "$dir" 2>/dev/null)" ]; then
    python3 benchmarks/generate_corpus.py "$dir" "${gen_args[@]}"
fi

bytes=$(find "$dir" -type f -name '*.txt' -printf '%s\n' | awk '{s+=$1} END {print s}')
files=$(find "$dir" -type f -name '*.txt' | wc -l)
largest=$(find "$dir" -type f -name '*.txt' -printf '%s %p\n' | sort -n | tail -1 | cut -d' ' -f2-)
largest_bytes=$(stat -c %s "$largest")
echo "date: $(date -u +%Y-%m-%dT%H:%MZ); $(uptime | sed "s/.*load/load/")"
echo "corpus: $dir, $files files, $(awk -v b="$bytes" 'BEGIN{printf "%.1f", b/1e6}') MB; cores: $(nproc)"
echo

# run LABEL BYTES ARGS...: prints wall seconds, MB/s, peak RSS; sets $mbps.
run() {
    local label=$1 size=$2; shift 2
    local log
    log=$(mktemp)
    /usr/bin/time -v "$bin" extract "$@" -o /dev/null -q 2>"$log" || true
    local wall rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$log")
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    mbps=$(awk -v b="$size" -v s="$wall" 'BEGIN{printf "%.1f", b/1e6/s}')
    printf '%-28s %8.2f s %8s MB/s   peak RSS %6.1f MB\n' "$label" "$wall" "$mbps" "$(awk -v k="$rss" 'BEGIN{print k/1024}')"
    grep -E 'Exit status|Command exited' "$log" | grep -v 'status: 0' || true
    rm -f "$log"
}

run "corpus, --jobs 1" "$bytes" "$dir" --jobs 1; j1=$mbps
run "corpus, --jobs 2" "$bytes" "$dir" --jobs 2; j2=$mbps
echo "corpus -j2/-j1 throughput ratio: $(awk -v a="$j2" -v b="$j1" 'BEGIN{printf "%.2f", a/b}')"
echo
run "largest file, --jobs 1" "$largest_bytes" "$largest" --jobs 1; l1=$mbps
run "largest file, --jobs 2" "$largest_bytes" "$largest" --jobs 2; l2=$mbps
echo "largest file ($(awk -v b="$largest_bytes" 'BEGIN{printf "%.1f", b/1e6}') MB) -j2/-j1 ratio: $(awk -v a="$l2" -v b="$l1" 'BEGIN{printf "%.2f", a/b}')"
echo "after: $(uptime | sed "s/.*load/load/")"
