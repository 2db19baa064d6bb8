package io.github.ostree4j.ostree;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The refs of a repository: {@code refs/heads/NAME}, {@code refs/remotes/REMOTE/NAME},
 * {@code refs/mirrors/COLLECTION/NAME}; aliases are symlinks inside {@code refs/heads}.
 * A refspec is {@code [REMOTE:]NAME}.
 */
public final class Refs {

  private static final Pattern PART = Pattern.compile("[\\w\\d][-._\\w\\d]*");
  private static final Pattern REMOTE = Pattern.compile("[\\w\\d][-._\\w\\d]*");

  private final OstreeRepo repo;

  Refs(OstreeRepo repo) {
    this.repo = repo;
  }

  /**
   * Checks a ref name as libostree does: slash-separated parts matching {@code [\w\d][-._\w\d]*}.
   *
   * @throws OstreeException naming the invalid ref
   */
  public static void validateName(String ref) throws OstreeException {
    if (ref.isEmpty()) {
      throw new OstreeException("Invalid empty ref name");
    }
    for (String part : ref.split("/", -1)) {
      if (!PART.matcher(part).matches()) {
        throw new OstreeException("Invalid ref name '" + ref + "'");
      }
    }
  }

  private Path pathOf(String refspec) throws OstreeException {
    int colon = refspec.indexOf(':');
    if (colon >= 0) {
      String remote = refspec.substring(0, colon);
      String name = refspec.substring(colon + 1);
      if (!REMOTE.matcher(remote).matches()) {
        throw new OstreeException("Invalid remote name '" + remote + "' in refspec '" + refspec + "'");
      }
      validateName(name);
      return repo.path().resolve("refs/remotes").resolve(remote).resolve(name);
    }
    validateName(refspec);
    return repo.path().resolve("refs/heads").resolve(refspec);
  }

  /**
   * Resolves a refspec; local heads first, then {@code REMOTE/NAME} under refs/remotes.
   *
   * @throws OstreeException if the ref file is not a valid checksum
   */
  public Optional<Checksum> resolve(String refspec) throws IOException {
    List<Path> candidates = new ArrayList<>();
    try {
      candidates.add(pathOf(refspec));
    } catch (OstreeException e) {
      return Optional.empty();
    }
    if (refspec.indexOf(':') < 0) {
      candidates.add(repo.path().resolve("refs/remotes").resolve(refspec));
    }
    for (Path p : candidates) {
      if (Files.isRegularFile(p)) {
        return Optional.of(readRefFile(p, refspec));
      }
    }
    return Optional.empty();
  }

  private static Checksum readRefFile(Path p, String name) throws IOException {
    String s = Files.readString(p, StandardCharsets.US_ASCII).strip();
    if (!Checksum.isValid(s)) {
      throw new OstreeException("ref " + name + " does not contain a valid checksum");
    }
    return Checksum.parse(s);
  }

  /**
   * Points a ref at a commit, atomically (temp file and rename).
   *
   * @throws IOException on failure
   */
  public void set(String refspec, Checksum commit) throws IOException {
    Path p = pathOf(refspec);
    Files.createDirectories(p.getParent());
    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      throw new OstreeException("cannot write ref " + refspec + ": a ref directory of that name exists");
    }
    Path tmp = p.resolveSibling("." + p.getFileName() + ".tmp" + ProcessHandle.current().pid());
    Files.writeString(tmp, commit.hex() + "\n", StandardCharsets.US_ASCII);
    Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Points a mirror ref ({@code refs/mirrors/COLLECTION/NAME}) at a commit.
   *
   * @throws IOException on failure
   */
  public void setMirror(String collectionId, String name, Checksum commit) throws IOException {
    validateName(name);
    Path p = repo.path().resolve("refs/mirrors").resolve(collectionId).resolve(name);
    Files.createDirectories(p.getParent());
    Path tmp = p.resolveSibling("." + p.getFileName() + ".tmp");
    Files.writeString(tmp, commit.hex() + "\n", StandardCharsets.US_ASCII);
    Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Deletes a ref (an alias is deleted as the link, not its target).
   *
   * @throws OstreeException if there is no such ref
   */
  public void delete(String refspec) throws IOException {
    Path p = pathOf(refspec);
    try {
      Files.delete(p);
    } catch (NoSuchFileException e) {
      throw new OstreeException("Refspec '" + refspec + "' not found");
    }
  }

  /**
   * Creates an alias: a symlink {@code refs/heads/ALIAS} to the ref {@code target}.
   *
   * @throws IOException on failure
   */
  public void createAlias(String alias, String target) throws IOException {
    validateName(alias);
    validateName(target);
    Path p = repo.path().resolve("refs/heads").resolve(alias);
    Files.createDirectories(p.getParent());
    Path rel = p.getParent().relativize(repo.path().resolve("refs/heads").resolve(target));
    Files.deleteIfExists(p);
    Files.createSymbolicLink(p, rel);
  }

  /**
   * Local refs (heads) and remote refs ({@code remote:name}), sorted by name; aliases included as
   * refs to their target's commit.
   *
   * @throws IOException on read failure
   */
  public Map<String, Checksum> list() throws IOException {
    Map<String, Checksum> out = new TreeMap<>();
    collect(repo.path().resolve("refs/heads"), "", out, false);
    Path remotes = repo.path().resolve("refs/remotes");
    if (Files.isDirectory(remotes)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(remotes)) {
        for (Path r : ds) {
          if (Files.isDirectory(r, LinkOption.NOFOLLOW_LINKS)) {
            collect(r, r.getFileName() + ":", out, false);
          }
        }
      }
    }
    return out;
  }

