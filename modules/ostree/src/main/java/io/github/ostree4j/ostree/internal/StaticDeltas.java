package io.github.ostree4j.ostree.internal;

import io.github.ostree4j.ostree.Checksum;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

/**
 * The static deltas of a repository as stored under {@code deltas/}: a delta to commit TO from
 * scratch lives in {@code deltas/T2/T41/}, one from FROM in {@code deltas/F2/F41-T43/}, where the
 * parts are ostree's "modified base64" of the checksums (base64 with {@code _} for {@code /}, no
 * padding). Each delta directory holds a {@code superblock} and numbered parts.
 */
public final class StaticDeltas {

  /** One delta directory. */
  public static final class Delta {
    private final Checksum from;
    private final Checksum to;
    private final Path dir;

    Delta(Checksum from, Checksum to, Path dir) {
      this.from = from;
      this.to = to;
      this.dir = dir;
    }

    /** The source commit, or null for a delta from scratch. */
    public Checksum from() {
      return from;
    }

    /** The target commit. */
    public Checksum to() {
      return to;
    }

    /** The delta's directory. */
    public Path dir() {
      return dir;
    }

    /** The delta name as ostree prints it: {@code TO} or {@code FROM-TO} in hex. */
    public String name() {
      return from == null ? to.hex() : from.hex() + "-" + to.hex();
    }

    /** The superblock file. */
    public Path superblock() {
      return dir.resolve("superblock");
    }
  }

  private StaticDeltas() {}

  /** The 43-character modified base64 form of a checksum. */
  public static String toModifiedBase64(Checksum c) {
    return Base64.getEncoder().withoutPadding().encodeToString(c.toBytes()).replace('/', '_');
  }

  /** Decodes a 43-character modified base64 checksum, or returns null if it is not one. */
  public static Checksum fromModifiedBase64(String s) {
    if (s.length() != 43) {
      return null;
    }
    try {
      byte[] b = Base64.getDecoder().decode(s.replace('_', '/') + "=");
      return b.length == 32 ? Checksum.fromBytes(b) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The path of the delta index of commit {@code to}: {@code delta-indexes/XX/REST.index}. */
  public static Path indexPath(Path repoDir, Checksum to) {
    String b = toModifiedBase64(to);
    return repoDir.resolve("delta-indexes").resolve(b.substring(0, 2)).resolve(b.substring(2) + ".index");
  }

  /**
   * Lists the deltas that have a superblock, sorted by name.
   *
   * @throws IOException if {@code deltas/} cannot be read
   */
  public static List<Delta> list(Path repoDir) throws IOException {
    List<Delta> out = new ArrayList<>();
    Path root = repoDir.resolve("deltas");
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      return out;
    }
    try (DirectoryStream<Path> prefixes = Files.newDirectoryStream(root)) {
      for (Path pd : prefixes) {
        String pre = pd.getFileName().toString();
        if (pre.length() != 2 || !Files.isDirectory(pd, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(pd)) {
          for (Path d : ds) {
            Delta delta = parse(pre, d);
            if (delta != null && Files.isRegularFile(delta.superblock(), LinkOption.NOFOLLOW_LINKS)) {
              out.add(delta);
            }
          }
        }
      }
    }
    out.sort(Comparator.comparing(Delta::name));
    return out;
  }

  private static Delta parse(String prefix, Path dir) {
    String rest = dir.getFileName().toString();
    int dash = rest.indexOf('-');
    if (dash < 0) {
      Checksum to = fromModifiedBase64(prefix + rest);
      return to == null ? null : new Delta(null, to, dir);
    }
    Checksum from = fromModifiedBase64(prefix + rest.substring(0, dash));
    Checksum to = fromModifiedBase64(rest.substring(dash + 1));
    return from == null || to == null ? null : new Delta(from, to, dir);
  }
}
