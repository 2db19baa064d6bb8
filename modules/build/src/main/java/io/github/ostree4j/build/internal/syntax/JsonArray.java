package io.github.ostree4j.build.internal.syntax;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ostree4j.build.internal.shell.GoText;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON (exec) form: a strict JSON array of strings. Text that is not valid JSON is not an
 * error (the caller falls back to shell form); valid JSON holding anything but strings is.
 */
final class JsonArray {

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** Valid JSON that is not an array of strings. */
  static final class NotStringArray extends Exception {
    private static final long serialVersionUID = 1L;

    NotStringArray() {
      super("when using JSON array syntax, arrays must be comprised of strings only");
    }
  }

  private JsonArray() {}

  /**
   * @return the strings, or null when {@code text} is not a JSON array
   * @throws NotStringArray for a valid JSON array with a non-string element
   */
  static List<String> parse(String text) throws NotStringArray {
    String rest = GoText.trimLeft(text);
    if (!rest.startsWith("[")) {
      return null;
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(rest);
    } catch (JsonProcessingException e) {
      return null;
    }
    if (node == null || !node.isArray()) {
      return null;
    }
    List<String> out = new ArrayList<>(node.size());
    for (JsonNode element : node) {
      if (!element.isTextual()) {
        throw new NotStringArray();
      }
      out.add(element.textValue());
    }
    return out;
  }
}
