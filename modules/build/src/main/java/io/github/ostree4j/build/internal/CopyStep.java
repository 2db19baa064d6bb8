package io.github.ostree4j.build.internal;

import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.oci.OciFormatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One COPY or ADD, its values already expanded: selects the sources (and downloads URLs) up
 * front so that their content can go into the cache key, then writes them into a root
 * filesystem.
 *
 * <p>Destination rules (Docker's): a destination ending in {@code /}, an existing directory, or
 * several sources mean "into this directory" (files keep their names); otherwise a single file is
 * written to the destination path itself. A directory source copies its contents. A relative
 * destination is relative to the WORKDIR. Several sources need a destination ending in {@code /}
 * (or an existing directory). {@code --parents} keeps each source's path below the destination.
 */
public final class CopyStep {

  /**
   * A heredoc source: a file of this name with this content.
   *
   * @param name the file name
   * @param content the content (variables already expanded where the heredoc asks for it)
   */
  public record InlineFile(String name, String content) {}

  /** What the step copies, as written after expansion. */
  public record Spec(boolean add, List<String> sources, List<InlineFile> inline, String dest,
      String workdir, String chown, Integer chmod, boolean parents, Optional<String> checksum,
      Optional<Boolean> unpack, long nowMillis) {}

  private final Spec spec;
  private final SourceSelection selection;
  private final boolean keepSourceOwner;
  private final Path tmpDir;
  private final List<Object> items = new ArrayList<>();

  /**
   * @param spec what to copy
   * @param selection the source root (context, stage or image)
   * @param keepSourceOwner whether copied entries keep their owners (COPY --from)
   * @param tmpDir where downloads go
   */
  public CopyStep(Spec spec, SourceSelection selection, boolean keepSourceOwner, Path tmpDir) {
    this.spec = spec;
    this.selection = selection;
    this.keepSourceOwner = keepSourceOwner;
    this.tmpDir = tmpDir;
  }

  /**
   * Selects the sources and downloads URLs.
   *
   * @param hashContent whether to compute a content hash (for the cache key)
   * @return the content hash, or an empty string
   * @throws StepFailedException when a source is missing, outside the context, or its checksum
   *     does not match
   * @throws IOException when reading or downloading fails
   */
  public String prepare(boolean hashContent) throws StepFailedException, IOException {
    StringBuilder hash = new StringBuilder();
    for (String s : spec.sources()) {
      if (spec.add() && UrlFetch.isUrl(s)) {
        UrlFetch.Download d = UrlFetch.fetch(s, tmpDir);
        if (spec.checksum().isPresent()) {
          Digest want;
          try {
            want = Digest.parse(spec.checksum().get());
          } catch (OciFormatException e) {
            throw new StepFailedException("invalid --checksum " + spec.checksum().get()
                + " (expected sha256:<64 hex digits>)");
          }
          if (!want.equals(d.digest())) {
            Files.deleteIfExists(d.file());
            throw new StepFailedException("checksum mismatch for " + s + ": expected " + want
                + ", got " + d.digest());
          }
        }
        items.add(d);
        hash.append("url ").append(s).append(' ').append(d.digest()).append('\n');
        continue;
      }
      if (spec.checksum().isPresent()) {
        throw new StepFailedException("--checksum is only supported for URL sources: " + s);
      }
      List<SourceSelection.Selected> sel = selection.select(s);
      items.add(sel);
      if (hashContent) {
        hash.append("src ").append(s).append(' ').append(selection.contentHash(sel)).append('\n');
      }
    }
    for (InlineFile f : spec.inline()) {
      hash.append("inline ").append(f.name()).append('\n').append(f.content()).append('\n');
    }
    return hash.toString();
  }

  /**
   * Writes the sources into a root filesystem.
   *
   * @param root the step's root
   * @throws StepFailedException when a destination conflicts or a name is not found
   * @throws IOException when writing fails
   */
  @SuppressWarnings("unchecked")
  public void apply(Path root) throws StepFailedException, IOException {
    TreeCopy.Owner owner = spec.chown() == null ? null : ChownSpec.resolve(root, spec.chown());
    TreeCopy copy = new TreeCopy(root, owner, keepSourceOwner, spec.chmod());
    String dest = spec.dest();
    String abs = dest.startsWith("/") ? dest : spec.workdir() + "/" + dest;
    String destLogical = "/" + InRoot.clean(abs);
    boolean slash = dest.endsWith("/") || dest.equals(".") || dest.endsWith("/.")
        || dest.equals("..") || dest.endsWith("/..");
    Path destHost = InRoot.resolve(root, destLogical, true);
    boolean existingDir = Files.isDirectory(destHost, LinkOption.NOFOLLOW_LINKS);
    int count = spec.inline().size();
    for (Object i : items) {
      count += i instanceof List ? ((List<?>) i).size() : 1;
    }
    boolean intoDir = slash || existingDir || count > 1;
    if (spec.sources().size() + spec.inline().size() > 1 && !slash && !existingDir) {
      throw new StepFailedException("with more than one source the destination must be a"
          + " directory and end with a /: " + dest);
    }
    for (Object i : items) {
      if (i instanceof UrlFetch.Download) {
        applyDownload(copy, (UrlFetch.Download) i, destLogical, intoDir);
        continue;
      }
      for (SourceSelection.Selected s : (List<SourceSelection.Selected>) i) {
        String base = destLogical;
        if (s.stat().isDirectory()) {
          String target = spec.parents() ? join(base, s.written()) : base;
          copy.copyEntries(selection.walk(s), target);
        } else if (spec.add() && spec.unpack().orElse(true) && Archives.isArchive(s.host())) {
          Path dir = copy.mkdirs(base);
          Archives.extract(s.host(), dir, null); // buildah keeps the archive's owners
        } else {
          String target = spec.parents() ? join(base, s.written())
              : intoDir ? join(base, s.name()) : base;
          Path host = place(copy, target);
          String link = s.stat().isSymlink() ? Files.readSymbolicLink(s.host()).toString() : null;
          copy.copyFile(s.host(), s.stat(), link, host);
        }
      }
    }
    for (InlineFile f : spec.inline()) {
      String target = intoDir ? join(destLogical, f.name()) : destLogical;
      Path host = place(copy, target);
      copy.writeFile(new ByteArrayInputStream(f.content().getBytes(StandardCharsets.UTF_8)),
          host, 0644, spec.nowMillis());
    }
    copy.finishDirectories();
  }

  private void applyDownload(TreeCopy copy, UrlFetch.Download d, String destLogical,
      boolean intoDir) throws StepFailedException, IOException {
    if (spec.unpack().orElse(false) && Archives.isArchive(d.file())) {
      Path dir = copy.mkdirs(destLogical);
      Archives.extract(d.file(), dir, null);
      Files.deleteIfExists(d.file());
      return;
    }
    String target = destLogical;
    if (intoDir) {
      if (d.fileName().isEmpty()) {
        throw new StepFailedException("cannot determine a file name from the URL; give a"
            + " destination file name instead of a directory");
      }
      target = join(destLogical, d.fileName());
    }
    Path host = place(copy, target);
    copy.moveFile(d.file(), host, 0600, d.lastModifiedMillis().orElse(spec.nowMillis()));
  }

  /** Creates the parent of a logical target and returns the target's host path (not followed). */
  private static Path place(TreeCopy copy, String logical) throws StepFailedException, IOException {
    String clean = InRoot.clean(logical);
    int slash = clean.lastIndexOf('/');
    Path parent = copy.mkdirs(slash < 0 ? "/" : "/" + clean.substring(0, slash));
    return parent.resolve(clean.substring(slash + 1));
  }

  private static String join(String dir, String name) {
    if (name.isEmpty()) {
      return dir;
    }
    return dir.endsWith("/") ? dir + name : dir + "/" + name;
  }

  /**
   * What buildah's history calls the content after {@link #prepare}: {@code dir} for one
   * directory, {@code multi} for several sources, else {@code file}.
   *
   * @return the kind
   */
  public String contentKind() {
    int count = spec.inline().size();
    boolean dir = false;
    for (Object i : items) {
      if (i instanceof List) {
        for (Object o : (List<?>) i) {
          count++;
          dir = ((SourceSelection.Selected) o).stat().isDirectory();
        }
      } else {
        count++;
      }
    }
    return count > 1 ? "multi" : dir ? "dir" : "file";
  }

  /**
   * {@link #prepare} without a content hash, then {@link #apply}: for tests and callers that do
   * not cache.
   *
   * @param root the root filesystem written to
   * @throws StepFailedException as for the two steps
   * @throws IOException as for the two steps
   */
  void prepareAndApply(Path root) throws StepFailedException, IOException {
    prepare(false);
    apply(root);
  }

  /** Deletes downloads that were not used (a failed step). */
  public void discard() {
    for (Object i : items) {
      if (i instanceof UrlFetch.Download) {
        try {
          Files.deleteIfExists(((UrlFetch.Download) i).file());
        } catch (IOException e) {
          // temporary files go with the build's work directory
        }
      }
    }
  }
}
