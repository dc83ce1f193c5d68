#!/bin/sh
# Classification benchmark of issue 4: PAM vs bogofilter vs scikit-learn on
# the same files. Needs the Debian packages bogofilter and python3-sklearn
# (/usr/bin/python3). Writes bench/classify/results.md.
set -eu
cd "$(dirname "$0")/../.."
W=${W:-$(mktemp -d /tmp/pam-bench-classify.XXXXXX)}
echo "work directory: $W"
go build -o "$W/classify" ./bench/classify
"$W/classify" split -dir "$W"

# bogofilter: register training spam and ham, then score the test files in
# bulk mode (-B), keeping the spamicity.
if command -v bogofilter >/dev/null 2>&1; then
	rm -rf "$W/bogo" && mkdir "$W/bogo"
	awk -F'\t' '$2=="spam"{print $1}' "$W/spam_train.tsv" | bogofilter -d "$W/bogo" -s -b
	awk -F'\t' '$2=="ham"{print $1}' "$W/spam_train.tsv" | bogofilter -d "$W/bogo" -n -b
	cut -f1 "$W/spam_test.tsv" > "$W/spam_test.files"
	# shellcheck disable=SC2046
	bogofilter -d "$W/bogo" -v -B $(cat "$W/spam_test.files") > "$W/bogo.out" || true
	sed -n 's/^\(.*\) X-Bogosity: [A-Za-z]*, tests=bogofilter, spamicity=\([0-9.e+-]*\).*/\1\t\2/p' "$W/bogo.out" > "$W/bogo_spam.tsv"
	# Speed: best of three bulk runs over the same files (page cache warm).
	n=$(wc -l < "$W/spam_test.files")
	best=""
	for i in 1 2 3; do
		s=$(date +%s.%N)
		# shellcheck disable=SC2046
		bogofilter -d "$W/bogo" -B $(cat "$W/spam_test.files") > /dev/null || true
		e=$(date +%s.%N)
		t=$(echo "$e - $s" | bc)
		if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
	done
	echo "$n $best" > "$W/bogo_speed.txt"
else
	echo "bogofilter not installed: apt-get install bogofilter" >&2
fi

# scikit-learn baselines.
if /usr/bin/python3 -c 'import sklearn' 2>/dev/null; then
	/usr/bin/python3 bench/classify/sklearn_baseline.py spam "$W/spam_train.tsv" "$W/spam_test.tsv" "$W/sk_spam.tsv"
	for f in "$W"/folders_*_train.tsv; do
		u=$(basename "$f" _train.tsv); u=${u#folders_}
		/usr/bin/python3 bench/classify/sklearn_baseline.py folders "$f" "$W/folders_${u}_test.tsv" "$W/sk_folders_$u.tsv"
	done
else
	echo "scikit-learn not installed: apt-get install python3-sklearn" >&2
fi

"$W/classify" pam -dir "$W"
"$W/classify" report -dir "$W" -out bench/classify/results.md
cat bench/classify/results.md
