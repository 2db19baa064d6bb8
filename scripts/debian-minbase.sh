#!/bin/bash
# Prints the path of a cached Debian 12 minbase root filesystem, building it first if needed.
#
# Usage: scripts/debian-minbase.sh [CACHE_DIR]
#
# CACHE_DIR defaults to $OSTREE4J_CACHE, else /tmp/ostree4j-cache (the same default as the Java
# helper io.github.ostree4j.testing.DebianRootfs, whose cache layout this script shares):
#
#   CACHE_DIR/minbase-bookworm/rootfs               the root filesystem (printed on stdout)
#   CACHE_DIR/minbase-bookworm/.ostree4j-complete   marker: rootfs is complete
#   CACHE_DIR/minbase-bookworm/.lock                flock(1) lock serialising builders
#
# Building needs root, debootstrap and the mirror $DEBIAN_MIRROR (default
# http://deb.debian.org/debian). The tree is built in a temporary sibling directory and renamed
# into place only when complete; device nodes, sockets, fifos and the contents of dev/, proc/
# and sys/ are removed because ostree cannot commit them. Progress goes to stderr.
set -euo pipefail

suite=bookworm
cache=${1:-${OSTREE4J_CACHE:-/tmp/ostree4j-cache}}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

mkdir -p "$cache"
entry=$(cd "$cache" && pwd -P)/minbase-$suite
rootfs=$entry/rootfs
marker=$entry/.ostree4j-complete

if [ -f "$marker" ] && [ -d "$rootfs" ]; then
  echo "$rootfs"
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  echo "debian-minbase: building $rootfs needs root" >&2
  exit 1
fi
if ! command -v debootstrap >/dev/null 2>&1; then
  echo "debian-minbase: debootstrap is missing; run scripts/install-peers.sh" >&2
  exit 1
fi

mkdir -p "$entry"
exec 9>>"$entry/.lock"
flock --exclusive 9

# Another builder may have finished while we waited for the lock.
if [ -f "$marker" ] && [ -d "$rootfs" ]; then
  echo "$rootfs"
  exit 0
fi

# Leftovers of an interrupted build; nobody else is building while we hold the lock.
rm -f "$marker"
rm -rf "$rootfs" "$entry"/rootfs.tmp-*

tmp=$(mktemp -d "$entry/rootfs.tmp-XXXXXXXX")
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT

echo "debian-minbase: debootstrap --variant=minbase $suite from $mirror (a few minutes)..." >&2
if ! LC_ALL=C.UTF-8 debootstrap --variant=minbase "$suite" "$tmp" "$mirror" >"$tmp.log" 2>&1; then
  echo "debian-minbase: debootstrap failed:" >&2
  tail -n 30 "$tmp.log" >&2
  [ -f "$tmp/debootstrap/debootstrap.log" ] && tail -n 30 "$tmp/debootstrap/debootstrap.log" >&2
  rm -f "$tmp.log"
  exit 1
fi
rm -f "$tmp.log"

for d in dev proc sys; do
  if [ -d "$tmp/$d" ]; then
    find "$tmp/$d" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
  fi
done
find "$tmp" -xdev \( -type b -o -type c -o -type p -o -type s \) -delete
chmod 0755 "$tmp"

mv -T "$tmp" "$rootfs"
trap - EXIT
printf 'suite=%s\nvariant=minbase\nmirror=%s\nbuilt=%s\n' "$suite" "$mirror" \
  "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$marker.tmp"
mv -f "$marker.tmp" "$marker"
echo "$rootfs"
