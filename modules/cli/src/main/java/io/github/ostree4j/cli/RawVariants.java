package io.github.ostree4j.cli;

import io.github.ostree4j.ostree.Commit;
import io.github.ostree4j.ostree.gvariant.Variant;
import io.github.ostree4j.ostree.gvariant.VariantType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Prints variants as {@code ostree show --raw} does: on little-endian hosts ostree byte-swaps the
 * whole value before printing, so its own big-endian fields read correctly.
 */
final class RawVariants {

  private RawVariants() {}

  static String printByteswapped(Commit c) {
    return byteswap(Variant.of(Commit.TYPE, parseValue(c))).print();
  }

  private static Object parseValue(Commit c) {
    try {
      return io.github.ostree4j.ostree.gvariant.GVariantCodec.deserialize(Commit.TYPE, c.bytes()).value();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static Variant byteswap(Variant v) {
    return Variant.of(v.type(), swap(v.type(), v.value()));
  }

  private static Object swap(VariantType t, Object v) {
    switch (t.kind()) {
      case INT16:
      case UINT16:
        return Short.reverseBytes((Short) v);
      case INT32:
      case UINT32:
      case HANDLE:
        return Integer.reverseBytes((Integer) v);
      case INT64:
      case UINT64:
        return Long.reverseBytes((Long) v);
      case DOUBLE:
        return Double.longBitsToDouble(Long.reverseBytes(Double.doubleToRawLongBits((Double) v)));
      case VARIANT:
        return byteswap((Variant) v);
      case MAYBE:
        return ((Optional<?>) v).map(x -> swap(t.element(), x));
      case ARRAY:
        if (v instanceof byte[]) {
          return v;
        }
        {
          List<Object> out = new ArrayList<>();
          for (Object e : (List<?>) v) {
            out.add(swap(t.element(), e));
          }
          return out;
        }
      case TUPLE:
      case DICT_ENTRY:
        {
          List<Object> out = new ArrayList<>();
          List<?> l = (List<?>) v;
          for (int i = 0; i < l.size(); i++) {
            out.add(swap(t.members().get(i), l.get(i)));
          }
          return out;
        }
      default:
        return v;
    }
  }
}
