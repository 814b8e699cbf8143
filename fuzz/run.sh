#!/bin/sh
# Builds the fuzz target (address sanitizer, libFuzzer) and runs it for FUZZ_SECONDS.
# Usage: fuzz/run.sh [SECONDS] [extra libFuzzer flags…]      (make fuzz FUZZ_SECONDS=1800)
# Working files live in .build-fuzz/ (ignored by git): corpus/ grows across runs,
# findings/ holds every input that broke an invariant, crashed or timed out.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-${FUZZ_SECONDS:-600}}
[ $# -gt 0 ] && shift
scratch="$root/.build-fuzz"
cd "$root/fuzz"
swift build -c release --scratch-path "$scratch" --sanitize=address \
    -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp -Xswiftc -g
mkdir -p "$scratch/corpus" "$scratch/seed" "$scratch/findings"
"$root/fuzz/seed.sh" "$scratch/seed"
# Swift's own crash backtracer fights ASan over the crashed process; libFuzzer reports instead.
export SWIFT_BACKTRACE=enable=no
# -timeout: one input taking longer than 10 s is a finding (time per input is bounded).
# -rss_limit_mb: so is a process above 2 GB. -max_len: inputs up to 64 KiB (chunk edges).
# -fork=1 with -ignore_*: keep going after a finding, so one run collects all of them.
exec "$scratch/release/FuzzExtract" "$scratch/corpus" "$scratch/seed" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    -artifact_prefix="$scratch/findings/" -print_final_stats=1 "$@"
