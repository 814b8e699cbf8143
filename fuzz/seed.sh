#!/bin/sh
# Writes the seed corpus of the fuzz target: one file per example text of
# patterns/*.examples.tsv (the first column), plus a few hostile shapes from issue 14.
# Usage: fuzz/seed.sh OUTDIR   (run from the repository root or anywhere)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-"$here/corpus"}
mkdir -p "$out"
n=0
for f in "$here"/../patterns/*.examples.tsv; do
    # Skip comments and blank lines; keep the text column only.
    grep -v '^#' "$f" | cut -f1 | grep -v '^$' | while IFS= read -r text; do
        n=$((n + 1))
        name=$(printf '%s' "$text" | cksum | cut -d' ' -f1)
        printf '%s\n' "$text" > "$out/seed-$name"
    done
done
# Hostile shapes (issue 14): each is small, the fuzzer mutates from there.
printf '金额1e999999元\n' > "$out/hostile-exponent"
printf '规模1111111111111111111111111^999元\n' > "$out/hostile-power"
printf '占77777777777777777777分之1e999999。\n' > "$out/hostile-fraction"
printf '亏损-几万元，3.8至4平方米七；壹十亿几九点七两\r\n身高一米七至一米八\r' > "$out/hostile-ranges"
printf '受理纠纷972宗，化解率99.69%%，涉及金额2004.5万元\n' > "$out/plain"
echo "seed corpus: $(ls "$out" | wc -l) files in $out"
