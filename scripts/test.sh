#!/usr/bin/env bash
# Runs every test of rebound. Installs what the tests need when it is missing:
# Dovecot (the IMAP tests start a private one on 127.0.0.1) and tmux (the
# end-to-end test drives the real binary in a terminal).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
[ -x /usr/sbin/dovecot ] || need+=(dovecot-imapd)
command -v tmux >/dev/null || need+=(tmux)
command -v openssl >/dev/null || need+=(openssl)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing test dependencies: ${need[*]}"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

cargo test --all-targets "$@"
