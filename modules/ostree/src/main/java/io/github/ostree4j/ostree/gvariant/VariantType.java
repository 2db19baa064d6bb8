package io.github.ostree4j.ostree.gvariant;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A GVariant type, parsed from its type string ({@code "a{sv}"}, {@code "(uuua(ayay))"}, ...).
 *
 * <p>Knows the two properties the serialization rules need: alignment and, for fixed-size
 * types, the size. Instances are immutable; obtain them with {@link #of(String)}.
 */
public final class VariantType {

  /** Kinds of type: one per leading character of a type string. */
  public enum Kind {
    BOOLEAN('b', 1, 1),
    BYTE('y', 1, 1),
    INT16('n', 2, 2),
    UINT16('q', 2, 2),
    INT32('i', 4, 4),
    UINT32('u', 4, 4),
    HANDLE('h', 4, 4),
    INT64('x', 8, 8),
    UINT64('t', 8, 8),
    DOUBLE('d', 8, 8),
    STRING('s', 1, 0),
    OBJECT_PATH('o', 1, 0),
    SIGNATURE('g', 1, 0),
    VARIANT('v', 8, 0),
    ARRAY('a', 0, 0),
    MAYBE('m', 0, 0),
    TUPLE('(', 0, 0),
    DICT_ENTRY('{', 0, 0);

    private final char code;
    private final int basicAlignment;
    private final int basicSize;

    Kind(char code, int basicAlignment, int basicSize) {
      this.code = code;
      this.basicAlignment = basicAlignment;
      this.basicSize = basicSize;
    }

    /** The type-string character of this kind ({@code '('} for tuples). */
    public char code() {
      return code;
    }
  }

  public static final VariantType BOOLEAN = of("b");
  public static final VariantType BYTE = of("y");
  public static final VariantType UINT32 = of("u");
  public static final VariantType UINT64 = of("t");
  public static final VariantType STRING = of("s");
  public static final VariantType VARIANT = of("v");
  public static final VariantType BYTES = of("ay");
  public static final VariantType STRINGS = of("as");
  public static final VariantType VARDICT = of("a{sv}");

  private final String signature;
  private final Kind kind;
  private final List<VariantType> members;
  private final int alignment;
  private final int fixedSize;

  private VariantType(String signature, Kind kind, List<VariantType> members) {
    this.signature = signature;
    this.kind = kind;
    this.members = members;
    switch (kind) {
      case ARRAY:
      case MAYBE:
        this.alignment = members.get(0).alignment;
        this.fixedSize = 0;
        break;
      case TUPLE:
      case DICT_ENTRY:
        {
          int align = 1;
          boolean fixed = true;
          int size = 0;
          for (VariantType m : members) {
            align = Math.max(align, m.alignment);
            if (m.fixedSize == 0) {
              fixed = false;
            } else if (fixed) {
              size = alignUp(size, m.alignment) + m.fixedSize;
            }
          }
          this.alignment = align;
          if (fixed) {
            this.fixedSize = members.isEmpty() ? 1 : alignUp(size, align);
          } else {
            this.fixedSize = 0;
          }
          break;
        }
      default:
        this.alignment = kind.basicAlignment;
        this.fixedSize = kind.basicSize;
    }
  }

  /**
   * Parses a complete type string.
   *
   * @throws IllegalArgumentException if the string is not exactly one valid type
   */
  public static VariantType of(String signature) {
    int[] pos = {0};
    VariantType t = parse(signature, pos);
    if (pos[0] != signature.length()) {
      throw new IllegalArgumentException("trailing characters in GVariant type '" + signature + "'");
    }
    return t;
  }

  private static VariantType parse(String s, int[] pos) {
    if (pos[0] >= s.length()) {
      throw new IllegalArgumentException("truncated GVariant type '" + s + "'");
    }
    int start = pos[0];
    char c = s.charAt(pos[0]++);
    switch (c) {
      case 'a':
      case 'm':
        {
          VariantType element = parse(s, pos);
          return new VariantType(
              s.substring(start, pos[0]), c == 'a' ? Kind.ARRAY : Kind.MAYBE, List.of(element));
        }
      case '(':
        {
          List<VariantType> members = new ArrayList<>();
          while (true) {
            if (pos[0] >= s.length()) {
              throw new IllegalArgumentException("unterminated tuple in GVariant type '" + s + "'");
            }
            if (s.charAt(pos[0]) == ')') {
              pos[0]++;
              break;
            }
            members.add(parse(s, pos));
          }
          return new VariantType(s.substring(start, pos[0]), Kind.TUPLE, List.copyOf(members));
        }
      case '{':
        {
          VariantType key = parse(s, pos);
          if (key.kind.basicSize == 0 && !key.isStringLike()) {
            throw new IllegalArgumentException("dict entry key must be basic in '" + s + "'");
          }
          VariantType value = parse(s, pos);
          if (pos[0] >= s.length() || s.charAt(pos[0]) != '}') {
            throw new IllegalArgumentException("unterminated dict entry in GVariant type '" + s + "'");
          }
          pos[0]++;
          return new VariantType(s.substring(start, pos[0]), Kind.DICT_ENTRY, List.of(key, value));
        }
      default:
        for (Kind k : Kind.values()) {
          if (k.code == c && k.basicAlignment != 0) {
            return new VariantType(String.valueOf(c), k, List.of());
          }
        }
        throw new IllegalArgumentException("invalid character '" + c + "' in GVariant type '" + s + "'");
    }
  }

  static int alignUp(int offset, int alignment) {
    return (offset + alignment - 1) & -alignment;
  }

  /** The type string. */
  public String signature() {
    return signature;
  }

  /** The kind of this type. */
  public Kind kind() {
    return kind;
  }

  /** The element type of an array or maybe. */
  public VariantType element() {
    if (kind != Kind.ARRAY && kind != Kind.MAYBE) {
      throw new IllegalStateException(signature + " has no element type");
    }
    return members.get(0);
  }

  /** The member types of a tuple or dict entry (key, value). */
  public List<VariantType> members() {
    return members;
  }

  /** Alignment in bytes: 1, 2, 4 or 8. */
  public int alignment() {
    return alignment;
  }

  /** Size in bytes of a fixed-size type, or 0 for variable-size types. */
  public int fixedSize() {
    return fixedSize;
  }

  /** Whether values of this type all have the same size. */
  public boolean isFixedSize() {
    return fixedSize != 0;
  }

  boolean isStringLike() {
    return kind == Kind.STRING || kind == Kind.OBJECT_PATH || kind == Kind.SIGNATURE;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VariantType && ((VariantType) o).signature.equals(signature);
  }

  @Override
  public int hashCode() {
    return Objects.hash(signature);
  }

  @Override
  public String toString() {
    return signature;
  }
}
