package io.github.ostree4j.build.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ostree4j.build.CommandLine;
import io.github.ostree4j.build.ContainerfileException;
import io.github.ostree4j.build.Instruction;
import io.github.ostree4j.build.SourceLocation;
import io.github.ostree4j.oci.Json;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Values of config instructions, checked and converted as Docker stores them. */
public final class ConfigValues {

  private static final Pattern PORT = Pattern.compile("([0-9]{1,5})(?:-([0-9]{1,5}))?(?:/([A-Za-z]+))?");
  private static final Pattern DURATION_PART = Pattern.compile("([0-9]*\\.?[0-9]+)(ns|us|µs|ms|s|m|h)");

  private ConfigValues() {}

  /**
   * EXPOSE: {@code port[-port][/proto]} as the ExposedPorts key buildah writes ({@code 80/tcp},
   * {@code 8000-8002/tcp}: ranges are kept whole).
   *
   * @param spec the value
   * @param at the instruction
   * @return the keys
   * @throws ContainerfileException for an invalid port
   */
  public static List<String> ports(String spec, SourceLocation at) throws ContainerfileException {
    Matcher m = PORT.matcher(spec.trim());
    if (!m.matches()) {
      throw new ContainerfileException(at, "EXPOSE: invalid port '" + spec
          + "' (expected PORT[-PORT][/tcp|udp|sctp])");
    }
    int lo = Integer.parseInt(m.group(1));
    int hi = m.group(2) == null ? lo : Integer.parseInt(m.group(2));
    String proto = m.group(3) == null ? "tcp" : m.group(3).toLowerCase(Locale.ROOT);
    if (!proto.equals("tcp") && !proto.equals("udp") && !proto.equals("sctp")) {
      throw new ContainerfileException(at, "EXPOSE: invalid protocol '" + m.group(3) + "' in '"
          + spec + "'");
    }
    if (lo > 65535 || hi > 65535 || hi < lo) {
      throw new ContainerfileException(at, "EXPOSE: invalid port range '" + spec + "'");
    }
    // a range stays one key, as buildah stores it
    return List.of((lo == hi && m.group(2) == null ? Integer.toString(lo) : lo + "-" + hi) + "/" + proto);
  }

  /**
   * STOPSIGNAL: a signal name ({@code SIGTERM}, {@code TERM}) or number, stored as written.
   *
   * @param s the value
   * @param at the instruction
   * @return the value
   * @throws ContainerfileException for something that is neither
   */
  public static String signal(String s, SourceLocation at) throws ContainerfileException {
    if (s.matches("[0-9]{1,2}") || s.matches("(SIG)?[A-Z][A-Z0-9]*(\\+[0-9]+|-[0-9]+)?")) {
      return s;
    }
    throw new ContainerfileException(at, "STOPSIGNAL: invalid signal '" + s + "'");
  }

  /**
   * {@code --chmod}: an octal mode.
   *
   * @param s the value
   * @param at the instruction
   * @param keyword COPY or ADD
   * @return the mode bits
   * @throws ContainerfileException for anything but 3 or 4 octal digits
   */
  public static int octalMode(String s, SourceLocation at, String keyword)
      throws ContainerfileException {
    if (!s.matches("[0-7]{1,4}")) {
      throw new ContainerfileException(at, keyword + " --chmod=" + s
          + ": expected an octal mode such as 755");
    }
    return Integer.parseInt(s, 8);
  }

  /**
   * HEALTHCHECK as Docker's config stores it: {@code Test} ({@code ["NONE"]}, {@code ["CMD",
   * ...]} or {@code ["CMD-SHELL", "..."]}) and the durations in nanoseconds, zero values left out.
   *
   * @param h the instruction
   * @param shell unused: CMD-SHELL runs through the container's default shell
   * @return the object
   * @throws ContainerfileException for invalid durations or retries
   */
  public static ObjectNode healthcheck(Instruction.Healthcheck h, List<String> shell)
      throws ContainerfileException {
    ObjectNode n = Json.object();
    ArrayNode test = n.putArray("Test");
    if (h.command().isEmpty()) {
      test.add("NONE");
      return n;
    }
    CommandLine c = h.command().get();
    if (c.isExecForm()) {
      test.add("CMD");
      c.execForm().forEach(test::add);
    } else {
      test.add("CMD-SHELL");
      test.add(c.shellForm());
    }
    duration(n, "Interval", h.interval(), h.location());
    duration(n, "Timeout", h.timeout(), h.location());
    duration(n, "StartPeriod", h.startPeriod(), h.location());
    duration(n, "StartInterval", h.startInterval(), h.location());
    if (h.retries().isPresent()) {
      try {
        int r = Integer.parseInt(h.retries().get().trim());
        if (r < 0) {
          throw new NumberFormatException();
        }
        if (r > 0) {
          n.put("Retries", r);
        }
      } catch (NumberFormatException e) {
        throw new ContainerfileException(h.location(), "HEALTHCHECK --retries="
            + h.retries().get() + ": expected a number");
      }
    }
    return n;
  }

  private static void duration(ObjectNode n, String field, Optional<String> v, SourceLocation at)
      throws ContainerfileException {
    if (v.isEmpty()) {
      return;
    }
    long ns = durationNanos(v.get(), at);
    if (ns > 0) {
      n.put(field, ns);
    }
  }

  /**
   * A Go duration ({@code 30s}, {@code 1m30s}, {@code 1.5h}, {@code 250ms}) in nanoseconds.
   *
   * @param s the text
   * @param at the instruction
   * @return nanoseconds
   * @throws ContainerfileException when it is not a duration
   */
  public static long durationNanos(String s, SourceLocation at) throws ContainerfileException {
    String t = s.trim();
    if (t.equals("0")) {
      return 0;
    }
    Matcher m = DURATION_PART.matcher(t);
    int pos = 0;
    BigDecimal total = BigDecimal.ZERO;
    while (pos < t.length()) {
      if (!m.find(pos) || m.start() != pos) {
        throw new ContainerfileException(at, "invalid duration '" + s + "' (e.g. 30s, 1m30s)");
      }
      BigDecimal unit;
      switch (m.group(2)) {
        case "ns":
          unit = BigDecimal.ONE;
          break;
        case "us":
        case "µs":
          unit = BigDecimal.valueOf(1_000L);
          break;
        case "ms":
          unit = BigDecimal.valueOf(1_000_000L);
          break;
        case "s":
          unit = BigDecimal.valueOf(1_000_000_000L);
          break;
        case "m":
          unit = BigDecimal.valueOf(60_000_000_000L);
          break;
        default:
          unit = BigDecimal.valueOf(3_600_000_000_000L);
      }
      total = total.add(new BigDecimal(m.group(1)).multiply(unit));
      pos = m.end();
    }
    return total.longValue();
  }
}
