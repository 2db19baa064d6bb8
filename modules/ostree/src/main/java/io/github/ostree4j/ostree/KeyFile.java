package io.github.ostree4j.ostree;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A GLib key file ({@code [group]} and {@code key=value} lines), as used by repo configs and
 * deployment {@code .origin} files. Comments and blank lines are dropped on rewrite; group and key
 * order is kept.
 */
public final class KeyFile {

  private final Map<String, Map<String, String>> groups = new LinkedHashMap<>();

  /**
   * Parses key file text.
   *
   * @throws OstreeException on a line that is neither a group, a key, a comment nor blank
   */
  public static KeyFile parse(String text) throws OstreeException {
    KeyFile kf = new KeyFile();
    Map<String, String> current = null;
    int lineNo = 0;
    for (String raw : text.split("\n", -1)) {
      lineNo++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("[") && line.endsWith("]")) {
        current = kf.groups.computeIfAbsent(line.substring(1, line.length() - 1), g -> new LinkedHashMap<>());
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0 || current == null) {
        throw new OstreeException("key file line " + lineNo + " is not valid: '" + raw + "'");
      }
      current.put(line.substring(0, eq).strip(), unescape(line.substring(eq + 1).strip()));
    }
    return kf;
  }

  /**
   * Reads a key file.
   *
   * @throws IOException if it cannot be read or parsed
   */
  public static KeyFile read(Path path) throws IOException {
    try {
      return parse(Files.readString(path, StandardCharsets.UTF_8));
    } catch (OstreeException e) {
      throw new OstreeException(path + ": " + e.getMessage());
    }
  }

  /** A value, if present. */
  public Optional<String> get(String group, String key) {
    Map<String, String> g = groups.get(group);
    return g == null ? Optional.empty() : Optional.ofNullable(g.get(key));
  }

  /** A boolean value ({@code true}/{@code false}, also 1/0). */
  public Optional<Boolean> getBoolean(String group, String key) {
    return get(group, key).map(v -> v.equals("true") || v.equals("1"));
  }

  /** Sets a value, creating the group if needed. */
  public KeyFile set(String group, String key, String value) {
    groups.computeIfAbsent(group, g -> new LinkedHashMap<>()).put(key, value);
    return this;
  }

  /** Removes a key. */
  public KeyFile remove(String group, String key) {
    Map<String, String> g = groups.get(group);
    if (g != null) {
      g.remove(key);
    }
    return this;
  }

  /** Group names in order. */
  public List<String> groups() {
    return new ArrayList<>(groups.keySet());
  }

  /** Keys of a group in order. */
  public List<String> keys(String group) {
    Map<String, String> g = groups.get(group);
    return g == null ? List.of() : new ArrayList<>(g.keySet());
  }

  /** The text form. */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Map<String, String>> g : groups.entrySet()) {
      sb.append('[').append(g.getKey()).append("]\n");
      for (Map.Entry<String, String> e : g.getValue().entrySet()) {
        sb.append(e.getKey()).append('=').append(escape(e.getValue())).append('\n');
      }
    }
    return sb.toString();
  }

  /**
   * Writes the file atomically (temp file in the same directory, then rename).
   *
   * @throws IOException on write failure
   */
  public void write(Path path) throws IOException {
    Path tmp = path.resolveSibling("." + path.getFileName() + ".tmp" + ProcessHandle.current().pid());
    Files.writeString(tmp, toText(), StandardCharsets.UTF_8);
    Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static String unescape(String v) {
    if (v.indexOf('\\') < 0) {
      return v;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '\\' && i + 1 < v.length()) {
        char n = v.charAt(++i);
        switch (n) {
          case 's':
            sb.append(' ');
            break;
          case 'n':
            sb.append('\n');
            break;
          case 't':
            sb.append('\t');
            break;
          case 'r':
            sb.append('\r');
            break;
          case '\\':
            sb.append('\\');
            break;
          default:
            sb.append('\\').append(n);
        }
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static String escape(String v) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '\n':
          sb.append("\\n");
          break;
        case '\t':
          sb.append("\\t");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case ' ':
          sb.append(i == 0 ? "\\s" : " ");
          break;
        default:
          sb.append(c);
      }
    }
    return sb.toString();
  }
}
