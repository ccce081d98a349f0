#!/usr/bin/env bash
# Build the fuzz seed corpus in fuzz/corpus/<target>/ from ../shared/corpus: the parser
# fixtures, a fixed sample of real phish, ham and bounces, the project's examples, URLs
# taken from them, and small mbox files made from them. Nothing here is committed.
set -euo pipefail
cd "$(dirname "$0")"
ARCHIVE=${ARCHIVE:-../../shared/corpus/dev-mail.tar.xz}
OUT=corpus
rm -rf "$OUT" && mkdir -p "$OUT"/{analyze_mail,analyze_sms,normalise_url,html_links,mbox_split}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ -f "$ARCHIVE" ]; then
  # every fixture, and every 40th file of the other sets (a fixed, spread sample)
  tar -tJf "$ARCHIVE" | awk '/\/$/ {next} /^fixtures\// {print; next} {n++; if (n % 40 == 0) print}' > "$tmp/list"
  tar -xJf "$ARCHIVE" -C "$tmp" -T "$tmp/list"
else
  echo "seed.sh: $ARCHIVE not found; seeding from examples/ only" >&2
fi
cp ../examples/*.eml "$tmp/" 2>/dev/null || true

i=0
while IFS= read -r -d '' f; do
  i=$((i + 1))
  # libFuzzer's default max_len is small; big seeds only slow it down
  head -c 65536 "$f" > "$OUT/analyze_mail/$i"
  cp "$OUT/analyze_mail/$i" "$OUT/html_links/$i"
done < <(find "$tmp" -type f ! -name list -print0 | sort -z)
cp ../examples/smishing.txt "$OUT/analyze_sms/smishing" 2>/dev/null || true
printf 'From: 0120-000-000\n【重要】お客様のアカウントを停止しました。確認: http://example.top/jp\n' > "$OUT/analyze_sms/ja"
# SMS seeds: the first lines of the mail bodies
n=0
for f in "$OUT"/analyze_mail/*; do
  n=$((n + 1)); [ $n -gt 200 ] && break
  awk 'p {print} /^\r?$/ {p=1}' "$f" | head -c 2000 > "$OUT/analyze_sms/m$n" || true
done
# URL seeds: one link target per file
grep -rhoaE 'https?://[^][ "<>()]{4,200}' "$OUT/analyze_mail" | sort -u | head -n 2000 \
  | split -l 1 -a 4 - "$OUT/normalise_url/u" || true
printf 'https://xn--amazn-mye.com/' > "$OUT/normalise_url/idn"
printf 'http://[::1]:80/a' > "$OUT/normalise_url/ipv6"
# mbox seeds: a few messages each, with and without proper From lines
ls "$OUT"/analyze_mail | head -n 300 | paste -d' ' - - - | while read -r a b c; do
  for x in $a $b $c; do
    printf 'From sender@example.com Thu Jan  1 00:00:00 1970\n'
    cat "$OUT/analyze_mail/$x"
    printf '\n'
  done > "$OUT/mbox_split/$a"
done
for t in "$OUT"/*; do echo "seed.sh: $(ls "$t" | wc -l) seeds in $t"; done
