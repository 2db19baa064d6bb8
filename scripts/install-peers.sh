#!/bin/bash
# Installs the real programs ostree4j's integration tests compare against (Debian 12 bookworm).
#
# Usage: scripts/install-peers.sh
#
# Idempotent. As root, installs whatever is missing with apt-get (one `apt-get update`, then one
# `apt-get install`). As another user, only reports what is missing and exits 0: the tests that
# need a missing peer are skipped (unless CI=true, where they fail).
# Prints one summary line on success.
set -euo pipefail

# package:command pairs; a command of "-" means "check the package's installed files instead".
PEERS=(
  ostree:ostree
  ostree-tests:-
  debootstrap:debootstrap
  attr:setfattr
  attr:getfattr
  zstd:zstd
  pigz:pigz
  skopeo:skopeo
  umoci:umoci
  docker-registry:docker-registry
  apache2-utils:htpasswd
  runc:runc
  buildah:buildah
  openssl:openssl
  gnupg:gpg
  busybox-static:busybox
  rpm:rpm
  rpm:rpmbuild
)

# debootstrap lives in /usr/sbin, which is not on a non-root user's PATH on Debian.
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

present() { # package command
  if [ "$2" = "-" ]; then
    case "$1" in
      ostree-tests) [ -d /usr/libexec/installed-tests/libostree ] ;;
      *) dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q ' installed$' ;;
    esac
  else
    command -v "$2" >/dev/null 2>&1
  fi
}

missing_packages() {
  local entry pkg cmd out=()
  for entry in "${PEERS[@]}"; do
    pkg=${entry%%:*}
    cmd=${entry#*:}
    if ! present "$pkg" "$cmd"; then
      case " ${out[*]-} " in *" $pkg "*) ;; *) out+=("$pkg") ;; esac
    fi
  done
  echo "${out[*]-}"
}

missing=$(missing_packages)
if [ -z "$missing" ]; then
  echo "install-peers: all peers present (ostree $(ostree --version 2>/dev/null | sed -n "s/.*Version: '\(.*\)'/\1/p"))"
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  echo "install-peers: missing packages: $missing (run this script as root to install them; tests needing them will be skipped)"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-peers: missing packages: $missing, and apt-get is not available to install them" >&2
  exit 1
fi

log=$(mktemp -t install-peers.XXXXXX.log)
trap 'rm -f "$log"' EXIT
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086 # $missing is a space-separated list of package names
if ! { apt-get update && apt-get install -y --no-install-recommends $missing; } >"$log" 2>&1; then
  echo "install-peers: apt-get failed while installing: $missing" >&2
  tail -n 40 "$log" >&2
  exit 1
fi

still=$(missing_packages)
if [ -n "$still" ]; then
  echo "install-peers: still missing after installation: $still" >&2
  exit 1
fi
echo "install-peers: installed $missing"
