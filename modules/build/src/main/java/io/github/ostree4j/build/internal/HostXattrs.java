package io.github.ostree4j.build.internal;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The xattrs outside the {@code user.} namespace ({@code security.capability} above all, set by
 * {@code setcap} in package scripts), which the JDK cannot read: one {@code getfattr} run dumps
 * them for a whole tree. Without {@code getfattr} on the host there are none to report, and
 * layers carry only {@code user.*} xattrs.
 */
final class HostXattrs {

  private static final String PATTERN = "^(security|trusted)\\.";

  private HostXattrs() {}

  /** Whether {@code getfattr} is installed. */
  static boolean available() {
    return HostCommand.find("getfattr").isPresent();
  }

  /**
   * The non-{@code user.} xattrs below {@code tree} by relative path (only paths that have
   * some), without the private ones of {@link ChangeTreeFormat#isPrivateXattr}.
   */
  static Map<String, SortedMap<String, byte[]>> read(Path tree) throws IOException {
    Optional<Path> getfattr = HostCommand.find("getfattr");
    if (getfattr.isEmpty()) {
      return Collections.emptyMap();
    }
    Path abs = tree.toAbsolutePath();
    ProcessBuilder pb = new ProcessBuilder(getfattr.get().toString(), "--absolute-names", "-R", "-P", "-h", "-d",
        "-m", PATTERN, "-e", "hex", abs.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().put("LC_ALL", "C");
    Process p = pb.start();
    Map<String, SortedMap<String, byte[]>> out = new HashMap<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.ISO_8859_1))) {
      String rel = null;
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith("# file: ")) {
          String file = unescape(line.substring(8));
          rel = abs.relativize(Path.of(file)).toString();
          continue;
        }
        int eq = line.indexOf('=');
        if (rel == null || line.isEmpty() || eq <= 0) {
          continue;
        }
        String name = unescape(line.substring(0, eq));
        String value = line.substring(eq + 1);
        if (ChangeTreeFormat.isPrivateXattr(name) || !value.startsWith("0x")) {
          continue;
        }
        out.computeIfAbsent(rel, k -> new TreeMap<>()).put(name, HexFormat.of().parseHex(value.substring(2)));
      }
    }
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("reading xattrs of " + tree + ": getfattr did not finish");
      }
      if (p.exitValue() != 0) {
        throw new IOException("reading xattrs of " + tree + ": getfattr exited with " + p.exitValue());
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading xattrs of " + tree);
    }
    return out;
  }

  /** Undoes getfattr's quoting: {@code \ooo} octal escapes and {@code \\}; the bytes are UTF-8. */
  static String unescape(String s) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && isOctal(s, i + 1)) {
        b.write(Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else if (c == '\\' && i + 1 < s.length() && s.charAt(i + 1) == '\\') {
        b.write('\\');
        i++;
      } else {
        b.write(c);
      }
    }
    return b.toString(StandardCharsets.UTF_8);
  }

  private static boolean isOctal(String s, int from) {
    if (from + 3 > s.length()) {
      return false;
    }
    for (int i = from; i < from + 3; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '7') {
        return false;
      }
    }
    return true;
  }
}
