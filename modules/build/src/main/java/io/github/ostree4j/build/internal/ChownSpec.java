package io.github.ostree4j.build.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The owner of {@code COPY --chown=USER[:GROUP]} / {@code ADD --chown}, with names looked up in
 * the destination root's {@code /etc/passwd} and {@code /etc/group} (read inside the root): a
 * user name without group takes the user's primary group, a numeric user without group the same
 * number as group (buildah's rules).
 */
public final class ChownSpec {

  private ChownSpec() {}

  /**
   * Resolves a chown value.
   *
   * @param root the destination root filesystem
   * @param spec {@code user}, {@code user:group}, {@code uid}, {@code uid:gid}
   * @return the owner
   * @throws StepFailedException when a name is not found
   * @throws IOException when the files cannot be read
   */
  public static TreeCopy.Owner resolve(Path root, String spec) throws StepFailedException, IOException {
    int colon = spec.indexOf(':');
    String user = colon < 0 ? spec : spec.substring(0, colon);
    String group = colon < 0 ? null : spec.substring(colon + 1);
    if (user.isEmpty()) {
      throw new StepFailedException("invalid --chown '" + spec + "': no user");
    }
    int uid;
    int primary;
    if (isNumber(user)) {
      uid = parse(user, spec);
      primary = uid;
    } else {
      String[] entry = lookup(root, "/etc/passwd", user);
      if (entry == null || entry.length < 4) {
        throw new StepFailedException("--chown " + spec + ": no user '" + user
            + "' in the image's /etc/passwd");
      }
      uid = parse(entry[2], spec);
      primary = parse(entry[3], spec);
    }
    int gid;
    if (group == null || group.isEmpty()) {
      gid = primary;
    } else if (isNumber(group)) {
      gid = parse(group, spec);
    } else {
      String[] entry = lookup(root, "/etc/group", group);
      if (entry == null || entry.length < 3) {
        throw new StepFailedException("--chown " + spec + ": no group '" + group
            + "' in the image's /etc/group");
      }
      gid = parse(entry[2], spec);
    }
    return new TreeCopy.Owner(uid, gid);
  }

  private static boolean isNumber(String s) {
    return s.matches("[0-9]{1,10}");
  }

  private static int parse(String s, String spec) throws StepFailedException {
    try {
      long v = Long.parseLong(s.trim());
      if (v < 0 || v > 0xffffffffL) {
        throw new NumberFormatException();
      }
      return (int) v;
    } catch (NumberFormatException e) {
      throw new StepFailedException("invalid --chown '" + spec + "': bad id '" + s + "'");
    }
  }

  private static String[] lookup(Path root, String file, String name) throws IOException {
    Path p = InRoot.resolve(root, file, true);
    if (!Files.isRegularFile(p)) {
      return null;
    }
    List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
    for (String line : lines) {
      String[] f = line.split(":", -1);
      if (f.length > 2 && f[0].equals(name)) {
        return f;
      }
    }
    return null;
  }
}
