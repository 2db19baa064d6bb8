package io.github.ostree4j.ostree;

import io.github.ostree4j.ostree.gvariant.GVariantCodec;
import io.github.ostree4j.ostree.gvariant.Variant;
import io.github.ostree4j.ostree.gvariant.VariantType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Extended attributes of a file or directory as ostree records them: {@code a(ayay)} sorted by
 * name, each name carrying its trailing NUL, values as raw bytes. Immutable.
 */
public final class Xattrs {

  /** The GVariant type {@code a(ayay)}. */
  public static final VariantType TYPE = VariantType.of("a(ayay)");

  /** No extended attributes. */
  public static final Xattrs EMPTY = new Xattrs(List.of());

  /** One attribute; the name is without the trailing NUL. */
  public static final class Xattr {
    private final byte[] name;
    private final byte[] value;

    private Xattr(byte[] name, byte[] value) {
      this.name = name;
      this.value = value;
    }

    /** The attribute name, e.g. {@code user.test}. */
    public String name() {
      return new String(name, StandardCharsets.UTF_8);
    }

    /** The raw name bytes without NUL. */
    public byte[] nameBytes() {
      return name.clone();
    }

    /** A copy of the value bytes. */
    public byte[] value() {
      return value.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Xattr
          && Arrays.equals(name, ((Xattr) o).name)
          && Arrays.equals(value, ((Xattr) o).value);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(name) * 31 + Arrays.hashCode(value);
    }
  }

  private final List<Xattr> list;
  private byte[] serialized;

  private Xattrs(List<Xattr> sorted) {
    this.list = sorted;
  }

  /** Builds a sorted set of attributes. */
  public static Builder builder() {
    return new Builder();
  }

  /** Accumulates attributes; {@link #build()} sorts them by name bytes. */
  public static final class Builder {
    private final List<Xattr> list = new ArrayList<>();

    /**
     * Adds an attribute. Like libostree when it reads a file, attributes with an empty value may
     * be skipped by the caller; this builder keeps what it is given.
     */
    public Builder add(String name, byte[] value) {
      return add(name.getBytes(StandardCharsets.UTF_8), value);
    }

    /** Adds an attribute given its raw name bytes (without NUL). */
    public Builder add(byte[] name, byte[] value) {
      if (name.length == 0) {
        throw new IllegalArgumentException("empty xattr name");
      }
      for (byte b : name) {
        if (b == 0) {
          throw new IllegalArgumentException("xattr name contains NUL");
        }
      }
      list.add(new Xattr(name.clone(), value.clone()));
      return this;
    }

    /**
     * The attributes in the order they were added, not sorted: libostree keeps the order libarchive
     * reports for tar input (the reverse of the archive's order), and the checksum depends on it.
     */
    public Xattrs buildInOrder() {
      return list.isEmpty() ? EMPTY : new Xattrs(List.copyOf(list));
    }

    /** The sorted, immutable attributes. */
    public Xattrs build() {
      if (list.isEmpty()) {
        return EMPTY;
      }
      List<Xattr> sorted = new ArrayList<>(list);
      sorted.sort((a, b) -> Arrays.compareUnsigned(a.name, b.name));
      return new Xattrs(Collections.unmodifiableList(sorted));
    }
  }

  /**
   * Decodes {@code a(ayay)} as stored. The stored order is kept (it is part of the checksum);
   * names must end with NUL.
   */
  public static Xattrs fromVariant(Variant v) {
    List<Xattr> out = new ArrayList<>();
    for (Object o : v.asList()) {
      List<?> pair = (List<?>) o;
      byte[] n = (byte[]) pair.get(0);
      byte[] val = (byte[]) pair.get(1);
      if (n.length == 0 || n[n.length - 1] != 0) {
        throw new IllegalArgumentException("xattr name is not NUL-terminated");
      }
      out.add(new Xattr(Arrays.copyOf(n, n.length - 1), val));
    }
    return out.isEmpty() ? EMPTY : new Xattrs(Collections.unmodifiableList(out));
  }

  /** The attributes in order. */
  public List<Xattr> list() {
    return list;
  }

  /** Whether there are none. */
  public boolean isEmpty() {
    return list.isEmpty();
  }

  /** The attributes as a value of type {@code a(ayay)}. */
  public Variant toVariant() {
    List<Object> elements = new ArrayList<>(list.size());
    for (Xattr x : list) {
      byte[] n = Arrays.copyOf(x.name, x.name.length + 1);
      elements.add(List.of(n, x.value));
    }
    return Variant.of(TYPE, elements);
  }

  /** The serialized {@code a(ayay)} bytes. */
  public byte[] serialize() {
    byte[] s = serialized;
    if (s == null) {
      s = list.isEmpty() ? new byte[0] : GVariantCodec.serialize(TYPE, toVariant().value());
      serialized = s;
    }
    return s;
  }

  /** Returns these attributes without the one with the given name. */
  public Xattrs without(String name) {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    List<Xattr> out = new ArrayList<>();
    for (Xattr x : list) {
      if (!Arrays.equals(x.name, n)) {
        out.add(x);
      }
    }
    return out.size() == list.size() ? this : out.isEmpty() ? EMPTY : new Xattrs(List.copyOf(out));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Xattrs && list.equals(((Xattrs) o).list);
  }

  @Override
  public int hashCode() {
    return list.hashCode();
  }

  @Override
  public String toString() {
    return toVariant().print();
  }
}
