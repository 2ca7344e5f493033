#!/usr/bin/env bash
# Installs the Debian packages nba-precompute needs to build, test and
# benchmark. Idempotent: runs apt-get only when something is missing.
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config make
  libsqlite3-dev nlohmann-json3-dev libcli11-dev libfmt-dev libssl-dev zlib1g-dev libjemalloc-dev
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  sqlite3 python3
  chromium  # headless browser for the HTML report test
)

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
