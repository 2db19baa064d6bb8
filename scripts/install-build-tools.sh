#!/bin/bash
# Makes sure a JDK (17 or newer) and Maven are available; as root on Debian, installs them.
set -euo pipefail
need=()
if ! command -v javac >/dev/null 2>&1; then need+=(openjdk-17-jdk-headless); fi
if ! command -v mvn >/dev/null 2>&1; then need+=(maven); fi
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-build-tools: please install ${need[*]} (a JDK 17+ and Maven 3.8+)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update >/dev/null
apt-get install -y --no-install-recommends "${need[@]}" >/dev/null
echo "install-build-tools: installed ${need[*]}"
