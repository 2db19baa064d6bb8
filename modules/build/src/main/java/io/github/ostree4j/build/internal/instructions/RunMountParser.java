package io.github.ostree4j.build.internal.instructions;

import io.github.ostree4j.build.RunMount;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses one {@code RUN --mount=} value: a CSV record of {@code key=value} fields (BuildKit's
 * {@code parseMount}). Keys are case-insensitive and normalised ({@code src} to {@code source},
 * {@code dst}/{@code destination} to {@code target}, {@code ro}/{@code rw}/{@code readwrite} to
 * {@code readonly}); values that hold no variable reference are checked now, the others at build
 * time after expansion. {@code readonly} is always filled in, with BuildKit's default (read-only
 * except for cache and tmpfs mounts) when not given.
 */
final class RunMountParser {

  private static final Set<String> SHARING = Set.of("shared", "private", "locked");

  private RunMountParser() {}

  /** A problem with the mount value, with BuildKit's wording. */
  static final class MountException extends Exception {
    private static final long serialVersionUID = 1L;

    MountException(String message) {
      super(message);
    }
  }

  static RunMount parse(String value) throws MountException {
    List<String> fields = csvRecord(value);
    RunMount.Type type = RunMount.Type.BIND;
    Map<String, String> options = new LinkedHashMap<>();
    boolean readonlyGiven = false;
    for (String field : fields) {
      int eq = field.indexOf('=');
      String key = (eq < 0 ? field : field.substring(0, eq)).toLowerCase(Locale.ROOT);
      if (eq < 0) {
        switch (key) {
          case "readonly", "ro" -> {
            options.put("readonly", "true");
            readonlyGiven = true;
            continue;
          }
          case "readwrite", "rw" -> {
            options.put("readonly", "false");
            readonlyGiven = true;
            continue;
          }
          case "required" -> {
            if (type != RunMount.Type.SECRET && type != RunMount.Type.SSH) {
              throw new MountException("unexpected key '" + key + "' for mount type '"
                  + typeName(type) + "'");
            }
            options.put("required", "true");
            continue;
          }
          default -> throw new MountException(
              "invalid field '" + field + "' must be a key=value pair");
        }
      }
      String v = field.substring(eq + 1);
      boolean literal = !v.contains("$");
      switch (key) {
        case "type" -> {
          if (!literal) {
            throw new MountException("mount type " + v + " must be written literally");
          }
          type = type(v);
        }
        case "from" -> {
          if (v.matches("(?s).*\\$.+")) {
            throw new MountException(
                "'from' doesn't support variable expansion, define alias stage instead");
          }
          options.put("from", v);
        }
        case "source", "src" -> options.put("source", v);
        case "target", "dst", "destination" -> options.put("target", v);
        case "readonly", "ro" -> {
          options.put("readonly", literal ? bool(key, v) : v);
          readonlyGiven = true;
        }
        case "readwrite", "rw" -> {
          if (literal) {
            options.put("readonly", bool(key, v).equals("true") ? "false" : "true");
          } else {
            options.put("readwrite", v);
          }
          readonlyGiven = true;
        }
        case "required" -> {
          if (type != RunMount.Type.SECRET && type != RunMount.Type.SSH) {
            throw new MountException(
                "unexpected key '" + key + "' for mount type '" + typeName(type) + "'");
          }
          options.put("required", literal ? bool(key, v) : v);
        }
        case "id" -> options.put("id", v);
        case "sharing" -> {
          if (literal && !SHARING.contains(v.toLowerCase(Locale.ROOT))) {
            throw new MountException("unsupported sharing value \"" + v + "\"");
          }
          options.put("sharing", literal ? v.toLowerCase(Locale.ROOT) : v);
        }
        case "mode" -> {
          if (literal) {
            checkUnsigned(v, 8, "mode");
          }
          options.put("mode", v);
        }
        case "uid", "gid" -> {
          if (literal) {
            checkUnsigned(v, 10, key);
          }
          options.put(key, v);
        }
        case "size" -> {
          if (type != RunMount.Type.TMPFS) {
            throw new MountException(
                "unexpected key '" + key + "' for mount type '" + typeName(type) + "'");
          }
          options.put("size", v);
        }
        case "env" -> {
          if (type != RunMount.Type.SECRET) {
            throw new MountException(
                "unexpected key '" + key + "' for mount type '" + typeName(type) + "'");
          }
          options.put("env", v);
        }
        default -> throw new MountException("unexpected key '" + key + "' in '" + field + "'");
      }
    }
    check(type, options);
    if (!readonlyGiven) {
      boolean writable = type == RunMount.Type.CACHE || type == RunMount.Type.TMPFS;
      options.put("readonly", writable ? "false" : "true");
    }
    return new RunMount(type, options);
  }

