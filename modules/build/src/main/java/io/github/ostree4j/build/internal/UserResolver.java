package io.github.ostree4j.build.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Resolves a USER value ({@code name}, {@code uid}, {@code name:group}, {@code uid:gid}) against
 * a root filesystem's {@code /etc/passwd} and {@code /etc/group}, never following links out of
 * the root.
 */
public final class UserResolver {

  /** A resolved user. */
  public record ResolvedUser(int uid, int gid, List<Integer> additionalGids, String home) {}

  private UserResolver() {}

  /** @throws IOException naming the user when it cannot be found and is not numeric */
  public static ResolvedUser resolve(Path root, String user) throws IOException {
    throw new UnsupportedOperationException("not yet");
  }
}
