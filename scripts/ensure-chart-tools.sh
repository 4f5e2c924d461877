#!/usr/bin/env bash
# The chart test renders charts/goalpost with Go's text/template and the Sprig library (what Helm's
# engine is made of; Helm itself cannot be installed here). Both come from Debian: install them when
# they are missing; do nothing when they are there.
set -euo pipefail
if command -v go >/dev/null 2>&1 && [ -f /usr/share/gocode/src/github.com/Masterminds/sprig/functions.go ] \
  && [ -f /usr/share/gocode/src/github.com/ghodss/yaml/yaml.go ]; then
  exit 0
fi
echo "Installing Debian's Go and Sprig packages for the chart test..."
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "Cannot install them: not root and no sudo. Run: apt-get install golang-go golang-github-masterminds-sprig-dev golang-github-ghodss-yaml-dev" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends golang-go golang-github-masterminds-sprig-dev \
  golang-github-ghodss-yaml-dev >/dev/null
go version
