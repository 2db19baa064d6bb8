package io.github.ostree4j.ostree.gvariant;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * GVariant serialization (always normal form) and strict deserialization.
 *
 * <p>Numbers are little-endian, as GLib writes them on the hosts ostree4j runs on. The
 * deserializer rejects everything GLib would treat as malformed: out-of-range framing offsets,
 * strings without their terminating NUL or with embedded NULs or invalid UTF-8, arrays whose size
 * is not a multiple of the element size. {@link #isNormalForm} additionally requires the bytes to
 * be exactly what the serializer writes for the decoded value, which is GLib's definition of
 * normal form.
 */
public final class GVariantCodec {

  private GVariantCodec() {}

  /** Serializes a value of the given type. */
  public static byte[] serialize(VariantType type, Object value) {
    Buf buf = new Buf(64);
    write(buf, type, value);
    return buf.toByteArray();
  }

  /** Deserializes {@code data} strictly as {@code type}. */
  public static Variant deserialize(VariantType type, byte[] data) throws GVariantFormatException {
    return deserialize(type, data, 0, data.length);
  }

  /** Deserializes {@code data[offset, offset+length)} strictly as {@code type}. */
  public static Variant deserialize(VariantType type, byte[] data, int offset, int length)
      throws GVariantFormatException {
    return Variant.of(type, read(data, offset, offset + length, type));
  }

  /**
   * Whether {@code data} is a normal-form serialization of {@code type}, as
   * {@code g_variant_is_normal_form()} decides.
   */
  public static boolean isNormalForm(VariantType type, byte[] data) {
    try {
      Object v = read(data, 0, data.length, type);
      return Arrays.equals(serialize(type, v), data);
    } catch (GVariantFormatException e) {
      return false;
    }
  }

  /**
   * Deserializes strictly and requires normal form.
   *
   * @throws GVariantFormatException naming the type and the defect
   */
  public static Variant deserializeNormal(VariantType type, byte[] data)
      throws GVariantFormatException {
    Object v = read(data, 0, data.length, type);
    if (!Arrays.equals(serialize(type, v), data)) {
      throw new GVariantFormatException("not in GVariant normal form for type " + type);
    }
    return Variant.of(type, v);
  }

  // ---------------------------------------------------------------- writing

  static int offsetSize(long bodySize, int nOffsets) {
    if (bodySize + nOffsets <= 0xFFL) {
      return 1;
    }
    if (bodySize + 2L * nOffsets <= 0xFFFFL) {
      return 2;
    }
    if (bodySize + 4L * nOffsets <= 0xFFFFFFFFL) {
      return 4;
    }
    return 8;
  }

  private static void writeOffsets(Buf buf, int start, int[] ends, int count, boolean reverse) {
    int body = buf.size - start;
    int w = offsetSize(body, count);
    for (int k = 0; k < count; k++) {
      int i = reverse ? count - 1 - k : k;
      long rel = ends[i] - start;
      for (int b = 0; b < w; b++) {
        buf.put((byte) (rel >>> (8 * b)));
      }
    }
  }

  private static void write(Buf buf, VariantType type, Object value) {
    switch (type.kind()) {
      case BOOLEAN:
        buf.put((byte) (((Boolean) value) ? 1 : 0));
        break;
      case BYTE:
        buf.put((Byte) value);
        break;
      case INT16:
      case UINT16:
        buf.putLe((Short) value, 2);
        break;
      case INT32:
      case UINT32:
      case HANDLE:
        buf.putLe((Integer) value, 4);
        break;
      case INT64:
      case UINT64:
        buf.putLe((Long) value, 8);
        break;
      case DOUBLE:
        buf.putLe(Double.doubleToRawLongBits((Double) value), 8);
        break;
      case STRING:
      case OBJECT_PATH:
      case SIGNATURE:
        buf.put(((String) value).getBytes(StandardCharsets.UTF_8));
        buf.put((byte) 0);
        break;
      case VARIANT:
        {
          Variant child = (Variant) value;
          write(buf, child.type(), child.value());
          buf.put((byte) 0);
          buf.put(child.type().signature().getBytes(StandardCharsets.US_ASCII));
          break;
        }
      case MAYBE:
        {
          Optional<?> o = (Optional<?>) value;
          if (o.isPresent()) {
            write(buf, type.element(), o.get());
            if (!type.element().isFixedSize()) {
              buf.put((byte) 0);
            }
          }
          break;
        }
      case ARRAY:
        writeArray(buf, type.element(), value);
        break;
      case TUPLE:
      case DICT_ENTRY:
        writeTuple(buf, type, (List<?>) value);
        break;
      default:
        throw new IllegalStateException("unhandled type " + type);
    }
  }

  private static void writeArray(Buf buf, VariantType element, Object value) {
    if (element.kind() == VariantType.Kind.BYTE) {
      buf.put((byte[]) value);
      return;
    }
    List<?> list = (List<?>) value;
    if (list.isEmpty()) {
      return;
    }
    int start = buf.size;
    if (element.isFixedSize()) {
      for (Object e : list) {
        buf.pad(element.alignment());
        write(buf, element, e);
      }
      return;
    }
    int[] ends = new int[list.size()];
    int i = 0;
    for (Object e : list) {
      buf.pad(element.alignment());
      write(buf, element, e);
      ends[i++] = buf.size;
    }
    writeOffsets(buf, start, ends, ends.length, false);
  }

  private static void writeTuple(Buf buf, VariantType type, List<?> values) {
    List<VariantType> members = type.members();
    int start = buf.size;
    if (members.isEmpty()) {
      buf.put((byte) 0);
      return;
    }
    int[] ends = new int[members.size()];
    int n = 0;
    for (int i = 0; i < members.size(); i++) {
      VariantType m = members.get(i);
      buf.pad(m.alignment());
      write(buf, m, values.get(i));
      if (!m.isFixedSize() && i != members.size() - 1) {
        ends[n++] = buf.size;
      }
    }
    if (type.isFixedSize()) {
      while (buf.size - start < type.fixedSize()) {
        buf.put((byte) 0);
      }
      return;
    }
    writeOffsets(buf, start, ends, n, true);
  }

  // ---------------------------------------------------------------- reading

  private static long readLe(byte[] d, int pos, int width) {
    long v = 0;
    for (int b = 0; b < width; b++) {
      v |= (d[pos + b] & 0xFFL) << (8 * b);
    }
    return v;
  }

  private static int readerOffsetSize(int size) {
    if (size == 0) {
      return 0;
    }
    if (size <= 0xFF) {
      return 1;
    }
    if (size <= 0xFFFF) {
      return 2;
    }
    return 4;
  }

  private static Object read(byte[] d, int start, int end, VariantType type)
      throws GVariantFormatException {
    int size = end - start;
    if (type.isFixedSize() && size != type.fixedSize()) {
      throw new GVariantFormatException(
          "value of type " + type + " has size " + size + ", expected " + type.fixedSize());
    }
    switch (type.kind()) {
      case BOOLEAN:
        if (d[start] != 0 && d[start] != 1) {
          throw new GVariantFormatException("boolean byte is " + d[start]);
        }
        return d[start] == 1;
      case BYTE:
        return d[start];
      case INT16:
      case UINT16:
        return (short) readLe(d, start, 2);
      case INT32:
      case UINT32:
      case HANDLE:
        return (int) readLe(d, start, 4);
      case INT64:
      case UINT64:
        return readLe(d, start, 8);
      case DOUBLE:
        return Double.longBitsToDouble(readLe(d, start, 8));
      case STRING:
      case OBJECT_PATH:
      case SIGNATURE:
        return readString(d, start, end);
      case VARIANT:
        return readVariant(d, start, end);
      case MAYBE:
        return readMaybe(d, start, end, type);
      case ARRAY:
        return readArray(d, start, end, type.element());
      case TUPLE:
      case DICT_ENTRY:
        return readTuple(d, start, end, type);
      default:
        throw new IllegalStateException("unhandled type " + type);
    }
  }

  private static String readString(byte[] d, int start, int end) throws GVariantFormatException {
    if (end == start || d[end - 1] != 0) {
      throw new GVariantFormatException("string is not NUL-terminated");
    }
    for (int i = start; i < end - 1; i++) {
      if (d[i] == 0) {
        throw new GVariantFormatException("string contains an embedded NUL");
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(d, start, end - 1 - start))
          .toString();
    } catch (CharacterCodingException e) {
      throw new GVariantFormatException("string is not valid UTF-8");
    }
  }

  private static Variant readVariant(byte[] d, int start, int end) throws GVariantFormatException {
    int sep = -1;
    for (int i = end - 1; i >= start; i--) {
      if (d[i] == 0) {
        sep = i;
        break;
      }
    }
    if (sep < 0) {
      throw new GVariantFormatException("variant has no type separator");
    }
    String sig = new String(d, sep + 1, end - sep - 1, StandardCharsets.US_ASCII);
    VariantType childType;
    try {
      childType = VariantType.of(sig);
    } catch (IllegalArgumentException e) {
      throw new GVariantFormatException("variant has invalid type string '" + sig + "'");
    }
    return Variant.of(childType, read(d, start, sep, childType));
  }

  private static Object readMaybe(byte[] d, int start, int end, VariantType type)
      throws GVariantFormatException {
    if (start == end) {
      return Optional.empty();
    }
    VariantType el = type.element();
    if (el.isFixedSize()) {
      return Optional.of(read(d, start, end, el));
    }
    if (d[end - 1] != 0) {
      throw new GVariantFormatException("maybe value lacks its trailing NUL");
    }
    return Optional.of(read(d, start, end - 1, el));
  }

  private static Object readArray(byte[] d, int start, int end, VariantType el)
      throws GVariantFormatException {
    int size = end - start;
    if (el.kind() == VariantType.Kind.BYTE) {
      return Arrays.copyOfRange(d, start, end);
    }
    if (size == 0) {
      return Collections.emptyList();
    }
    List<Object> out = new ArrayList<>();
    if (el.isFixedSize()) {
      if (size % el.fixedSize() != 0) {
        throw new GVariantFormatException(
            "array of " + el + " has size " + size + ", not a multiple of " + el.fixedSize());
      }
      for (int p = start; p < end; p += el.fixedSize()) {
        out.add(read(d, p, p + el.fixedSize(), el));
      }
      return Collections.unmodifiableList(out);
    }
    int w = readerOffsetSize(size);
    long lastEnd = readLe(d, end - w, w);
    if (lastEnd > size - w) {
      throw new GVariantFormatException("array framing offset out of range");
    }
    int tableStart = start + (int) lastEnd;
    int tableLen = end - tableStart;
    if (tableLen % w != 0) {
      throw new GVariantFormatException("array offset table size is not a multiple of " + w);
    }
    int n = tableLen / w;
    int pos = start;
    for (int i = 0; i < n; i++) {
      long elEnd = readLe(d, tableStart + i * w, w);
      int elStart = VariantType.alignUp(pos - start, el.alignment()) + start;
      if (elEnd > lastEnd || start + elEnd < elStart) {
        throw new GVariantFormatException("array element framing offset out of order or range");
      }
      checkZeroPadding(d, pos, elStart);
      out.add(read(d, elStart, start + (int) elEnd, el));
      pos = start + (int) elEnd;
    }
    return Collections.unmodifiableList(out);
  }

  private static Object readTuple(byte[] d, int start, int end, VariantType type)
      throws GVariantFormatException {
    List<VariantType> members = type.members();
    if (members.isEmpty()) {
      if (end - start != 1 || d[start] != 0) {
        throw new GVariantFormatException("unit tuple is not a single zero byte");
      }
      return List.of();
    }
    int size = end - start;
    int w = type.isFixedSize() ? 0 : readerOffsetSize(size);
    int frameEnd = end; // offsets are consumed from the end
    int pos = start;
    List<Object> out = new ArrayList<>(members.size());
    for (int i = 0; i < members.size(); i++) {
      VariantType m = members.get(i);
      int mStart = VariantType.alignUp(pos - start, m.alignment()) + start;
      if (mStart > end) {
        throw new GVariantFormatException("tuple member beyond the end of " + type);
      }
      checkZeroPadding(d, pos, mStart);
      int mEnd;
      if (m.isFixedSize()) {
        mEnd = mStart + m.fixedSize();
      } else if (i == members.size() - 1) {
        mEnd = frameEnd;
      } else {
        frameEnd -= w;
        if (frameEnd < mStart) {
          throw new GVariantFormatException("tuple framing offsets overlap data in " + type);
        }
        long rel = readLe(d, frameEnd, w);
        mEnd = start + (int) rel;
        if (rel > size || mEnd < mStart) {
          throw new GVariantFormatException("tuple framing offset out of range in " + type);
        }
      }
      if (mEnd > frameEnd) {
        throw new GVariantFormatException("tuple member overruns its frame in " + type);
      }
      out.add(read(d, mStart, mEnd, m));
      pos = mEnd;
    }
    if (type.isFixedSize()) {
      checkZeroPadding(d, pos, end);
    } else if (pos != frameEnd) {
      throw new GVariantFormatException("unexpected bytes after the last member of " + type);
    }
    return Collections.unmodifiableList(out);
  }

  private static void checkZeroPadding(byte[] d, int from, int to) throws GVariantFormatException {
    for (int i = from; i < to; i++) {
      if (d[i] != 0) {
        throw new GVariantFormatException("non-zero padding byte");
      }
    }
  }

  /** A minimal growable byte buffer. */
  static final class Buf {
    byte[] data;
    int size;

    Buf(int capacity) {
      data = new byte[capacity];
    }

    void ensure(int extra) {
      if (size + extra > data.length) {
        data = Arrays.copyOf(data, Math.max(data.length * 2, size + extra));
      }
    }

    void put(byte b) {
      ensure(1);
      data[size++] = b;
    }

    void put(byte[] b) {
      ensure(b.length);
      System.arraycopy(b, 0, data, size, b.length);
      size += b.length;
    }

    void putLe(long v, int width) {
      ensure(width);
      for (int i = 0; i < width; i++) {
        data[size++] = (byte) (v >>> (8 * i));
      }
    }

    void pad(int alignment) {
      while ((size & (alignment - 1)) != 0) {
        put((byte) 0);
      }
    }

    byte[] toByteArray() {
      return Arrays.copyOf(data, size);
    }
  }
}
