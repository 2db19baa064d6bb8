package io.github.ostree4j.deploy.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A boot loader entry in the Boot Loader Specification format libostree writes to {@code
 * loader.N/entries/ostree-K-STATEROOT.conf}: one {@code key value} pair per line, the key ending
 * at the first space or tab. Keys are written in the order ostree 2022.7 writes them: {@code
 * title}, {@code version}, {@code options}, {@code linux}, {@code initrd}, {@code devicetree},
 * then any others in the order they were set.
 */
public final class BootEntry {

  private static final List<String> ORDER =
      List.of("title", "version", "options", "linux", "initrd", "devicetree");

  private final Map<String, String> values = new LinkedHashMap<>();

  /** An empty entry. */
  public BootEntry() {}

  /**
   * Parses an entry; blank lines and {@code #} comments are skipped, a key without value is kept
   * with an empty value.
   *
   * @param text the file's content
   * @return the entry
   */
  public static BootEntry parse(String text) {
    BootEntry e = new BootEntry();
    for (String raw : text.split("\n", -1)) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int sp = 0;
      while (sp < line.length() && line.charAt(sp) != ' ' && line.charAt(sp) != '\t') {
        sp++;
      }
      String key = line.substring(0, sp);
      String value = sp < line.length() ? line.substring(sp + 1) : "";
      e.values.put(key, value);
    }
    return e;
  }

  /**
   * A value.
   *
   * @param key e.g. {@code options}
   * @return the value, if set
   */
  public Optional<String> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  /**
   * Sets a value.
   *
   * @param key the key
   * @param value the value, one line
   * @return this
   */
  public BootEntry set(String key, String value) {
    if (value.indexOf('\n') >= 0 || key.isEmpty() || key.indexOf(' ') >= 0) {
      throw new IllegalArgumentException("invalid boot entry line: " + key + " " + value);
    }
    values.put(key, value);
    return this;
  }

  /**
   * The file text, one {@code key value} line each, newline terminated.
   *
   * @return the text
   */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    List<String> keys = new ArrayList<>();
    for (String k : ORDER) {
      if (values.containsKey(k)) {
        keys.add(k);
      }
    }
    for (String k : values.keySet()) {
      if (!ORDER.contains(k)) {
        keys.add(k);
      }
    }
    for (String k : keys) {
      sb.append(k).append(' ').append(values.get(k)).append('\n');
    }
    return sb.toString();
  }

  /**
   * Splits kernel arguments at whitespace outside double quotes.
   *
   * @param options an {@code options} value
   * @return the arguments in order
   */
  public static List<String> splitArgs(String options) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < options.length(); i++) {
      char c = options.charAt(i);
      if (c == '"') {
        quoted = !quoted;
        cur.append(c);
      } else if ((c == ' ' || c == '\t') && !quoted) {
        if (cur.length() > 0) {
          out.add(cur.toString());
          cur.setLength(0);
        }
      } else {
        cur.append(c);
      }
    }
    if (cur.length() > 0) {
      out.add(cur.toString());
    }
    return out;
  }

  /**
   * The key of a kernel argument: the text before the first {@code =}.
   *
   * @param arg e.g. {@code root=LABEL=x}
   * @return e.g. {@code root}
   */
  public static String argKey(String arg) {
    int eq = arg.indexOf('=');
    return eq < 0 ? arg : arg.substring(0, eq);
  }

  /**
   * Replaces every argument with the key of {@code arg} by {@code arg} at the position of the first
   * one, or appends it, as {@code ostree_kernel_args_replace} does.
   *
   * @param args the arguments
   * @param arg the replacement, {@code key=value}
   * @return the new arguments
   */
  public static List<String> replaceArg(List<String> args, String arg) {
    String key = argKey(arg);
    List<String> out = new ArrayList<>();
    boolean placed = false;
    for (String a : args) {
      if (argKey(a).equals(key)) {
        if (!placed) {
          out.add(arg);
          placed = true;
        }
      } else {
        out.add(a);
      }
    }
    if (!placed) {
      out.add(arg);
    }
    return out;
  }

  /**
   * Removes every argument with the given key.
   *
   * @param args the arguments
   * @param key e.g. {@code ostree}
   * @return the others, in order
   */
  public static List<String> removeArg(List<String> args, String key) {
    List<String> out = new ArrayList<>();
    for (String a : args) {
      if (!argKey(a).equals(key)) {
        out.add(a);
      }
    }
    return out;
  }
}
