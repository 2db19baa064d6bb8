package io.github.ostree4j.container.internal;

import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.Commit;
import io.github.ostree4j.ostree.DirMeta;
import io.github.ostree4j.ostree.DirTree;
import io.github.ostree4j.ostree.ObjectType;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.Xattrs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The commit that records a component layer imported in object-set mode, so that its objects
 * are reachable (and the layer can be found again): a root directory holding one file per
 * imported content object, named by the object's checksum, with the default directory metadata
 * (uid 0, gid 0, mode 040755, no xattrs) and timestamp 0.
 *
 * <p>The reference notes leave the remaining commit fields open; they are those of a commit
 * written with nothing else given: no metadata (an empty {@code a{sv}}), no parent, no related
 * objects, empty subject and body.
 */
public final class ObjectSetCommit {

  private ObjectSetCommit() {}

  /**
   * Writes the dirtree, dirmeta and commit for the given objects.
   *
   * @return the commit's checksum
   * @throws IOException on write failure
   */
  public static Checksum write(OstreeRepo repo, Collection<Checksum> objects) throws IOException {
    List<DirTree.FileEntry> files = new ArrayList<>(objects.size());
    for (Checksum c : objects) {
      files.add(new DirTree.FileEntry(c.hex(), c));
    }
    Checksum tree = repo.writeMetadata(ObjectType.DIR_TREE, new DirTree(files, List.of()).serialize());
    Checksum meta = repo.writeMetadata(ObjectType.DIR_META, DirMeta.of(0, 0, 0755, Xattrs.EMPTY).serialize());
    Commit commit = Commit.builder().timestamp(0).root(tree, meta).build();
    return repo.writeCommit(commit);
  }
}
