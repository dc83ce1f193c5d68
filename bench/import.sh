#!/usr/bin/env bash
# Import benchmark: PAM vs notmuch vs mu on one Maildir built from all
# messages of ../shared/data/mail/, median of RUNS runs each, printing
# msgs/s, wall time, peak RSS and ratios; then query latency, pam search vs
# mu find. Installs the peers (Debian packages) when missing.
# Usage: bench/import.sh [RUNS]   (PAM_BIN=path to use a given pam binary)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-3}"
DATA="$(cd ../shared/data/mail && pwd)"
W="${BENCH_DIR:-/tmp/pam-bench}"
PAM="${PAM_BIN:-$W-bin/pam}"
PAM_MATTN="$W-bin/pam-mattn"
mkdir -p "$W-bin"
[ -n "${PAM_BIN:-}" ] || go build -o "$PAM" ./cmd/pam
# The same PAM on mattn/go-sqlite3 (cgo) instead of modernc.org/sqlite, to
# measure the driver choice (SKIP_MATTN=1 to leave it out).
if [ -z "${SKIP_MATTN:-}" ]; then
  go build -tags "mattn sqlite_fts5" -o "$PAM_MATTN" ./cmd/pam
  TOOLS="pam pam-mattn notmuch mu"
else
  TOOLS="pam notmuch mu"
fi

missing=()
command -v notmuch >/dev/null || missing+=(notmuch)
command -v mu >/dev/null || missing+=(maildir-utils)
command -v bc >/dev/null || missing+=(bc)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

rm -rf "$W"; mkdir -p "$W/Mail/cur" "$W/Mail/new" "$W/Mail/tmp"
i=0
while IFS= read -r -d '' f; do
  i=$((i+1))
  cp "$f" "$W/Mail/cur/$(printf '%06d' $i).bench:2,S"
done < <(find "$DATA" -type f ! -iname 'LICENSE*' ! -iname 'README*' -print0 | sort -z)
N=$i
echo "maildir: $N messages, $(du -sh "$W/Mail" | cut -f1); $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"
sync

# measure CMD...: prints "seconds peakKB"
measure() {
  /usr/bin/time -f "%e %M" -o "$W/time.out" "$@" >"$W/cmd.out" 2>&1 || { cat "$W/cmd.out" >&2; return 1; }
  cat "$W/time.out" | tail -1
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

run_pam() {
  rm -rf "$W/pamhome"
  measure "$PAM" --home "$W/pamhome" import --no-ai "$W/Mail"
}
run_pam-mattn() {
  rm -rf "$W/pamhome-m"
  measure "$PAM_MATTN" --home "$W/pamhome-m" import --no-ai "$W/Mail"
}
run_notmuch() {
  rm -rf "$W/Mail/.notmuch" "$W/notmuch-config"
  printf '[database]\npath=%s\n[new]\ntags=unread;inbox;\n[search]\nexclude_tags=\n[maildir]\nsynchronize_flags=true\n[user]\nname=Bench\nprimary_email=bench@example.org\n' "$W/Mail" > "$W/notmuch-config"
  NOTMUCH_CONFIG="$W/notmuch-config" measure notmuch new
}
run_mu() {
  rm -rf "$W/muhome"
  mu init --muhome="$W/muhome" --maildir="$W/Mail" >/dev/null
  measure mu index --muhome="$W/muhome"
}

declare -A T M
for tool in $TOOLS; do
  ts=(); ms=()
  for r in $(seq "$RUNS"); do
    read -r s k < <(run_$tool)
    ts+=("$s"); ms+=("$k")
  done
  T[$tool]=$(printf '%s\n' "${ts[@]}" | median)
  M[$tool]=$(printf '%s\n' "${ms[@]}" | median)
  echo "$tool runs: ${ts[*]} s; peak RSS KB: ${ms[*]}"
done

echo
printf '%-8s %10s %10s %12s\n' tool "wall s" "msgs/s" "peak RSS MB"
for tool in $TOOLS; do
  awk -v t="$tool" -v s="${T[$tool]}" -v k="${M[$tool]}" -v n="$N" 'BEGIN{printf "%-8s %10.2f %10.0f %12.1f\n", t, s, n/s, k/1024}'
done
awk -v p="${T[pam]}" -v m="${T[mu]}" -v nm="${T[notmuch]}" 'BEGIN{printf "\nratio msgs/s: pam/mu = %.2fx, pam/notmuch = %.2fx\n", m/p, nm/p}'

# Query latency: the indexes from the last runs above.
echo
echo "query latency (median of 11 runs, ms; process start included)"
queries=("meeting" "from:skilling" "subject:enron AND energy" "\"natural gas\"" "money OR prize")
muq=("meeting" "from:skilling" "subject:enron and energy" "\"natural gas\"" "money or prize")
printf '%-28s %8s %8s %8s %8s\n' query pam mu pam_hits mu_hits
for i in "${!queries[@]}"; do
  q="${queries[$i]}"; mq="${muq[$i]}"
  pt=(); mt=()
  for r in $(seq 11); do
    s=$(date +%s%N); "$PAM" --home "$W/pamhome" search --limit 10000 "$q" > "$W/pam.q" 2>/dev/null || true; e=$(date +%s%N); pt+=($(( (e-s)/1000 )))
    s=$(date +%s%N); mu find --muhome="$W/muhome" --maxnum=10000 "$mq" > "$W/mu.q" 2>/dev/null || true; e=$(date +%s%N); mt+=($(( (e-s)/1000 )))
  done
  pm=$(printf '%s\n' "${pt[@]}" | median); mm=$(printf '%s\n' "${mt[@]}" | median)
  printf '%-28s %8.1f %8.1f %8d %8d\n' "$q" "$(echo "$pm/1000" | bc -l)" "$(echo "$mm/1000" | bc -l)" "$(wc -l < "$W/pam.q")" "$(wc -l < "$W/mu.q")"
done
