package io.github.ostree4j.deploy.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Zincati's URL templates: {@code ${name}} is replaced by a variable of the node; the names are
 * {@code basearch}, {@code group}, {@code platform} and {@code stream}.
 */
public final class UrlTemplate {

  /** The variables a template may use. */
  public static final Set<String> VARIABLES = Set.of("basearch", "group", "platform", "stream");

  private static final Pattern VAR = Pattern.compile("\\$\\{([^}]*)\\}");

  private UrlTemplate() {}

  /**
   * The variables a template uses.
   *
   * @param template the template
   * @return the names in order of appearance
   * @throws IllegalArgumentException when it uses an unknown variable or has an unclosed {@code ${}
   */
  public static List<String> variables(String template) {
    List<String> out = new ArrayList<>();
    Matcher m = VAR.matcher(template);
    while (m.find()) {
      if (!VARIABLES.contains(m.group(1))) {
        throw new IllegalArgumentException("unknown variable ${" + m.group(1) + "} (known: "
            + String.join(", ", new TreeSet<>(VARIABLES)) + ")");
      }
      out.add(m.group(1));
    }
    if (VAR.matcher(template).replaceAll("").contains("${")) {
      throw new IllegalArgumentException("unclosed ${ in " + template);
    }
    return out;
  }

  /**
   * Expands a template.
   *
   * @param template the template
   * @param values the variables' values
   * @return the expanded text
   * @throws IllegalArgumentException when a variable used has no value
   */
  public static String expand(String template, Map<String, String> values) {
    variables(template);
    Matcher m = VAR.matcher(template);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String v = values.get(m.group(1));
      if (v == null) {
        throw new IllegalArgumentException("${" + m.group(1) + "} has no value on this node");
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(v));
    }
    m.appendTail(sb);
    return sb.toString();
  }
}
