package io.github.ostree4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads the agent's {@code key=value} log lines back into maps, for the agent tests. */
final class AgentLog {

  private final List<Map<String, String>> events;

  private AgentLog(List<Map<String, String>> events) {
    this.events = events;
  }

  /** The log lines of a text (other lines are skipped). */
  static AgentLog of(String text) {
    List<Map<String, String>> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("time=")) {
        out.add(parse(line));
      }
    }
    return new AgentLog(out);
  }

  /** Every event, in order. */
  List<Map<String, String>> all() {
    return events;
  }

  /** The names of the events, in order. */
  List<String> names() {
    return events.stream().map(e -> e.get("event")).toList();
  }

  /** The events of one name, in order. */
  List<Map<String, String>> named(String event) {
    return events.stream().filter(e -> event.equals(e.get("event"))).toList();
  }

  /** The one event of a name; fails when there is none or more than one. */
  Map<String, String> one(String event) {
    List<Map<String, String>> l = named(event);
    if (l.size() != 1) {
      throw new AssertionError("expected one event=" + event + ", found " + l.size() + " in " + events);
    }
    return l.get(0);
  }

  /** The first event of a name. */
  Optional<Map<String, String>> first(String event) {
    return named(event).stream().findFirst();
  }

  /** One logfmt line: {@code key=value} or {@code key="quoted \" value"}. */
  static Map<String, String> parse(String line) {
    Map<String, String> m = new LinkedHashMap<>();
    int i = 0;
    int n = line.length();
    while (i < n) {
      while (i < n && line.charAt(i) == ' ') {
        i++;
      }
      int eq = line.indexOf('=', i);
      if (eq < 0) {
        throw new AssertionError("not a key=value log line: " + line);
      }
      String key = line.substring(i, eq);
      i = eq + 1;
      StringBuilder v = new StringBuilder();
      if (i < n && line.charAt(i) == '"') {
        i++;
        while (i < n && line.charAt(i) != '"') {
          char c = line.charAt(i++);
          if (c == '\\') {
            char e = line.charAt(i++);
            switch (e) {
              case 'n' -> v.append('\n');
              case 'r' -> v.append('\r');
              case 't' -> v.append('\t');
              case 'u' -> {
                v.append((char) Integer.parseInt(line.substring(i, i + 4), 16));
                i += 4;
              }
              default -> v.append(e);
            }
          } else {
            v.append(c);
          }
        }
        i++;
      } else {
        while (i < n && line.charAt(i) != ' ') {
          v.append(line.charAt(i++));
        }
      }
      m.put(key, v.toString());
    }
    return m;
  }

  @Override
  public String toString() {
    return String.join("\n", events.stream().map(Map::toString).toList());
  }
}
