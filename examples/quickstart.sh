#!/bin/bash
# The quick start: builds ostree4j, commits a small OS-like tree into a new archive repository,
# checks it out again and verifies the round trip, then ships the commit as a chunked OCI image
# (an OCI layout directory, no registry needed), imports it into a second repository the way
# a node does, and (as root) rebases a scratch sysroot onto the image and prints its status.
#
# Usage: examples/quickstart.sh [WORKDIR]   (default: a new temporary directory)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/scripts/install-build-tools.sh"
work=${1:-$(mktemp -d -t ostree4j-quickstart.XXXXXX)}
mkdir -p "$work"
cd "$work"
ostree4j() { "$here/bin/ostree4j" "$@"; }

# A tiny tree with the shapes an OS has: files, an executable, a symlink, a config dir.
rm -rf tree
mkdir -p tree/usr/bin tree/usr/etc tree/usr/lib/os tree/usr/lib/modules/6.1.0-example
printf 'NAME="Example OS"\nID=exampleos\nPRETTY_NAME="Example OS 1"\nVERSION_ID=1\n' > tree/usr/lib/os-release
printf 'not a real kernel\n' > tree/usr/lib/modules/6.1.0-example/vmlinuz
printf 'not a real initramfs\n' > tree/usr/lib/modules/6.1.0-example/initramfs.img
printf '#!/bin/sh\necho hello from example os\n' > tree/usr/bin/hello
chmod 0755 tree/usr/bin/hello
ln -s ../lib/os-release tree/usr/etc/os-release
printf 'greeting=hello\n' > tree/usr/etc/example.conf

ostree4j init --repo=repo --mode=archive
commit=$(ostree4j commit --repo=repo --branch=exampleos/x86_64/stable --bootable \
  --subject="Example OS 1" --add-metadata-string=version=1 \
  --timestamp=2024-01-01T00:00:00Z --owner-uid=0 --owner-gid=0 tree)
echo "committed $commit"
ostree4j ls --repo=repo -R exampleos/x86_64/stable
rm -rf checkout
ostree4j checkout --repo=repo -U exampleos/x86_64/stable checkout
diff -r tree checkout && echo "round trip OK: checkout equals the source tree"
ostree4j fsck --repo=repo
ostree4j log --repo=repo exampleos/x86_64/stable

# Ship it as an ostree native container image, then pull it like a node would.
rm -rf image node
digest=$(ostree4j container encapsulate --repo=repo exampleos/x86_64/stable oci:image:stable)
echo "image oci:image:stable is $digest"
ostree4j inspect oci:image:stable
ostree4j init --repo=node --mode=bare-user
ostree4j container image pull --repo=node ostree-unverified-image:oci:image:stable
base=$(ostree4j rev-parse --repo=node "$(ostree4j refs --repo=node | grep '^ostree/container/image/')^")
[ "$base" = "$commit" ] && echo "image round trip OK: the pulled image's base is commit $commit"

# A node: a scratch sysroot (never /) rebased onto the image. The sysroot repository is in mode
# bare, which keeps real owners: this part needs root.
if [ "$(id -u)" = 0 ]; then
  rm -rf sysroot
  ostree4j admin init-fs sysroot
  ostree4j admin os-init --sysroot=sysroot exampleos
  ostree4j rebase --sysroot=sysroot ostree-unverified-image:oci:image:stable
  ostree4j status --sysroot=sysroot
else
  echo "(run as root to also rebase a scratch sysroot onto the image)"
fi
echo "work directory: $work"
