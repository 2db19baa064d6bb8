package io.github.ostree4j.ostree.gvariant;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** Text form of GVariant values, character for character as GLib's {@code g_variant_print}. */
final class VariantPrinter {

  private VariantPrinter() {}

  static String print(Variant v, boolean typeAnnotate) {
    StringBuilder sb = new StringBuilder();
    print(sb, v.type(), v.value(), typeAnnotate);
    return sb.toString();
  }

  private static void print(StringBuilder sb, VariantType type, Object value, boolean annotate) {
    switch (type.kind()) {
      case MAYBE:
        printMaybe(sb, type, value, annotate);
        break;
      case ARRAY:
        printArray(sb, type, value, annotate);
        break;
      case TUPLE:
        {
          List<?> members = (List<?>) value;
          sb.append('(');
          for (int i = 0; i < members.size(); i++) {
            print(sb, type.members().get(i), members.get(i), annotate);
            sb.append(", ");
          }
          int n = members.size();
          sb.setLength(sb.length() - (n > 0 ? 1 : 0) - (n > 1 ? 1 : 0));
          sb.append(')');
          break;
        }
      case DICT_ENTRY:
        {
          List<?> kv = (List<?>) value;
          sb.append('{');
          print(sb, type.members().get(0), kv.get(0), annotate);
          sb.append(", ");
          print(sb, type.members().get(1), kv.get(1), annotate);
          sb.append('}');
          break;
        }
      case VARIANT:
        {
          Variant child = (Variant) value;
          sb.append('<');
          print(sb, child.type(), child.value(), true);
          sb.append('>');
          break;
        }
      case BOOLEAN:
        sb.append(((Boolean) value) ? "true" : "false");
        break;
      case STRING:
        printString(sb, (String) value);
        break;
      case OBJECT_PATH:
        if (annotate) {
          sb.append("objectpath ");
        }
        printString(sb, (String) value);
        break;
      case SIGNATURE:
        if (annotate) {
          sb.append("signature ");
        }
        printString(sb, (String) value);
        break;
      case BYTE:
        if (annotate) {
          sb.append("byte ");
        }
        sb.append(String.format("0x%02x", ((Byte) value) & 0xFF));
        break;
      case INT16:
        if (annotate) {
          sb.append("int16 ");
        }
        sb.append((short) (Short) value);
        break;
      case UINT16:
        if (annotate) {
          sb.append("uint16 ");
        }
        sb.append(((Short) value) & 0xFFFF);
        break;
      case INT32:
        sb.append((int) (Integer) value);
        break;
      case HANDLE:
        if (annotate) {
          sb.append("handle ");
        }
        sb.append((int) (Integer) value);
        break;
      case UINT32:
        if (annotate) {
          sb.append("uint32 ");
        }
        sb.append(Integer.toUnsignedString((Integer) value));
        break;
      case INT64:
        if (annotate) {
          sb.append("int64 ");
        }
        sb.append((long) (Long) value);
        break;
      case UINT64:
        if (annotate) {
          sb.append("uint64 ");
        }
        sb.append(Long.toUnsignedString((Long) value));
        break;
      case DOUBLE:
        {
          String s = formatDouble((Double) value);
          sb.append(s);
          break;
        }
      default:
        throw new IllegalStateException("unhandled type " + type);
    }
  }

  private static void printMaybe(StringBuilder sb, VariantType type, Object value, boolean annotate) {
    if (annotate) {
      sb.append('@').append(type.signature()).append(' ');
    }
    Optional<?> o = (Optional<?>) value;
    if (o.isEmpty()) {
      sb.append("nothing");
      return;
    }
    int depth = 0;
    VariantType base = type;
    while (base.kind() == VariantType.Kind.MAYBE) {
      depth++;
      base = base.element();
    }
    Object element = value;
    VariantType elementType = type;
    int i;
    for (i = 0; i < depth && element != null; i++) {
      Optional<?> oe = (Optional<?>) element;
      element = oe.isPresent() ? oe.get() : null;
      elementType = elementType.element();
    }
    if (element == null) {
      for (; i > 1; i--) {
        sb.append("just ");
      }
      sb.append("nothing");
    } else {
      print(sb, elementType, element, false);
    }
  }

