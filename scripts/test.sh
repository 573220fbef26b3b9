#!/usr/bin/env bash
# Runs every test of rebound, the server-backed ones included, and says how long it took.
#
# Installs what those tests need when it is missing (Debian or Ubuntu, through apt-get,
# as root or with sudo): Dovecot and Cyrus (the IMAP tests start private ones on
# 127.0.0.1), openssl (it makes their throwaway CA) and tmux (the end-to-end tests drive
# the real binary in a terminal). Then it sets REBOUND_REQUIRE_SERVERS=1, so a test that
# would skip for want of one of them fails instead: this script never skips silently.
#
#   ./scripts/test.sh                  everything (extra arguments go to `cargo test`)
#   ./scripts/test.sh --install-only   only install the test dependencies
set -euo pipefail
cd "$(dirname "$0")/.."

start=$(date +%s)
report_time() {
  local status=$? took=$(( $(date +%s) - start ))
  local verdict="passed"
  [ "$status" = 0 ] || verdict="FAILED (exit $status)"
  printf 'scripts/test.sh: %s in %dm %02ds\n' "$verdict" $((took / 60)) $((took % 60))
}
trap report_time EXIT

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
if [ ${#need[@]} -gt 0 ] || [ ! -x "$cyrus_root/usr/lib/cyrus/bin/imapd" ]; then
  if ! command -v apt-get >/dev/null; then
    echo "no apt-get here: install ${need[*]} and cyrus-imapd's imapd with your package manager, then run this again" >&2
    exit 2
  fi
fi
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
if [ "${1:-}" = "--install-only" ]; then
  exit 0
fi

export REBOUND_REQUIRE_SERVERS=1

echo "== tests =="
cargo test "$@"

# The benchmarks are not tests (`cargo test --all-targets` would run each one in full,
# in debug mode). Run the quick ones once each, and the IMAP one on a tiny mailbox, so
# they keep working.
echo "== benchmark smoke run (tiny sizes) =="
cargo test --bench catalog --bench engine --bench session --bench tui
cargo test --bench imap -- 200
