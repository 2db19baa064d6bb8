package io.github.ostree4j.ostree.internal;

import io.github.ostree4j.ostree.gvariant.Variant;
import io.github.ostree4j.ostree.gvariant.VariantType;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The GVariant text format as {@code ostree summary --add-metadata} reads it
 * ({@code g_variant_parse} with no expected type) and as {@code g_variant_print(value, FALSE)}
 * writes it.
 *
 * <p>The parser covers the forms used for metadata values: strings ({@code 'a'}, {@code "a"}),
 * byte strings ({@code b'a'}), booleans, numbers (plain numbers are {@code int32} or
 * {@code double}; {@code uint32 5}, {@code @t 5} and the other type keywords select a type),
 * arrays, dictionaries, tuples, variants ({@code <...>}), {@code just}/{@code nothing} with a type.
 */
public final class GVariantText {

  private final String text;
  private int pos;

  private GVariantText(String text) {
    this.text = text;
  }

  /**
   * Parses a value in GVariant text format.
   *
   * @throws IllegalArgumentException with {@code START-END: reason} on a syntax error
   */
  public static Variant parse(String text) {
    GVariantText p = new GVariantText(text);
    p.skipSpace();
    Variant v = p.value(null);
    p.skipSpace();
    if (p.pos != text.length()) {
      throw p.error(p.pos, text.length(), "expected end of input");
    }
    return v;
  }

  // ---------------------------------------------------------------- parsing

  private IllegalArgumentException error(int start, int end, String msg) {
    return new IllegalArgumentException(start + "-" + end + ": " + msg);
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private boolean peek(char c) {
    return pos < text.length() && text.charAt(pos) == c;
  }

  private void expect(char c) {
    skipSpace();
    if (!peek(c)) {
      throw error(pos, Math.min(pos + 1, text.length()), "expected '" + c + "'");
    }
    pos++;
  }

  private String word() {
    int start = pos;
    while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
      pos++;
    }
    return text.substring(start, pos);
  }

  /** Parses one value; {@code expected} is the required type or null to infer it. */
  private Variant value(VariantType expected) {
    skipSpace();
    if (pos >= text.length()) {
      throw error(pos, pos, "expected a value");
    }
    int start = pos;
    char c = text.charAt(pos);
    if (c == '@') {
      pos++;
      int tstart = pos;
      int end = typeEnd(pos);
      VariantType t;
      try {
        t = VariantType.of(text.substring(tstart, end));
      } catch (IllegalArgumentException e) {
        throw error(tstart, end, "invalid type");
      }
      pos = end;
      checkExpected(expected, t, start);
      return value(t);
    }
    if (c == '\'' || c == '"') {
      String s = string();
      return stringOf(expected == null ? VariantType.STRING : expected, s, start);
    }
    if (c == 'b' && pos + 1 < text.length() && (text.charAt(pos + 1) == '\'' || text.charAt(pos + 1) == '"')) {
      pos++;
      byte[] b = bytestring();
      checkExpected(expected, VariantType.BYTES, start);
      return Variant.bytes(b);
    }
    if (c == '<') {
      pos++;
      Variant inner = value(null);
      expect('>');
      checkExpected(expected, VariantType.VARIANT, start);
      return inner.boxed();
    }
    if (c == '[') {
      return array(expected, start);
    }
    if (c == '{') {
      return dict(expected, start);
    }
    if (c == '(') {
      return tuple(expected, start);
    }
    if (c == '-' || c == '+' || c == '.' || Character.isDigit(c)) {
      return number(expected, start);
    }
    if (Character.isLetter(c)) {
      String w = word();
      switch (w) {
        case "true":
        case "false":
          checkExpected(expected, VariantType.BOOLEAN, start);
          return Variant.bool(w.equals("true"));
        case "inf":
        case "nan":
          pos = start;
          return number(expected, start);
        case "nothing":
          if (expected == null || expected.kind() != VariantType.Kind.MAYBE) {
            throw error(start, pos, "unable to infer type of 'nothing'");
          }
          return Variant.of(expected, Optional.empty());
        case "just":
          {
            if (expected != null && expected.kind() != VariantType.Kind.MAYBE) {
              throw error(start, pos, "'just' where " + expected + " is expected");
            }
            Variant inner = value(expected == null ? null : expected.element());
            VariantType t = expected != null ? expected : VariantType.of("m" + inner.type().signature());
            return Variant.of(t, Optional.of(inner.value()));
          }
        default:
          {
            VariantType kw = keywordType(w);
            if (kw == null) {
              throw error(start, pos, "unknown keyword");
            }
            checkExpected(expected, kw, start);
            return value(kw);
          }
      }
    }
    throw error(start, start + 1, "unexpected character '" + c + "'");
  }

