package io.github.ostree4j.container.internal;

import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.OstreeRepo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The marker libostree leaves for a commit whose objects may not all be present yet: an empty file
 * {@code state/<checksum>.commitpartial}. {@code ostree fsck} does not require the objects of a
 * commit marked this way, and pulls know to complete it.
 */
public final class PartialCommitMarker {

  private PartialCommitMarker() {}

  /** The marker's path. */
  public static Path path(OstreeRepo repo, Checksum commit) {
    return repo.path().resolve("state").resolve(commit.hex() + ".commitpartial");
  }

  /** Whether the commit is marked partial. */
  public static boolean isMarked(OstreeRepo repo, Checksum commit) {
    return Files.exists(path(repo, commit), LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * Marks the commit partial.
   *
   * @throws IOException if the marker cannot be written
   */
  public static void mark(OstreeRepo repo, Checksum commit) throws IOException {
    Path p = path(repo, commit);
    Files.createDirectories(p.getParent());
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      Files.write(p, new byte[0]);
    }
  }

  /**
   * Removes the marker, if any.
   *
   * @throws IOException if it cannot be removed
   */
  public static void clear(OstreeRepo repo, Checksum commit) throws IOException {
    Files.deleteIfExists(path(repo, commit));
  }
}
