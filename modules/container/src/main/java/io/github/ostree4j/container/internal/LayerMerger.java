package io.github.ostree4j.container.internal;

import io.github.ostree4j.container.InvalidLayerException;
import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.oci.Whiteouts;
import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.ContentObject;
import io.github.ostree4j.ostree.DirMeta;
import io.github.ostree4j.ostree.DirTree;
import io.github.ostree4j.ostree.MutableTree;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.Xattrs;
import java.io.IOException;
import java.util.List;

/**
 * Lays derived layer commits over a tree with OCI layer semantics, which is what ostree-ext gets
 * from checking each layer out over the base with whiteout processing:
 *
 * <ul>
 *   <li>{@code .wh.NAME} removes NAME (file or directory) of the layers below, in the same
 *       directory, and is not kept; {@code .wh..wh..opq} removes everything the layers below
 *       have in its directory, the layer's own entries stay; other {@code .wh..wh.*} names (AUFS
 *       bookkeeping) are dropped. Whiteouts never hide entries of their own layer.
 *   <li>files and symlinks replace what was there, directories included; a directory replaces a
 *       file; directories present below and above are merged.
 *   <li>a merged directory takes the upper layer's metadata, except when that metadata is the
 *       one given to directories created only as missing parents (0:0, 0755, no xattrs): a layer
 *       commit cannot tell those from explicit entries, and a tar that omits a parent (usually the
 *       root) leaves the directory as it was. (ostree-ext's union checkout always keeps the lower
 *       directory's metadata, except for opaque directories.)
 * </ul>
 */
public final class LayerMerger {

  private final OstreeRepo repo;
  private final Checksum parentDirMeta;

  /** A merger reading layer commits from {@code repo}. */
  public LayerMerger(OstreeRepo repo) {
    this.repo = repo;
    // metadata objects are named by the SHA-256 of their bytes
    this.parentDirMeta = Checksum.fromBytes(Digest.newSha256().digest(DirMeta.of(0, 0, 0755, Xattrs.EMPTY).serialize()));
  }

  /**
   * Applies the layer tree {@code (tree, meta)} to {@code lower}.
   *
   * @param created whether {@code lower} was just created for this layer (it takes the layer's
   *     metadata unconditionally)
   * @throws InvalidLayerException for a whiteout that names nothing ({@code .wh.})
   */
  public void apply(MutableTree lower, Checksum tree, Checksum meta, boolean created, String path)
      throws IOException {
    DirTree dt = repo.readDirTree(tree);
    boolean opaque = false;
    for (DirTree.FileEntry f : dt.files()) {
      if (Whiteouts.isOpaque(f.name())) {
        opaque = true;
      }
    }
    if (opaque) {
      lower.clear();
    }
    if (created || opaque || !meta.equals(parentDirMeta) || lower.metaChecksum() == null) {
      lower.setMetaChecksum(meta);
    }
    // whiteouts first, so that they only ever hide what the layers below have
    for (DirTree.FileEntry f : dt.files()) {
      String name = f.name();
      if (Whiteouts.isWhiteout(name)) {
        String target = name.substring(Whiteouts.PREFIX.length());
        if (target.isEmpty() || target.equals(".") || target.equals("..")) {
          throw new InvalidLayerException("layer entry '" + path + name + "': whiteout names no file");
        }
        lower.remove(target);
      }
    }
    for (DirTree.FileEntry f : dt.files()) {
      String name = f.name();
      if (!name.startsWith(Whiteouts.PREFIX)) {
        lower.putFile(name, f.checksum());
      }
    }
    for (DirTree.DirEntry d : dt.dirs()) {
      MutableTree sub = lower.getDir(d.name());
      boolean fresh = sub == null;
      if (fresh) {
        sub = lower.ensureDir(d.name());
      }
      apply(sub, d.tree(), d.meta(), fresh, path + d.name() + "/");
    }
  }

  /**
   * Removes {@code usr/etc/hostname} and {@code usr/etc/resolv.conf} if they are empty regular
   * files: build tools inject them into every layer they run a command in.
   */
  public void cleanupRoot(MutableTree root) throws IOException {
    MutableTree usr = root.getDir("usr");
    MutableTree etc = usr == null ? null : usr.getDir("etc");
    if (etc == null) {
      return;
    }
    for (String name : List.of("hostname", "resolv.conf")) {
      Checksum c = etc.getFile(name);
      if (c != null && isEmptyRegularFile(c)) {
        etc.remove(name);
      }
    }
  }

  private boolean isEmptyRegularFile(Checksum c) throws IOException {
    try (ContentObject o = repo.openContent(c)) {
      return !o.header().isSymlink() && o.size() == 0;
    }
  }
}
