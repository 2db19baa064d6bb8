package io.github.ostree4j.build.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes files into a root filesystem for COPY and ADD, as buildah does:
 *
 * <ul>
 *   <li>owners: {@code --chown} when given; else the source's for {@code --from} copies, root
 *       for the build context;
 *   <li>modes: {@code --chmod} for files and directories when given (never for the destination
 *       directory itself), else the source's;
 *   <li>modification times: the source's;
 *   <li>missing destination directories and parents: mode 0755, owned by the {@code --chown}
 *       user or root;
 *   <li>existing directories on the way, symbolic links to directories included, are entered
 *       (inside the root) and keep their metadata; existing files and links are replaced;
 *       replacing a directory with a file is an error.
 * </ul>
 *
 * <p>Destination paths are resolved with {@link InRoot}: nothing is written outside the root.
 */
public final class TreeCopy {

  /**
   * Owner for written entries.
   *
   * @param uid user id
   * @param gid group id
   */
  public record Owner(int uid, int gid) {
    /** Root. */
    public static final Owner ROOT = new Owner(0, 0);
  }

  private final Path root;
  private final Owner chown;
  private final boolean keepSourceOwner;
  private final Integer chmod;
  private final List<Object[]> dirTimes = new ArrayList<>();

  /**
   * @param root the root filesystem written to
   * @param chown the {@code --chown} owner, or null
   * @param keepSourceOwner whether entries keep their source's owner when there is no chown
   * @param chmod the {@code --chmod} mode, or null
   */
  public TreeCopy(Path root, Owner chown, boolean keepSourceOwner, Integer chmod) {
    this.root = root;
    this.chown = chown;
    this.keepSourceOwner = keepSourceOwner;
    this.chmod = chmod;
  }

  /** @return the owner of directories this copy creates */
  public Owner createdOwner() {
    return chown != null ? chown : Owner.ROOT;
  }

  /**
   * Creates a directory and its missing parents (mode 0755, {@link #createdOwner()}).
   *
   * @param logical the directory inside the root
   * @return its host path
   * @throws StepFailedException when a non-directory is in the way
   * @throws IOException when creating fails
   */
  public Path mkdirs(String logical) throws StepFailedException, IOException {
    String clean = InRoot.clean(logical);
    Path current = root;
    StringBuilder sofar = new StringBuilder();
    for (String part : clean.isEmpty() ? new String[0] : clean.split("/")) {
      sofar.append('/').append(part);
      Path next = InRoot.resolve(root, sofar.toString(), true);
      if (Files.isDirectory(next, LinkOption.NOFOLLOW_LINKS)) {
        current = next;
        continue;
      }
      if (Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
        throw new StepFailedException("cannot create directory " + sofar + ": a file is in the way");
      }
      InRoot.createMissing(root, next, 0755, createdOwner());
      current = next;
    }
    return current;
  }

  /**
   * Copies one file (or symbolic link) to a host path inside the root whose parent exists.
   *
   * @param source the source file
   * @param st its attributes
   * @param linkTarget its link target when it is a symbolic link, else null
   * @param target the destination host path
   * @throws StepFailedException when a directory is in the way
   * @throws IOException when writing fails
   */
  public void copyFile(Path source, FileAttrs.Stat st, String linkTarget, Path target)
      throws StepFailedException, IOException {
    prepareTarget(target);
    if (st.isSymlink()) {
      Files.createSymbolicLink(target, Path.of(linkTarget));
    } else if (st.isRegularFile()) {
      Files.copy(source, target, LinkOption.NOFOLLOW_LINKS);
    } else {
      return; // sockets, fifos and devices are not copied
    }
    finish(target, st);
  }

  /**
   * Writes a file from a stream (heredocs, downloads).
   *
   * @param in the content
   * @param target the destination host path (parent exists)
   * @param mode permission bits before {@code --chmod}
   * @param mtimeMillis the modification time
   * @throws StepFailedException when a directory is in the way
   * @throws IOException when writing fails
   */
  public void writeFile(InputStream in, Path target, int mode, long mtimeMillis)
      throws StepFailedException, IOException {
    prepareTarget(target);
    Files.copy(in, target);
    finish(target, new FileAttrs.Stat(FileAttrs.S_IFREG | mode, 0, 0, 0, mtimeMillis));
  }

  private void prepareTarget(Path target) throws StepFailedException, IOException {
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new StepFailedException("cannot replace directory /" + root.relativize(target)
          + " with a file");
    }
    Files.deleteIfExists(target);
  }

  /**
   * Copies the entries below a selected directory into a destination directory.
   *
   * @param entries the entries, parents first
   * @param destLogical the destination directory inside the root (created if missing)
   * @throws StepFailedException when something is in the way
   * @throws IOException when writing fails
   */
  public void copyEntries(List<SourceSelection.Entry> entries, String destLogical)
      throws StepFailedException, IOException {
    mkdirs(destLogical);
    String base = "/" + InRoot.clean(destLogical);
    for (SourceSelection.Entry e : entries) {
      String logical = (base.equals("/") ? "" : base) + "/" + e.sub();
      if (e.stat().isDirectory()) {
        Path host = InRoot.resolve(root, logical, true);
        if (Files.isDirectory(host)) {
          continue; // existing directories keep their metadata
        }
        if (Files.exists(host, LinkOption.NOFOLLOW_LINKS)) {
          Files.delete(host);
        }
        Files.createDirectory(host);
        applyOwnerAndMode(host, e.stat());
        dirTimes.add(new Object[] {host, e.stat().mtimeMillis()});
      } else {
        Path host = InRoot.resolve(root, logical, false);
        copyFile(e.host(), e.stat(), e.linkTarget(), host);
      }
    }
  }

  /**
   * Sets the modification times of the directories created, children before parents; call once
   * after all copies.
   *
   * @throws IOException when setting fails
   */
  public void finishDirectories() throws IOException {
    for (int i = dirTimes.size() - 1; i >= 0; i--) {
      FileAttrs.setMtime((Path) dirTimes.get(i)[0], (Long) dirTimes.get(i)[1]);
    }
    dirTimes.clear();
  }

  private void finish(Path target, FileAttrs.Stat st) throws IOException {
    applyOwnerAndMode(target, st);
    FileAttrs.setMtime(target, st.mtimeMillis());
  }

  private void applyOwnerAndMode(Path target, FileAttrs.Stat st) throws IOException {
    Owner o = chown != null ? chown : keepSourceOwner ? new Owner(st.uid(), st.gid()) : Owner.ROOT;
    FileAttrs.chown(target, o.uid(), o.gid());
    if (!st.isSymlink()) {
      FileAttrs.chmod(target, chmod != null ? chmod : st.permissions());
    }
  }

  /**
   * Moves a file written elsewhere on the same filesystem into place (downloads).
   *
   * @param file the file
   * @param target the destination host path (parent exists)
   * @param mode permission bits before {@code --chmod}
   * @param mtimeMillis the modification time
   * @throws StepFailedException when a directory is in the way
   * @throws IOException when moving fails
   */
  public void moveFile(Path file, Path target, int mode, long mtimeMillis)
      throws StepFailedException, IOException {
    prepareTarget(target);
    Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
    finish(target, new FileAttrs.Stat(FileAttrs.S_IFREG | mode, 0, 0, 0, mtimeMillis));
  }
}
