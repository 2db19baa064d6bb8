package io.github.ostree4j.build.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The body of a PAX extended header: records {@code "<length> <key>=<value>\n"} whose decimal
 * length counts the whole record, its own digits included. Values are raw bytes (commons-compress
 * would encode PAX values from Java strings, corrupting binary xattr values such as file
 * capabilities).
 */
final class PaxRecords {

  /** Key prefix of xattrs (the convention of star, GNU tar, Go and containerd). */
  static final String XATTR_PREFIX = "SCHILY.xattr.";

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** Appends a record with a UTF-8 value. */
  PaxRecords add(String key, String value) {
    return add(key, value.getBytes(StandardCharsets.UTF_8));
  }

  /** Appends a record. */
  PaxRecords add(String key, byte[] value) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    for (byte b : k) {
      if (b == '=' || b == 0 || b == '\n') {
        throw new IllegalArgumentException("PAX key contains '=', NUL or newline: " + key);
      }
    }
    long rest = (long) k.length + value.length + 3;
    int digits = 1;
    while (Long.toString(rest + digits).length() != digits) {
      digits++;
    }
    byte[] len = Long.toString(rest + digits).getBytes(StandardCharsets.US_ASCII);
    out.write(len, 0, len.length);
    out.write(' ');
    out.write(k, 0, k.length);
    out.write('=');
    out.write(value, 0, value.length);
    out.write('\n');
    return this;
  }

  boolean isEmpty() {
    return out.size() == 0;
  }

  byte[] toBytes() {
    return out.toByteArray();
  }
}
