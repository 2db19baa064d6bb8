#!/bin/bash
# The quick start — the main job, on one machine, with no daemon and no registry server:
#   1. builds ostree4j and installs the tools it drives (runc, debootstrap, ostree...);
#   2. makes a base OS image: the Debian 12 minbase tree in ostree's layout (/etc as /usr/etc, an
#      empty /var, a placeholder kernel), committed as a bootable commit and shipped as a chunked
#      ostree native container image in a local OCI layout. This is the part a vendor's base
#      image (NestOS For Container, Fedora CoreOS) plays;
#   3. builds containerfiles/nestos-custom on top of it with `ostree4j build` (RUN steps in runc,
#      changes captured with overlayfs) into a second OCI layout;
#   4. creates a scratch sysroot (never /), rebases it onto the customized image the way a node
#      does, and prints `ostree4j status`.
#
# Usage: examples/quickstart.sh [WORKDIR]   (default: a new temporary directory)
# Needs root (RUN steps, overlay mounts, real file owners in the sysroot) and, the first time,
# network access to a Debian mirror (debootstrap; the tree is cached, see scripts/debian-minbase.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
if [ "$(id -u)" != 0 ]; then
  echo "quickstart: run as root (builds run RUN steps in runc; the sysroot keeps real owners)" >&2
  exit 1
fi
"$here/scripts/install-build-tools.sh"
"$here/scripts/install-peers.sh"
work=${1:-$(mktemp -d -t ostree4j-quickstart.XXXXXX)}
mkdir -p "$work"
cd "$work"
ostree4j() { "$here/bin/ostree4j" "$@"; }

echo "== 1. the base OS image"
rootfs=$("$here/scripts/debian-minbase.sh")
rm -rf base-tree repo images build-root sysroot
cp -al "$rootfs" base-tree                  # hardlinks: the cached tree itself is not modified
mv base-tree/etc base-tree/usr/etc          # ostree's layout: defaults under /usr/etc
rm -rf base-tree/var && mkdir base-tree/var # /var belongs to the node, not to the image
kver=6.1.0-quickstart
mkdir -p "base-tree/usr/lib/modules/$kver"
echo "placeholder kernel: this sample OS is for a scratch sysroot, not for real hardware" \
  > "base-tree/usr/lib/modules/$kver/vmlinuz"
echo "placeholder initramfs" > "base-tree/usr/lib/modules/$kver/initramfs.img"
ostree4j init --repo=repo --mode=bare-user
ostree4j commit --repo=repo --branch=exampleos/stable --bootable --owner-uid=0 --owner-gid=0 \
  --subject="Example OS base" --add-metadata-string=version=12.0 \
  --timestamp=2024-01-01T00:00:00Z base-tree
ostree4j container encapsulate --repo=repo exampleos/stable oci:images:base

echo "== 2. the customized image, built from containerfiles/nestos-custom"
ostree4j build --root="$work/build-root" --build-arg BASE=oci:images:base \
  -t oci:images:custom "$here/containerfiles/nestos-custom"
ostree4j inspect oci:images:custom

echo "== 3. a scratch sysroot rebased onto it"
ostree4j admin init-fs sysroot
ostree4j admin os-init --sysroot=sysroot exampleos
ostree4j rebase --sysroot=sysroot --os=exampleos ostree-unverified-image:oci:images:custom
ostree4j status --sysroot=sysroot
deployment=$(ls -d sysroot/ostree/deploy/exampleos/deploy/*.0)
echo "the deployment has the customization:"
ls -l "$deployment/etc/systemd/system/multi-user.target.wants/hello.service" "$deployment/etc/hello/hello.conf"
grep '^hello:' "$deployment/etc/passwd"
echo "work directory: $work"
