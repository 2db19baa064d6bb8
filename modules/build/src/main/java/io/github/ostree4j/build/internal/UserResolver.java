package io.github.ostree4j.build.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves a USER value ({@code name}, {@code uid}, {@code name:group}, {@code uid:gid}) against
 * a root filesystem's {@code /etc/passwd} and {@code /etc/group}, never following links out of
 * the root.
 *
 * <p>The rules are those of runc's {@code GetExecUser}, which podman and buildah use: a numeric
 * user is a uid even when a user of that name exists, and needs no passwd entry (its group is then
 * 0 and its home {@code /}); a name must be found; an explicit group replaces the user's group
 * (a numeric group needs no entry); the supplementary groups are the groups listing the user by
 * name, and only when no group was given.
 */
public final class UserResolver {

  /** A resolved user. */
  public record ResolvedUser(int uid, int gid, List<Integer> additionalGids, String home) {

    /** Copies the list. */
    public ResolvedUser {
      additionalGids = List.copyOf(additionalGids);
    }
  }

  private record PasswdEntry(String name, int uid, int gid, String home) {}

  private record GroupEntry(String name, int gid, List<String> members) {}

  private static final long MAX_ID = 0xFFFFFFFEL;

  private UserResolver() {}

  /** @throws IOException naming the user when it cannot be found and is not numeric */
  public static ResolvedUser resolve(Path root, String user) throws IOException {
    String spec = user == null ? "" : user.strip();
    int colon = spec.indexOf(':');
    String userArg = colon < 0 ? spec : spec.substring(0, colon);
    String groupArg = colon < 0 ? "" : spec.substring(colon + 1);
    Long uidArg = numeric(userArg);
    Long gidArg = numeric(groupArg);

    int uid = 0;
    int gid = 0;
    String home = "/";
    String matchedName = null;
    if (!userArg.isEmpty()) {
      PasswdEntry found = null;
      for (PasswdEntry p : passwd(root)) {
        if (uidArg != null ? p.uid() == uidArg.intValue() : p.name().equals(userArg)) {
          found = p;
          break;
        }
      }
      if (found != null) {
        matchedName = found.name();
        uid = found.uid();
        gid = found.gid();
        home = found.home();
      } else if (uidArg != null) {
        uid = uidArg.intValue();
      } else {
        throw new IOException("unable to find user " + userArg + ": no matching entries in passwd file");
      }
    }

    List<Integer> supplementary = new ArrayList<>();
    if (!groupArg.isEmpty()) {
      GroupEntry found = null;
      for (GroupEntry g : group(root)) {
        if (gidArg != null ? g.gid() == gidArg.intValue() : g.name().equals(groupArg)) {
          found = g;
          break;
        }
      }
      if (found != null) {
        gid = found.gid();
      } else if (gidArg != null) {
        gid = gidArg.intValue();
      } else {
        throw new IOException("unable to find group " + groupArg + ": no matching entries in group file");
      }
    } else if (matchedName != null) {
      for (GroupEntry g : group(root)) {
        if (g.members().contains(matchedName) && !supplementary.contains(g.gid())) {
          supplementary.add(g.gid());
        }
      }
    }
    return new ResolvedUser(uid, gid, supplementary, home);
  }

  /** A decimal id in range, or null when {@code s} is not one. */
  private static Long numeric(String s) {
    if (s.isEmpty() || s.length() > 10 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return null;
    }
    long v = Long.parseLong(s);
    return v <= MAX_ID ? v : null;
  }

  private static List<PasswdEntry> passwd(Path root) throws IOException {
    List<PasswdEntry> out = new ArrayList<>();
    for (String[] f : entries(root, "/etc/passwd")) {
      Long uid = f.length > 2 ? numeric(f[2]) : null;
      Long gid = f.length > 3 ? numeric(f[3]) : null;
      if (f[0].isEmpty() || uid == null || gid == null) {
        continue;
      }
      String home = f.length > 5 && !f[5].isEmpty() ? f[5] : "/";
      out.add(new PasswdEntry(f[0], uid.intValue(), gid.intValue(), home));
    }
    return out;
  }

  private static List<GroupEntry> group(Path root) throws IOException {
    List<GroupEntry> out = new ArrayList<>();
    for (String[] f : entries(root, "/etc/group")) {
      Long gid = f.length > 2 ? numeric(f[2]) : null;
      if (f[0].isEmpty() || gid == null) {
        continue;
      }
      List<String> members = new ArrayList<>();
      if (f.length > 3) {
        for (String m : f[3].split(",")) {
          if (!m.strip().isEmpty()) {
            members.add(m.strip());
          }
        }
      }
      out.add(new GroupEntry(f[0], gid.intValue(), members));
    }
    return out;
  }

  /** The colon-separated fields of each line; none when the file is missing. */
  private static List<String[]> entries(Path root, String file) throws IOException {
    RootedPaths.Resolved r;
    try {
      r = RootedPaths.resolve(TreeLookup.of(root), file);
    } catch (NotDirectoryException e) {
      return List.of();
    }
    Path p = root.resolve(r.rel());
    if (!r.exists() || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
      return List.of();
    }
    List<String[]> out = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        line = line.strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        out.add(line.split(":", -1));
      }
    }
    return out;
  }
}