  private static void printArray(StringBuilder sb, VariantType type, Object value, boolean annotate) {
    VariantType el = type.element();
    if (el.kind() == VariantType.Kind.BYTE) {
      byte[] b = (byte[]) value;
      int firstNul = b.length;
      for (int i = 0; i < b.length; i++) {
        if (b[i] == 0) {
          firstNul = i;
          break;
        }
      }
      if (b.length > 0 && firstNul == b.length - 1) {
        boolean hasQuote = false;
        for (int i = 0; i < b.length - 1; i++) {
          if (b[i] == '\'') {
            hasQuote = true;
          }
        }
        char q = hasQuote ? '"' : '\'';
        sb.append('b').append(q);
        strescape(sb, b, b.length - 1);
        sb.append(q);
        return;
      }
      if (b.length == 0) {
        if (annotate) {
          sb.append('@').append(type.signature()).append(' ');
        }
        sb.append("[]");
        return;
      }
      sb.append('[');
      for (int i = 0; i < b.length; i++) {
        if (i > 0) {
          sb.append(", ");
        }
        if (i == 0 && annotate) {
          sb.append("byte ");
        }
        sb.append(String.format("0x%02x", b[i] & 0xFF));
      }
      sb.append(']');
      return;
    }
    List<?> list = (List<?>) value;
    boolean dict = el.kind() == VariantType.Kind.DICT_ENTRY;
    if (list.isEmpty()) {
      if (annotate) {
        sb.append('@').append(type.signature()).append(' ');
      }
      sb.append(dict ? "{}" : "[]");
      return;
    }
    sb.append(dict ? '{' : '[');
    boolean ann = annotate;
    String comma = "";
    for (Object e : list) {
      sb.append(comma);
      comma = ", ";
      if (dict) {
        List<?> kv = (List<?>) e;
        print(sb, el.members().get(0), kv.get(0), ann);
        sb.append(": ");
        print(sb, el.members().get(1), kv.get(1), ann);
      } else {
        print(sb, el, e, ann);
      }
      ann = false;
    }
    sb.append(dict ? '}' : ']');
  }

  private static void printString(StringBuilder sb, String s) {
    char quote = s.indexOf('\'') >= 0 ? '"' : '\'';
    sb.append(quote);
    s.codePoints()
        .forEach(
            c -> {
              if (c == quote || c == '\\') {
                sb.append('\\');
              }
              if (isPrint(c)) {
                sb.appendCodePoint(c);
              } else {
                sb.append('\\');
                if (c < 0x10000) {
                  switch (c) {
                    case 0x07:
                      sb.append('a');
                      break;
                    case '\b':
                      sb.append('b');
                      break;
                    case '\f':
                      sb.append('f');
                      break;
                    case '\n':
                      sb.append('n');
                      break;
                    case '\r':
                      sb.append('r');
                      break;
                    case '\t':
                      sb.append('t');
                      break;
                    case 0x0b:
                      sb.append('v');
                      break;
                    default:
                      sb.append(String.format("u%04x", c));
                  }
                } else {
                  sb.append(String.format("U%08x", c));
                }
              }
            });
    sb.append(quote);
  }

  private static boolean isPrint(int c) {
    int t = Character.getType(c);
    return t != Character.CONTROL
        && t != Character.FORMAT
        && t != Character.UNASSIGNED
        && t != Character.SURROGATE;
  }

  /** GLib's g_strescape with no exceptions, over the first {@code len} bytes. */
  private static void strescape(StringBuilder sb, byte[] b, int len) {
    for (int i = 0; i < len; i++) {
      int c = b[i] & 0xFF;
      switch (c) {
        case '\b':
          sb.append("\\b");
          break;
        case '\f':
          sb.append("\\f");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\t':
          sb.append("\\t");
          break;
        case 0x0b:
          sb.append("\\v");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '"':
          sb.append("\\\"");
          break;
        default:
          if (c < ' ' || c >= 0177) {
            sb.append('\\')
                .append((char) ('0' + ((c >> 6) & 07)))
                .append((char) ('0' + ((c >> 3) & 07)))
                .append((char) ('0' + (c & 07)));
          } else {
            sb.append((char) c);
          }
      }
    }
  }

  private static String formatDouble(double d) {
    // g_ascii_dtostr gives the shortest "%.17g"-style representation that round-trips.
    String s;
    if (Double.isNaN(d)) {
      s = "nan";
    } else if (Double.isInfinite(d)) {
      s = d > 0 ? "inf" : "-inf";
    } else if (d == Math.rint(d) && Math.abs(d) < 1e17) {
      s = Long.toString((long) d);
    } else {
      s = Double.toString(d);
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '.' || c == 'e' || c == 'E' || c == 'n' || c == 'N') {
        return s;
      }
    }
    return s + ".0";
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
