package io.github.ostree4j.build.internal;

import io.github.ostree4j.build.IgnorePatterns;
import io.github.ostree4j.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The sources of a COPY or ADD in one source root (the build context, a stage's root filesystem
 * or an image's): patterns expanded with {@link Glob} one component at a time, the top-level
 * sources followed when they are symbolic links (inside the root), directory contents walked
 * without following links, the ignore file (context only) and {@code --exclude} patterns applied.
 */
public final class SourceSelection {

  /**
   * A top-level source.
   *
   * @param host where it is (symbolic links followed)
   * @param rel its path relative to the source root after following links ({@code ""} for the
   *     root itself)
   * @param written its path as the pattern matched it, relative to the root, for {@code --parents}
   * @param name the name a copied file gets in a destination directory
   * @param stat its attributes
   */
  public record Selected(Path host, String rel, String written, String name, FileAttrs.Stat stat) {}

  /**
   * An entry below a selected directory.
   *
   * @param host where it is
   * @param sub its path relative to the selected directory
   * @param stat its attributes (not followed)
   * @param linkTarget the target of a symbolic link, else null
   */
  public record Entry(Path host, String sub, FileAttrs.Stat stat, String linkTarget) {}

  private final Path root;
  private final IgnorePatterns ignore;
  private final IgnorePatterns excludes;
  private final boolean context;

  /**
   * @param root the source root
   * @param ignore the context's ignore patterns, or null (stages and images)
   * @param excludes the {@code --exclude} patterns, or null
   * @param context whether the root is the build context (paths out of it are errors)
   */
  public SourceSelection(Path root, IgnorePatterns ignore, IgnorePatterns excludes,
      boolean context) {
    this.root = root;
    this.ignore = ignore;
    this.excludes = excludes;
    this.context = context;
  }

  /** @return the source root */
  public Path root() {
    return root;
  }

  /**
   * Expands one source pattern.
   *
   * @param pattern the source as written (after variable expansion)
   * @return the matches, in name order
   * @throws StepFailedException when the source lies outside the context, or nothing matches
   * @throws IOException when the root cannot be read
   */
  public List<Selected> select(String pattern) throws StepFailedException, IOException {
    String p = pattern;
    if (context && InRoot.escapes(p.startsWith("/") ? p.substring(1) : p)) {
      throw new StepFailedException("forbidden path outside the build context: " + pattern);
    }
    String clean = InRoot.clean(p);
    List<Selected> out = new ArrayList<>();
    if (!Glob.hasMeta(clean)) {
      add(out, clean);
      if (out.isEmpty()) {
        throw new StepFailedException(context
            ? "file not found in build context or excluded by the ignore file: " + pattern
            : "no such file or directory: " + pattern);
      }
      return out;
    }
    List<String> parts = clean.isEmpty() ? List.of() : List.of(clean.split("/"));
    List<String> prefixes = new ArrayList<>();
    prefixes.add("");
    for (String part : parts) {
      List<String> next = new ArrayList<>();
      for (String prefix : prefixes) {
        if (!Glob.hasMeta(part)) {
          next.add(prefix.isEmpty() ? part : prefix + "/" + part);
          continue;
        }
        Path dir = InRoot.resolve(root, prefix, true);
        if (!Files.isDirectory(dir)) {
          continue;
        }
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
          for (Path c : ds) {
            names.add(c.getFileName().toString());
          }
        }
        names.sort(null);
        for (String n : names) {
          boolean m;
          try {
            m = Glob.match(part, n);
          } catch (IllegalArgumentException e) {
            throw new StepFailedException(e.getMessage());
          }
          if (m) {
            next.add(prefix.isEmpty() ? n : prefix + "/" + n);
          }
        }
      }
      prefixes = next;
    }
    for (String match : prefixes) {
      add(out, match);
    }
    if (out.isEmpty()) {
      throw new StepFailedException("no source files were specified: nothing matches " + pattern);
    }
    return out;
  }

  private void add(List<Selected> out, String relWritten) throws IOException, StepFailedException {
    Path host = InRoot.resolve(root, relWritten, true);
    if (!Files.exists(host, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    String rel = root.relativize(host).toString();
    if (ignore != null && !rel.isEmpty() && ignore.excludes(rel)) {
      return;
    }
    if (excludes != null && !relWritten.isEmpty() && excludes.excludes(relWritten)) {
      return;
    }
    String name = relWritten.isEmpty() ? "" : relWritten.substring(relWritten.lastIndexOf('/') + 1);
    out.add(new Selected(host, rel, relWritten, name, FileAttrs.lstat(host)));
  }

  /**
   * The entries below a selected directory, parents before children, names sorted; excluded
   * entries are left out (a directory is kept when something below it is not excluded).
   *
   * @param s a selected directory
   * @return its entries
   * @throws IOException when reading fails
   */
  public List<Entry> walk(Selected s) throws IOException {
    List<Entry> out = new ArrayList<>();
    walk(s, s.host(), "", out);
    return out;
  }

  private void walk(Selected s, Path dir, String sub, List<Entry> out) throws IOException {
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      ds.forEach(children::add);
    }
    children.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
    for (Path c : children) {
      String name = c.getFileName().toString();
      String childSub = sub.isEmpty() ? name : sub + "/" + name;
      FileAttrs.Stat st = FileAttrs.lstat(c);
      boolean excluded = isExcluded(s, childSub);
      if (st.isDirectory()) {
        if (excluded && !mayReinclude()) {
          continue; // nothing below an excluded directory can come back
        }
        int mark = out.size();
        out.add(new Entry(c, childSub, st, null));
        walk(s, c, childSub, out);
        if (excluded && out.size() == mark + 1) {
          out.remove(mark); // excluded and nothing below it is kept
        }
        continue;
      }
      if (excluded) {
        continue;
      }
      String target = st.isSymlink() ? Files.readSymbolicLink(c).toString() : null;
      out.add(new Entry(c, childSub, st, target));
    }
  }

  private boolean mayReinclude() {
    return ignore != null && ignore.hasExclusions() || excludes != null && excludes.hasExclusions();
  }

  private boolean isExcluded(Selected s, String childSub) {
    if (ignore != null) {
      String rel = s.rel().isEmpty() ? childSub : s.rel() + "/" + childSub;
      if (ignore.excludes(rel)) {
        return true;
      }
    }
    if (excludes != null) {
      String w = s.written().isEmpty() ? childSub : s.written() + "/" + childSub;
      return excludes.excludes(childSub) || excludes.excludes(w);
    }
    return false;
  }

  /**
   * A content hash of the selected sources for the cache key: paths, types, modes, owners,
   * sizes, link targets and file contents (not modification times).
   *
   * @param selected the sources
   * @return 64 hex digits
   * @throws IOException when a file cannot be read
   */
  public String contentHash(List<Selected> selected) throws IOException {
    MessageDigest md = Digest.newSha256();
    byte[] buf = new byte[1 << 16];
    for (Selected s : selected) {
      entry(md, "top", s.written(), s.stat(), null);
      if (s.stat().isDirectory()) {
        for (Entry e : walk(s)) {
          entry(md, "sub", e.sub(), e.stat(), e.linkTarget());
          if (e.stat().isRegularFile()) {
            content(md, e.host(), buf);
          }
        }
      } else if (s.stat().isRegularFile()) {
        content(md, s.host(), buf);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static void entry(MessageDigest md, String kind, String path, FileAttrs.Stat st,
      String link) {
    String line = kind + "\0" + path + "\0" + Integer.toOctalString(st.mode()) + "\0" + st.uid()
        + ":" + st.gid() + "\0" + (st.isRegularFile() ? st.size() : 0) + "\0"
        + (link == null ? "" : link) + "\n";
    md.update(line.getBytes(StandardCharsets.UTF_8));
  }

  private static void content(MessageDigest md, Path file, byte[] buf) throws IOException {
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    }
  }
}
