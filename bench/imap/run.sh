#!/usr/bin/env bash
# IMAP initial-sync benchmark: a local Dovecot (loopback, TLS) holding all
# messages of ../shared/data/mail/ in INBOX (delivered into its Maildir
# directly); `pam fetch` into an empty store next to `mbsync` (isync)
# fetching the same mailbox into an empty Maildir, RUNS runs each, median
# wall time, msgs/s and peak RSS. Needs root (Dovecot's mail is owned by
# nobody). Usage: bench/imap/run.sh [RUNS]   (PAM_BIN=path for a given pam)
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS="${1:-3}"
DATA="$(cd ../shared/data/mail && pwd)"
W="${BENCH_DIR:-/tmp/pam-bench-imap}"
PAM="${PAM_BIN:-$PWD/bin/pam}"
[ -x "$PAM" ] || go build -o "$PAM" ./cmd/pam
missing=()
command -v dovecot >/dev/null || missing+=(dovecot-imapd)
command -v mbsync >/dev/null || missing+=(isync)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

rm -rf "$W"; mkdir -p "$W"; chmod 755 "$W"
D="$W/dovecot"
mkdir -p "$D/run" "$D/mail/pam/cur" "$D/mail/pam/new" "$D/mail/pam/tmp"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
TLSPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$D/key.pem" -out "$D/cert.pem" -days 2 \
  -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 2>/dev/null
NOBODY_UID=$(id -u nobody); NOBODY_GID=$(id -g nobody)
echo "pam:{PLAIN}secret:$NOBODY_UID:$NOBODY_GID::$D/mail/pam::" > "$D/passwd"
cat > "$D/dovecot.conf" <<CONF
base_dir = $D/run
state_dir = $D/run
log_path = $D/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <$D/cert.pem
ssl_key = <$D/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
passdb {
  driver = passwd-file
  args = $D/passwd
}
userdb {
  driver = passwd-file
  args = $D/passwd
}
mail_location = maildir:$D/mail/pam
default_internal_user = dovecot
default_login_user = dovenull
service imap-login {
  inet_listener imap {
    port = $PORT
  }
  inet_listener imaps {
    port = $TLSPORT
    ssl = yes
  }
}
CONF
i=0
while IFS= read -r -d '' f; do
  i=$((i+1))
  cp "$f" "$D/mail/pam/cur/$(printf '%06d' $i).bench:2,S"
done < <(find "$DATA" -type f ! -iname 'LICENSE*' ! -iname 'README*' -print0 | sort -z)
N=$i
chown -R nobody:nogroup "$D/mail"
echo "mailbox: $N messages, $(du -sh "$D/mail" | cut -f1)"
dovecot -c "$D/dovecot.conf"
trap 'doveadm -c "$D/dovecot.conf" stop 2>/dev/null || true' EXIT
sleep 1
# Let Dovecot build its index once (both clients then see the same server).
doveadm -c "$D/dovecot.conf" mailbox status -u pam "messages uidnext" INBOX
sync

measure() {
  /usr/bin/time -f "%e %M" -o "$W/time.out" "$@" >"$W/cmd.out" 2>&1 || { cat "$W/cmd.out" >&2; return 1; }
  tail -1 "$W/time.out"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo secret > "$W/pw"
run_pam() {
  rm -rf "$W/pamhome"
  "$PAM" --home "$W/pamhome" account add imap bench --host 127.0.0.1 --port "$TLSPORT" --user pam \
    --ca-file "$D/cert.pem" --password-file "$W/pw" >/dev/null
  measure "$PAM" --home "$W/pamhome" fetch --direct --no-ai bench > "$W/m.out"
  echo "pam: $(head -1 "$W/cmd.out"); stored $(sqlite3 "$W/pamhome/pam.db" 'select count(*) from messages') messages" >&2
  cat "$W/m.out"
}
run_mbsync() {
  rm -rf "$W/mbsync-mail"; mkdir -p "$W/mbsync-mail"
  cat > "$W/mbsyncrc" <<RC
IMAPAccount bench
Host localhost
Port $TLSPORT
User pam
Pass secret
SSLType IMAPS
CertificateFile $D/cert.pem

IMAPStore remote
Account bench

MaildirStore local
Path $W/mbsync-mail/
Inbox $W/mbsync-mail/INBOX
SubFolders Verbatim

Channel bench
Far :remote:
Near :local:
Patterns *
Create Near
Sync Pull
SyncState *
RC
  measure mbsync -c "$W/mbsyncrc" -a > "$W/m.out"
  echo "mbsync stored $(find "$W/mbsync-mail" -type f \( -path '*/cur/*' -o -path '*/new/*' \) | wc -l) messages" >&2
  cat "$W/m.out"
}

declare -A T M
for tool in pam mbsync; do
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
for tool in pam mbsync; do
  awk -v t="$tool" -v s="${T[$tool]}" -v k="${M[$tool]}" -v n="$N" 'BEGIN{printf "%-8s %10.2f %10.0f %12.1f\n", t, s, n/s, k/1024}'
done
awk -v p="${T[pam]}" -v m="${T[mbsync]}" 'BEGIN{printf "\nratio msgs/s: pam/mbsync = %.2fx\n", m/p}'