  private static VariantType keywordType(String w) {
    switch (w) {
      case "boolean":
        return VariantType.BOOLEAN;
      case "byte":
        return VariantType.BYTE;
      case "int16":
        return VariantType.of("n");
      case "uint16":
        return VariantType.of("q");
      case "int32":
        return VariantType.of("i");
      case "uint32":
        return VariantType.UINT32;
      case "handle":
        return VariantType.of("h");
      case "int64":
        return VariantType.of("x");
      case "uint64":
        return VariantType.UINT64;
      case "double":
        return VariantType.of("d");
      case "string":
        return VariantType.STRING;
      case "objectpath":
        return VariantType.of("o");
      case "signature":
        return VariantType.of("g");
      default:
        return null;
    }
  }

  private void checkExpected(VariantType expected, VariantType actual, int start) {
    if (expected != null && !expected.equals(actual)) {
      throw error(start, pos, "value of type " + actual + " where " + expected + " is expected");
    }
  }

  private int typeEnd(int p) {
    if (p >= text.length()) {
      throw error(p, p, "expected a type");
    }
    char c = text.charAt(p);
    switch (c) {
      case 'a':
      case 'm':
        return typeEnd(p + 1);
      case '(':
        {
          int q = p + 1;
          while (q < text.length() && text.charAt(q) != ')') {
            q = typeEnd(q);
          }
          if (q >= text.length()) {
            throw error(p, q, "unterminated tuple type");
          }
          return q + 1;
        }
      case '{':
        {
          int q = typeEnd(typeEnd(p + 1));
          if (q >= text.length() || text.charAt(q) != '}') {
            throw error(p, q, "invalid dict entry type");
          }
          return q + 1;
        }
      default:
        if ("bynqiuxthdsogv".indexOf(c) < 0) {
          throw error(p, p + 1, "invalid type character");
        }
        return p + 1;
    }
  }

  private Variant stringOf(VariantType t, String s, int start) {
    switch (t.kind()) {
      case STRING:
      case OBJECT_PATH:
      case SIGNATURE:
        return Variant.of(t, s);
      default:
        throw error(start, pos, "string where " + t + " is expected");
    }
  }

