package io.github.ostree4j.ostree.gvariant;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A typed GVariant value.
 *
 * <p>Java representations: {@code b} Boolean; {@code y} Byte; {@code n q} Short; {@code i u h}
 * Integer; {@code x t} Long; {@code d} Double; {@code s o g} String; {@code v} Variant; {@code ay}
 * byte[]; other arrays {@code List<Object>}; {@code m*} {@code Optional<Object>}; tuples and dict
 * entries {@code List<Object>} of their members. Numbers are the values as stored, in the byte
 * order GVariant uses on little-endian hosts; ostree's big-endian fields are swapped by the object
 * codecs, not here.
 */
public final class Variant {

  private final VariantType type;
  private final Object value;

  private Variant(VariantType type, Object value) {
    this.type = Objects.requireNonNull(type);
    this.value = Objects.requireNonNull(value);
  }

  /** Wraps a Java value as a value of the given type; the representation is checked. */
  public static Variant of(VariantType type, Object value) {
    check(type, value);
    return new Variant(type, value);
  }

  /** Wraps a Java value as a value of the given type string. */
  public static Variant of(String type, Object value) {
    return of(VariantType.of(type), value);
  }

  /** A string ({@code s}). */
  public static Variant string(String s) {
    return new Variant(VariantType.STRING, s);
  }

  /** A boolean ({@code b}). */
  public static Variant bool(boolean b) {
    return new Variant(VariantType.BOOLEAN, b);
  }

  /** A 64-bit unsigned integer ({@code t}) in host (little-endian) order. */
  public static Variant uint64(long v) {
    return new Variant(VariantType.UINT64, v);
  }

  /** A 32-bit unsigned integer ({@code u}) in host (little-endian) order. */
  public static Variant uint32(int v) {
    return new Variant(VariantType.UINT32, v);
  }

  /** A byte array ({@code ay}). */
  public static Variant bytes(byte[] b) {
    return new Variant(VariantType.BYTES, b.clone());
  }

  /** A string array ({@code as}). */
  public static Variant strings(List<String> strings) {
    return new Variant(VariantType.STRINGS, List.copyOf(strings));
  }

  /** A dictionary {@code a{sv}} in the iteration order of the map (GVariant keeps that order). */
  public static Variant vardict(Map<String, Variant> map) {
    List<Object> entries = new ArrayList<>(map.size());
    for (Map.Entry<String, Variant> e : map.entrySet()) {
      entries.add(List.of(e.getKey(), e.getValue()));
    }
    return new Variant(VariantType.VARDICT, List.copyOf(entries));
  }

  /** Boxes this value in a {@code v}. */
  public Variant boxed() {
    return new Variant(VariantType.VARIANT, this);
  }

  /** The type. */
  public VariantType type() {
    return type;
  }

  /** The Java value (see the class comment for the representation). */
  public Object value() {
    return value;
  }

  /** The value of a {@code s}, {@code o} or {@code g}. */
  public String asString() {
    return (String) value;
  }

  /** The value of a {@code b}. */
  public boolean asBoolean() {
    return (Boolean) value;
  }

  /** The value of a {@code t} or {@code x}. */
  public long asLong() {
    return ((Number) value).longValue();
  }

  /** The value of a {@code u}, {@code i} or {@code h}. */
  public int asInt() {
    return ((Number) value).intValue();
  }

  /** A copy of the value of an {@code ay}. */
  public byte[] asBytes() {
    return ((byte[]) value).clone();
  }

  /** The child of a {@code v}. */
  public Variant unboxed() {
    return (Variant) value;
  }

  /** Members of a tuple, elements of an array (other than {@code ay}). */
  @SuppressWarnings("unchecked")
  public List<Object> asList() {
    return (List<Object>) value;
  }

  /** The entries of an {@code as}. */
  @SuppressWarnings("unchecked")
  public List<String> asStrings() {
    return (List<String>) (List<?>) value;
  }

  /** The entries of an {@code a{sv}} in stored order; later duplicates win. */
  public Map<String, Variant> asVardict() {
    Map<String, Variant> out = new LinkedHashMap<>();
    for (Object e : asList()) {
      List<?> entry = (List<?>) e;
      out.put((String) entry.get(0), (Variant) entry.get(1));
    }
    return out;
  }

  /** Serializes this value to GVariant normal form. */
  public byte[] serialize() {
    return GVariantCodec.serialize(type, value);
  }

  /** Prints the value as {@code g_variant_print(value, TRUE)} does. */
  public String print() {
    return VariantPrinter.print(this, true);
  }

  private static void check(VariantType type, Object v) {
    boolean ok;
    switch (type.kind()) {
      case BOOLEAN:
        ok = v instanceof Boolean;
        break;
      case BYTE:
        ok = v instanceof Byte;
        break;
      case INT16:
      case UINT16:
        ok = v instanceof Short;
        break;
      case INT32:
      case UINT32:
      case HANDLE:
        ok = v instanceof Integer;
        break;
      case INT64:
      case UINT64:
        ok = v instanceof Long;
        break;
      case DOUBLE:
        ok = v instanceof Double;
        break;
      case STRING:
      case OBJECT_PATH:
      case SIGNATURE:
        ok = v instanceof String;
        break;
      case VARIANT:
        ok = v instanceof Variant;
        break;
      case MAYBE:
        ok = v instanceof Optional;
        if (ok && ((Optional<?>) v).isPresent()) {
          check(type.element(), ((Optional<?>) v).get());
        }
        break;
      case ARRAY:
        if (type.element().kind() == VariantType.Kind.BYTE) {
          ok = v instanceof byte[];
        } else {
          ok = v instanceof List;
          if (ok) {
            for (Object e : (List<?>) v) {
              check(type.element(), e);
            }
          }
        }
        break;
      case TUPLE:
      case DICT_ENTRY:
        ok = v instanceof List && ((List<?>) v).size() == type.members().size();
        if (ok) {
          for (int i = 0; i < type.members().size(); i++) {
            check(type.members().get(i), ((List<?>) v).get(i));
          }
        }
        break;
      default:
        ok = false;
    }
    if (!ok) {
      throw new IllegalArgumentException(
          "value of class " + v.getClass().getSimpleName() + " does not represent type " + type);
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Variant)) {
      return false;
    }
    Variant other = (Variant) o;
    return type.equals(other.type) && Arrays.equals(serialize(), other.serialize());
  }

  @Override
  public int hashCode() {
    return type.hashCode() * 31 + Arrays.hashCode(serialize());
  }

  @Override
  public String toString() {
    return print();
  }
}
