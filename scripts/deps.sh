#!/usr/bin/env bash
# Installs what PAM's tests use beyond Go: real servers started on loopback
# by the tests themselves. Root is needed to install; without it the
# missing packages are listed (and under CI=true that is an error).
set -euo pipefail
pkgs=()
need() { command -v "$1" >/dev/null 2>&1 || pkgs+=("$2"); }
need dovecot dovecot-imapd
need radicale radicale
[ -x /usr/lib/postgresql/15/bin/initdb ] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || pkgs+=(postgresql)
need openssl openssl
need gnome-keyring-daemon gnome-keyring
need secret-tool libsecret-tools
need dbus-daemon dbus-daemon
if [ ${#pkgs[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "deps: missing ${pkgs[*]} and not root to install them" >&2
  [ "${CI:-}" = true ] && exit 1
  exit 0
fi
echo "deps: installing ${pkgs[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
