#!/usr/bin/env bash
# Seeds the fuzz corpora from the repository's own inputs: every .eq model and bad-input file
# for the script targets, and every case of the parse test data (split on `---` lines) for the
# expression, model, code and generator targets. Run from anywhere; existing corpus entries stay.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
corpus="$root/fuzz/corpus"
mkdir -p "$corpus"/{check_script,parse_script,parse_model,parse_code,parse_expr,parse_generator}
n=0
for f in "$root"/examples/*.eq "$root"/tests/data/bad/*.eq "$root"/tests/data/brian2/models/*.eq; do
  # Very large files (the long-line and long-file cases) would raise libFuzzer's -max_len and
  # slow every execution; the bad-input test covers them.
  [ "$(wc -c < "$f")" -le 65536 ] || continue
  cp "$f" "$corpus/check_script/seed-$(basename "$f")"
  cp "$f" "$corpus/parse_script/seed-$(basename "$f")"
  n=$((n + 2))
done
split_cases() { # FILE TARGET: one corpus entry per `---`-separated case
  awk -v dir="$2" -v base="$(basename "$1")" '
    /^---$/ { k++; next }
    { file = sprintf("%s/seed-%s-%03d", dir, base, k); print > file }' "$1"
}
for kind in expr model code gen; do
  target=$([ "$kind" = gen ] && echo parse_generator || echo "parse_$kind")
  for f in "$root"/tests/data/parse/ok/*."$kind" "$root"/tests/data/parse/err/*."$kind"; do
    [ -e "$f" ] || continue
    split_cases "$f" "$corpus/$target"
  done
done
echo "seeded $(find "$corpus" -name 'seed-*' | wc -l) corpus files ($n scripts)"
