package io.github.ostree4j.ostree.internal;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the raw bytes a tar reader consumes while it reads an entry's headers, so that PAX
 * records can be read as bytes: commons-compress decodes every PAX value as UTF-8 text, which
 * loses binary extended attribute values (and hides invalid UTF-8 in names). It also bounds the
 * headers of one entry to {@link #MAX_HEADER_BYTES}, so that an oversized PAX header fails
 * cleanly instead of filling memory.
 */
final class PaxCapture extends FilterInputStream {

  /** One PAX record: key and raw value bytes. */
  static final class Record {
    final String key;
    final byte[] value;

    Record(String key, byte[] value) {
      this.key = key;
      this.value = value;
    }
  }

  /** The most header bytes (PAX records, GNU long names) one entry may have. */
  static final int MAX_HEADER_BYTES = 8 << 20;

  private ByteArrayOutputStream buf;

  PaxCapture(InputStream in) {
    super(in);
  }

  /** Starts recording. */
  void start() {
    buf = new ByteArrayOutputStream();
  }

  /** Stops recording and returns what was read since {@link #start()}. */
  byte[] stop() {
    byte[] b = buf == null ? new byte[0] : buf.toByteArray();
    buf = null;
    return b;
  }

  @Override
  public int read() throws IOException {
    int c = super.read();
    if (c >= 0 && buf != null) {
      checkLimit(1);
      buf.write(c);
    }
    return c;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0 && buf != null) {
      checkLimit(n);
      buf.write(b, off, n);
    }
    return n;
  }

  /** Fails when the headers being recorded grow past {@link #MAX_HEADER_BYTES}. */
  private void checkLimit(int more) throws IOException {
    if (buf.size() + (long) more > MAX_HEADER_BYTES) {
      buf = null;
      throw new IOException("entry headers (PAX records or long names) larger than "
          + (MAX_HEADER_BYTES >> 20) + " MiB");
    }
  }

  /**
   * The PAX records ({@code "<len> <key>=<value>\n"}) found in captured header bytes, in order.
   * Only records whose length field is consistent and that end in a newline are taken.
   */
  static List<Record> records(byte[] raw) {
    List<Record> out = new ArrayList<>();
    int i = 0;
    while (i < raw.length) {
      if (raw[i] >= '1' && raw[i] <= '9' && (i == 0 || raw[i - 1] == '\n' || raw[i - 1] == 0)) {
        int j = i;
        long len = 0;
        while (j < raw.length && raw[j] >= '0' && raw[j] <= '9' && len < Integer.MAX_VALUE) {
          len = len * 10 + (raw[j] - '0');
          j++;
        }
        if (j < raw.length && raw[j] == ' ' && len > j - i + 2 && i + len <= raw.length
            && raw[(int) (i + len - 1)] == '\n') {
          int end = (int) (i + len - 1);
          int eq = -1;
          for (int k = j + 1; k < end; k++) {
            if (raw[k] == '=') {
              eq = k;
              break;
            }
          }
          if (eq > j + 1) {
            String key = new String(raw, j + 1, eq - j - 1, StandardCharsets.UTF_8);
            byte[] value = java.util.Arrays.copyOfRange(raw, eq + 1, end);
            out.add(new Record(key, value));
            i = end + 1;
            continue;
          }
        }
      }
      i++;
    }
    return out;
  }
}
