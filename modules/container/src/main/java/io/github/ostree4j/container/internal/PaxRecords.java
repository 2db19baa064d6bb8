package io.github.ostree4j.container.internal;

import io.github.ostree4j.ostree.Xattrs;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The body of a PAX extended header ({@code x} entry), built from raw bytes.
 *
 * <p>Each record is {@code "<length> <key>=<value>\n"}, where the decimal length counts the whole
 * record including its own digits. Values are copied byte for byte. This is why the exporter
 * builds PAX headers itself: commons-compress takes PAX values as Java strings and writes them
 * UTF-8 encoded, so an extended attribute value that is not valid UTF-8 (a file capability, a
 * binary {@code user.*} value) would be corrupted on the way out.
 */
public final class PaxRecords {

  /** Prefix of the PAX keys carrying extended attributes (the convention of star and GNU tar). */
  public static final String XATTR_PREFIX = "SCHILY.xattr.";

  /** The xattr that ostree-ext keeps out of PAX records (it is in the xattrs objects only). */
  public static final String SELINUX = "security.selinux";

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** The PAX records for an object's extended attributes, without {@value #SELINUX}. */
  public static PaxRecords forXattrs(Xattrs xattrs) {
    PaxRecords r = new PaxRecords();
    byte[] prefix = XATTR_PREFIX.getBytes(StandardCharsets.US_ASCII);
    byte[] selinux = SELINUX.getBytes(StandardCharsets.US_ASCII);
    for (Xattrs.Xattr x : xattrs.list()) {
      byte[] name = x.nameBytes();
      if (Arrays.equals(name, selinux)) {
        continue;
      }
      byte[] key = Arrays.copyOf(prefix, prefix.length + name.length);
      System.arraycopy(name, 0, key, prefix.length, name.length);
      r.add(key, x.value());
    }
    return r;
  }

  /** Appends one record. */
  public PaxRecords add(byte[] key, byte[] value) {
    for (byte b : key) {
      if (b == '=' || b == 0 || b == '\n') {
        throw new IllegalArgumentException("PAX key contains '=', NUL or newline: "
            + new String(key, StandardCharsets.UTF_8));
      }
    }
    // The length counts its own digits: find the digit count d with len(rest + d) == d.
    long rest = (long) key.length + value.length + 3;
    int d = 1;
    while (Long.toString(rest + d).length() != d) {
      d++;
    }
    byte[] digits = Long.toString(rest + d).getBytes(StandardCharsets.US_ASCII);
    out.write(digits, 0, digits.length);
    out.write(' ');
    out.write(key, 0, key.length);
    out.write('=');
    out.write(value, 0, value.length);
    out.write('\n');
    return this;
  }

  /** Whether no record was added. */
  public boolean isEmpty() {
    return out.size() == 0;
  }

  /** The encoded records. */
  public byte[] toBytes() {
    return out.toByteArray();
  }
}
