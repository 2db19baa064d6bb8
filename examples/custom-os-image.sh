#!/bin/bash
# The main job: customize an OS image with a Containerfile, no daemon. Commits the Debian 12
# minbase tree (scripts/debian-minbase.sh builds it once) as an OS, ships it as a base image with
# `container encapsulate`, builds containerfiles/nestos-custom on it into a local OCI layout, and
# pulls the result into a node repository the way rpm-ostree/bootc would.
#
# Usage: examples/custom-os-image.sh [WORKDIR]   (default: a new temporary directory; run as root)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/scripts/install-build-tools.sh"
work=${1:-$(mktemp -d -t ostree4j-custom-os.XXXXXX)}
mkdir -p "$work"
cd "$work"
ostree4j() { "$here/bin/ostree4j" "$@"; }

rootfs=$("$here/scripts/debian-minbase.sh")
rm -rf repo images node
ostree4j init --repo=repo --mode=bare-user
ostree4j commit --repo=repo --branch=os --owner-uid=0 --owner-gid=0 \
  --timestamp=2024-01-01T00:00:00Z "$rootfs"
ostree4j container encapsulate --repo=repo os oci:images:base

# the build: a config file, a systemd unit enabled by symlink, a user, `ostree container commit`
ostree4j build --root "$work/build-root" --build-arg BASE=oci:images:base \
  -t oci:images:custom "$here/containerfiles/nestos-custom"

ostree4j init --repo=node --mode=bare-user
ostree4j container image pull --repo=node ostree-unverified-image:oci:images:custom
echo "work directory: $work"