  private String string() {
    char quote = text.charAt(pos);
    int start = pos++;
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw error(start, pos, "unterminated string constant");
      }
      char c = text.charAt(pos++);
      if (c == quote) {
        return sb.toString();
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (pos >= text.length()) {
        throw error(start, pos, "unterminated string constant");
      }
      char e = text.charAt(pos++);
      switch (e) {
        case 'a':
          sb.append('\u0007');
          break;
        case 'b':
          sb.append('\b');
          break;
        case 'f':
          sb.append('\f');
          break;
        case 'n':
          sb.append('\n');
          break;
        case 'r':
          sb.append('\r');
          break;
        case 't':
          sb.append('\t');
          break;
        case 'v':
          sb.append('\u000b');
          break;
        case 'u':
        case 'U':
          {
            int n = e == 'u' ? 4 : 8;
            if (pos + n > text.length()) {
              throw error(pos - 2, text.length(), "invalid unicode escape");
            }
            int cp;
            try {
              cp = Integer.parseInt(text.substring(pos, pos + n), 16);
            } catch (NumberFormatException ex) {
              throw error(pos - 2, pos + n, "invalid unicode escape");
            }
            if (!Character.isValidCodePoint(cp) || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0) {
              throw error(pos - 2, pos + n, "invalid unicode escape");
            }
            sb.appendCodePoint(cp);
            pos += n;
            break;
          }
        default:
          sb.append(e);
      }
    }
  }

  private byte[] bytestring() {
    char quote = text.charAt(pos);
    int start = pos++;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (true) {
      if (pos >= text.length()) {
        throw error(start, pos, "unterminated string constant");
      }
      char c = text.charAt(pos++);
      if (c == quote) {
        out.write(0);
        return out.toByteArray();
      }
      if (c != '\\') {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && pos < text.length()) {
          b = text.substring(pos - 1, pos + 1).getBytes(StandardCharsets.UTF_8);
          pos++;
        }
        out.write(b, 0, b.length);
        continue;
      }
      if (pos >= text.length()) {
        throw error(start, pos, "unterminated string constant");
      }
      char e = text.charAt(pos++);
      if (e >= '0' && e <= '7') {
        int v = e - '0';
        for (int i = 0; i < 2 && pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '7'; i++) {
          v = v * 8 + (text.charAt(pos++) - '0');
        }
        out.write(v & 0xFF);
        continue;
      }
      switch (e) {
        case 'a':
          out.write(7);
          break;
        case 'b':
          out.write(8);
          break;
        case 'f':
          out.write(12);
          break;
        case 'n':
          out.write(10);
          break;
        case 'r':
          out.write(13);
          break;
        case 't':
          out.write(9);
          break;
        case 'v':
          out.write(11);
          break;
        default:
          out.write(e);
      }
    }
  }

  private Variant number(VariantType expected, int start) {
    int end = pos;
    while (end < text.length()) {
      char c = text.charAt(end);
      if (Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '+') {
        end++;
      } else {
        break;
      }
    }
    String tok = text.substring(pos, end);
    pos = end;
    boolean isFloat = tok.matches("[-+]?(inf|nan)")
        || (!tok.matches("[-+]?0[xX].*") && (tok.contains(".") || tok.contains("e") || tok.contains("E")));
    VariantType t = expected != null ? expected : VariantType.of(isFloat ? "d" : "i");
    if (t.kind() == VariantType.Kind.DOUBLE) {
      try {
        String norm = tok.replace("inf", "Infinity").replace("nan", "NaN");
        return Variant.of(t, Double.parseDouble(norm));
      } catch (NumberFormatException e) {
        throw error(start, end, "invalid number");
      }
    }
    if (isFloat) {
      throw error(start, end, "floating point number where " + t + " is expected");
    }
    BigInteger v;
    try {
      String s = tok;
      boolean neg = s.startsWith("-");
      if (s.startsWith("-") || s.startsWith("+")) {
        s = s.substring(1);
      }
      int radix = 10;
      if (s.startsWith("0x") || s.startsWith("0X")) {
        radix = 16;
        s = s.substring(2);
      } else if (s.length() > 1 && s.startsWith("0")) {
        radix = 8;
        s = s.substring(1);
      }
      v = new BigInteger(s, radix);
      if (neg) {
        v = v.negate();
      }
    } catch (NumberFormatException e) {
      throw error(start, end, "invalid number");
    }
    long min;
    BigInteger max;
    switch (t.kind()) {
      case BYTE:
        min = 0;
        max = BigInteger.valueOf(255);
        break;
      case INT16:
        min = Short.MIN_VALUE;
        max = BigInteger.valueOf(Short.MAX_VALUE);
        break;
      case UINT16:
        min = 0;
        max = BigInteger.valueOf(65535);
        break;
      case INT32:
      case HANDLE:
        min = Integer.MIN_VALUE;
        max = BigInteger.valueOf(Integer.MAX_VALUE);
        break;
      case UINT32:
        min = 0;
        max = BigInteger.valueOf(0xFFFFFFFFL);
        break;
      case INT64:
        min = Long.MIN_VALUE;
        max = BigInteger.valueOf(Long.MAX_VALUE);
        break;
      case UINT64:
        min = 0;
        max = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
        break;
      default:
        throw error(start, end, "number where " + t + " is expected");
    }
    if (v.compareTo(BigInteger.valueOf(min)) < 0 || v.compareTo(max) > 0) {
      throw error(start, end, "number out of range for type " + t);
    }
    switch (t.kind()) {
      case BYTE:
        return Variant.of(t, (byte) v.intValue());
      case INT16:
      case UINT16:
        return Variant.of(t, (short) v.intValue());
      case INT32:
      case UINT32:
      case HANDLE:
        return Variant.of(t, (int) v.longValue());
      default:
        return Variant.of(t, v.longValue());
    }
  }

  private Variant array(VariantType expected, int start) {
    pos++;
    if (expected != null && expected.kind() != VariantType.Kind.ARRAY) {
      throw error(start, pos, "array where " + expected + " is expected");
    }
    VariantType el = expected == null ? null : expected.element();
    List<Variant> items = new ArrayList<>();
    skipSpace();
    if (peek(']')) {
      pos++;
      if (el == null) {
        throw error(start, pos, "unable to infer type of empty array");
      }
    } else {
      while (true) {
        Variant v = value(el);
        if (el == null) {
          el = v.type();
        }
        items.add(v);
        skipSpace();
        if (peek(',')) {
          pos++;
          continue;
        }
        expect(']');
        break;
      }
    }
    VariantType t = VariantType.of("a" + el.signature());
    if (el.kind() == VariantType.Kind.BYTE) {
      byte[] b = new byte[items.size()];
      for (int i = 0; i < b.length; i++) {
        b[i] = (Byte) items.get(i).value();
      }
      return Variant.of(t, b);
    }
    List<Object> vals = new ArrayList<>();
    for (Variant v : items) {
      vals.add(v.value());
    }
    return Variant.of(t, vals);
  }

  private Variant dict(VariantType expected, int start) {
    pos++;
    VariantType keyType = null;
    VariantType valueType = null;
    boolean entryOnly = false;
    if (expected != null) {
      if (expected.kind() == VariantType.Kind.ARRAY && expected.element().kind() == VariantType.Kind.DICT_ENTRY) {
        keyType = expected.element().members().get(0);
        valueType = expected.element().members().get(1);
      } else if (expected.kind() == VariantType.Kind.DICT_ENTRY) {
        keyType = expected.members().get(0);
        valueType = expected.members().get(1);
        entryOnly = true;
      } else {
        throw error(start, pos, "dictionary where " + expected + " is expected");
      }
    }
    List<Object> entries = new ArrayList<>();
    skipSpace();
    if (peek('}')) {
      pos++;
      if (keyType == null || entryOnly) {
        throw error(start, pos, "unable to infer type of empty dictionary");
      }
      return Variant.of(expected, entries);
    }
    while (true) {
      Variant k = value(keyType);
      keyType = k.type();
      skipSpace();
      if (peek(',') && entries.isEmpty() && (expected == null || entryOnly)) {
        pos++;
        Variant v = value(valueType);
        expect('}');
        VariantType t = VariantType.of("{" + k.type().signature() + v.type().signature() + "}");
        return Variant.of(t, List.of(k.value(), v.value()));
      }
      expect(':');
      Variant v = value(valueType);
      valueType = v.type();
      entries.add(List.of(k.value(), v.value()));
      skipSpace();
      if (peek(',')) {
        pos++;
        continue;
      }
      expect('}');
      break;
    }
    if (entryOnly) {
      throw error(start, pos, "dictionary where a dictionary entry is expected");
    }
    VariantType t = VariantType.of("a{" + keyType.signature() + valueType.signature() + "}");
    return Variant.of(t, entries);
  }

  private Variant tuple(VariantType expected, int start) {
    pos++;
    if (expected != null && expected.kind() != VariantType.Kind.TUPLE) {
      throw error(start, pos, "tuple where " + expected + " is expected");
    }
    List<Variant> items = new ArrayList<>();
    skipSpace();
    if (peek(')')) {
      pos++;
    } else {
      while (true) {
        int i = items.size();
        VariantType mt = null;
        if (expected != null) {
          if (i >= expected.members().size()) {
            throw error(start, pos, "too many items for tuple type " + expected);
          }
          mt = expected.members().get(i);
        }
        items.add(value(mt));
        skipSpace();
        if (peek(',')) {
          pos++;
          skipSpace();
          if (peek(')')) {
            pos++;
            break;
          }
          continue;
        }
        expect(')');
        break;
      }
    }
    StringBuilder sig = new StringBuilder("(");
    List<Object> vals = new ArrayList<>();
    for (Variant v : items) {
      sig.append(v.type().signature());
      vals.add(v.value());
    }
    VariantType t = VariantType.of(sig.append(')').toString());
    if (expected != null && !expected.equals(t)) {
      throw error(start, pos, "tuple of type " + t + " where " + expected + " is expected");
    }
    return Variant.of(t, vals);
  }

  // ---------------------------------------------------------------- printing

  /** Prints a value as {@code g_variant_print(value, FALSE)}: no type annotations at the top. */
  public static String printPlain(Variant v) {
    StringBuilder sb = new StringBuilder();
    plain(sb, v.type(), v.value());
    return sb.toString();
  }

  private static void plain(StringBuilder sb, VariantType t, Object value) {
    switch (t.kind()) {
      case BYTE:
        sb.append(String.format(Locale.ROOT, "0x%02x", ((Byte) value) & 0xFF));
        return;
      case INT16:
        sb.append((short) (Short) value);
        return;
      case UINT16:
        sb.append(((Short) value) & 0xFFFF);
        return;
      case INT32:
      case HANDLE:
        sb.append((int) (Integer) value);
        return;
      case UINT32:
        sb.append(Integer.toUnsignedString((Integer) value));
        return;
      case INT64:
        sb.append((long) (Long) value);
        return;
      case UINT64:
        sb.append(Long.toUnsignedString((Long) value));
        return;
      case OBJECT_PATH:
      case SIGNATURE:
        sb.append(Variant.of(VariantType.STRING, value).print());
        return;
      case TUPLE:
        {
          List<?> members = (List<?>) value;
          sb.append('(');
          for (int i = 0; i < members.size(); i++) {
            if (i > 0) {
              sb.append(", ");
            }
            plain(sb, t.members().get(i), members.get(i));
          }
          if (members.size() == 1) {
            sb.append(',');
          }
          sb.append(')');
          return;
        }
      case DICT_ENTRY:
        {
          List<?> kv = (List<?>) value;
          sb.append('{');
          plain(sb, t.members().get(0), kv.get(0));
          sb.append(", ");
          plain(sb, t.members().get(1), kv.get(1));
          sb.append('}');
          return;
        }
      case ARRAY:
        if (t.element().kind() == VariantType.Kind.BYTE) {
          String s = Variant.of(t, value).print();
          if (s.startsWith("@")) {
            s = s.substring(s.indexOf(' ') + 1);
          } else if (s.startsWith("[byte ")) {
            s = "[" + s.substring(6);
          }
          sb.append(s);
          return;
        }
        {
          List<?> list = (List<?>) value;
          boolean dict = t.element().kind() == VariantType.Kind.DICT_ENTRY;
          sb.append(dict ? '{' : '[');
          for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
              sb.append(", ");
            }
            if (dict) {
              List<?> kv = (List<?>) list.get(i);
              plain(sb, t.element().members().get(0), kv.get(0));
              sb.append(": ");
              plain(sb, t.element().members().get(1), kv.get(1));
            } else {
              plain(sb, t.element(), list.get(i));
            }
          }
          sb.append(dict ? '}' : ']');
          return;
        }
      case MAYBE:
        {
          String s = Variant.of(t, value).print();
          sb.append(s.startsWith("@") ? s.substring(s.indexOf(' ') + 1) : s);
          return;
        }
      default:
        // strings, booleans, doubles and variants print the same with or without annotations
        sb.append(Variant.of(t, value).print());
    }
  }
}
