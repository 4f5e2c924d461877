#!/usr/bin/env bash
# The metrics test (apps/server/src/metrics.test.ts) lets a real Prometheus scrape the server and
# reads a metric back through Prometheus's HTTP API. Prometheus comes from Debian's `prometheus`
# package: install it when missing; do nothing when it is there. Only the binary is used (the test
# runs it on a free port with its own config and storage in a temp folder); the package's service
# is stopped and disabled if the install started one.
set -euo pipefail
if [ -x /usr/bin/prometheus ]; then
  exit 0
fi
echo "Installing Debian's prometheus package for the metrics test..."
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "Cannot install it: not root and no sudo. Run: apt-get install prometheus" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
# Keep the package's service from starting (it would hold port 9090 for nothing).
POLICY=/usr/sbin/policy-rc.d
ADDED_POLICY=""
if [ ! -e "$POLICY" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
  $SUDO chmod +x "$POLICY"
  ADDED_POLICY=1
fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends prometheus >/dev/null || { [ -n "$ADDED_POLICY" ] && $SUDO rm -f "$POLICY"; exit 1; }
[ -n "$ADDED_POLICY" ] && $SUDO rm -f "$POLICY"
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  $SUDO systemctl disable --now prometheus >/dev/null 2>&1 || true
fi
/usr/bin/prometheus --version | head -1
