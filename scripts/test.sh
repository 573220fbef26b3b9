#!/usr/bin/env bash
# Runs every test of rebound. Installs what the tests need when it is missing:
# Dovecot and Cyrus (the IMAP tests start private ones on 127.0.0.1) and tmux (the
# end-to-end tests drive the real binary in a terminal).
set -euo pipefail
cd "$(dirname "$0")/.."

sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
need=()
[ -x /usr/sbin/dovecot ] || need+=(dovecot-imapd)
command -v tmux >/dev/null || need+=(tmux)
command -v openssl >/dev/null || need+=(openssl)
# Cyrus: the master and tools only; cyrus-imapd itself conflicts with dovecot-imapd,
# so its imapd is unpacked below instead (tests/support/cyrus.rs).
[ -x /usr/lib/cyrus/bin/master ] || need+=(cyrus-common)
command -v saslpasswd2 >/dev/null || need+=(sasl2-bin)
cyrus_root=/opt/rebound-test/cyrus
updated=""
if [ ${#need[@]} -gt 0 ]; then
  echo "installing test dependencies: ${need[*]}"
  $sudo apt-get update -qq && updated=1
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
if [ ! -x "$cyrus_root/usr/lib/cyrus/bin/imapd" ]; then
  echo "unpacking cyrus-imapd's imapd into $cyrus_root"
  [ -n "$updated" ] || $sudo apt-get update -qq
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download -qq cyrus-imapd 2>/dev/null)
  $sudo mkdir -p "$cyrus_root"
  $sudo dpkg-deb -x "$tmp"/cyrus-imapd_*.deb "$cyrus_root"
  rm -rf "$tmp"
fi

cargo test --all-targets "$@"