  /**
   * Local refs only, by name.
   *
   * @throws IOException on read failure
   */
  public Map<String, Checksum> listHeads() throws IOException {
    Map<String, Checksum> out = new TreeMap<>();
    collect(repo.path().resolve("refs/heads"), "", out, false);
    return out;
  }

  /**
   * Aliases: name to target ref.
   *
   * @throws IOException on read failure
   */
  public Map<String, String> aliases() throws IOException {
    Map<String, String> out = new TreeMap<>();
    Path heads = repo.path().resolve("refs/heads");
    if (!Files.isDirectory(heads)) {
      return out;
    }
    try (var walk = Files.walk(heads)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isSymbolicLink(p)) {
          Path target = p.getParent().resolve(Files.readSymbolicLink(p)).normalize();
          out.put(heads.relativize(p).toString(), heads.relativize(target).toString());
        }
      }
    }
    return out;
  }

  /**
   * Mirror refs as {@code (collection, name)} to checksum, keyed {@code collection:name}.
   *
   * @throws IOException on read failure
   */
  public Map<String, Checksum> listMirrors() throws IOException {
    Map<String, Checksum> out = new TreeMap<>();
    Path mirrors = repo.path().resolve("refs/mirrors");
    if (Files.isDirectory(mirrors)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(mirrors)) {
        for (Path r : ds) {
          collect(r, r.getFileName() + ":", out, false);
        }
      }
    }
    return out;
  }

  /**
   * Ref names as {@code ostree refs} enumerates them: local refs (relative to {@code prefix} when
   * given, unless {@code keepPrefix}) then remote refs as {@code remote:ref}, each directory read
   * in the filesystem's own order, depth first. libostree puts these names into a GLib hash table
   * in this order, which decides the order it prints them in (see
   * {@link #inHashTableOrder(List)}).
   *
   * @throws IOException on read failure
   */
  public List<String> namesInStorageOrder(String prefix, boolean keepPrefix) throws IOException {
    List<String> out = new ArrayList<>();
    Path heads = repo.path().resolve("refs/heads");
    if (prefix == null) {
      walk(heads, "", out);
      Path remotes = repo.path().resolve("refs/remotes");
      if (Files.isDirectory(remotes)) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(remotes)) {
          for (Path r : ds) {
            if (Files.isDirectory(r, LinkOption.NOFOLLOW_LINKS)) {
              List<String> names = new ArrayList<>();
              walk(r, "", names);
              for (String n : names) {
                out.add(r.getFileName() + ":" + n);
              }
            }
          }
        }
      }
      return out;
    }
    Path p = heads.resolve(prefix);
    if (Files.isDirectory(p)) {
      walk(p, keepPrefix ? prefix.replaceAll("/+$", "") + "/" : "", out);
    } else if (Files.isRegularFile(p)) {
      out.add(prefix);
    }
    return out;
  }

  /** Orders names as a GLib {@code GHashTable} with string keys iterates them. */
  public static List<String> inHashTableOrder(List<String> insertionOrder) {
    return io.github.ostree4j.ostree.internal.GHashTableOrder.order(insertionOrder);
  }

  private static void walk(Path dir, String prefix, List<String> out) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (name.startsWith(".")) {
          continue;
        }
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          walk(p, prefix + name + "/", out);
        } else {
          out.add(prefix + name);
        }
      }
    }
  }

  private static void collect(Path dir, String prefix, Map<String, Checksum> out, boolean nested) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        String rel = dir.relativize(p).toString();
        if (rel.isEmpty() || p.getFileName().toString().startsWith(".")) {
          continue;
        }
        if (Files.isRegularFile(p)) {
          out.put(prefix + rel, readRefFile(p, prefix + rel));
        }
      }
    }
  }
}