  private static void check(RunMount.Type type, Map<String, String> options)
      throws MountException {
    boolean fileInfoAllowed = type == RunMount.Type.SECRET || type == RunMount.Type.SSH
        || type == RunMount.Type.CACHE;
    for (String key : List.of("mode", "uid", "gid")) {
      if (options.containsKey(key) && !fileInfoAllowed) {
        throw new MountException(key + " not allowed for \"" + typeName(type) + "\" type mounts");
      }
    }
    if (options.containsKey("sharing") && type != RunMount.Type.CACHE) {
      throw new MountException("invalid cache sharing set for " + typeName(type) + " mount");
    }
    if (type == RunMount.Type.SECRET) {
      if (options.containsKey("from")) {
        throw new MountException("secret mount should not have a from");
      }
      if (!options.containsKey("source") && !options.containsKey("target")
          && !options.containsKey("id")) {
        throw new MountException("invalid secret mount. one of source, target required");
      }
      if (options.containsKey("source") && options.containsKey("id")) {
        throw new MountException("both source and id can't be set");
      }
    }
  }

  private static RunMount.Type type(String value) throws MountException {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "bind" -> RunMount.Type.BIND;
      case "cache" -> RunMount.Type.CACHE;
      case "tmpfs" -> RunMount.Type.TMPFS;
      case "secret" -> RunMount.Type.SECRET;
      case "ssh" -> RunMount.Type.SSH;
      default -> throw new MountException("unsupported mount type \"" + value
          + "\" (bind, cache, tmpfs, secret or ssh)");
    };
  }

  static String typeName(RunMount.Type type) {
    return type.name().toLowerCase(Locale.ROOT);
  }

  /** Go's {@code strconv.ParseBool}, normalised. */
  private static String bool(String key, String v) throws MountException {
    switch (v) {
      case "1", "t", "T", "TRUE", "true", "True":
        return "true";
      case "0", "f", "F", "FALSE", "false", "False":
        return "false";
      default:
        throw new MountException("invalid value for " + key + ": " + v);
    }
  }

  private static void checkUnsigned(String v, int radix, String key) throws MountException {
    boolean ok = !v.isEmpty() && v.length() <= 12;
    if (ok) {
      try {
        ok = Long.parseLong(v, radix) <= 0xFFFF_FFFFL && v.charAt(0) != '+' && v.charAt(0) != '-';
      } catch (NumberFormatException e) {
        ok = false;
      }
    }
    if (!ok) {
      throw new MountException("invalid value " + v + " for " + key);
    }
  }

  /**
   * One record of Go's {@code encoding/csv} reader: comma-separated fields, a field starting with
   * a double quote runs to the matching quote ({@code ""} inside is one quote).
   */
  static List<String> csvRecord(String value) throws MountException {
    if (value.isEmpty()) {
      throw new MountException("failed to parse csv mounts: EOF");
    }
    List<String> fields = new ArrayList<>();
    int i = 0;
    int n = value.length();
    while (true) {
      StringBuilder field = new StringBuilder();
      if (i < n && value.charAt(i) == '"') {
        i++;
        while (true) {
          if (i >= n) {
            throw new MountException("failed to parse csv mounts: extraneous or missing \" in quoted-field");
          }
          char c = value.charAt(i++);
          if (c == '"') {
            if (i < n && value.charAt(i) == '"') {
              field.append('"');
              i++;
              continue;
            }
            break;
          }
          field.append(c);
        }
        if (i < n && value.charAt(i) != ',') {
          throw new MountException("failed to parse csv mounts: extraneous or missing \" in quoted-field");
        }
      } else {
        while (i < n && value.charAt(i) != ',') {
          char c = value.charAt(i++);
          if (c == '"') {
            throw new MountException("failed to parse csv mounts: bare \" in non-quoted-field");
          }
          field.append(c);
        }
      }
      fields.add(field.toString());
      if (i >= n) {
        return fields;
      }
      i++; // the comma
    }
  }
}
