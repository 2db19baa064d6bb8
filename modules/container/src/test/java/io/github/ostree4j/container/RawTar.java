package io.github.ostree4j.container;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal tar reader for tests, independent of commons-compress: it walks the 512-byte headers
 * itself, applies GNU long-name ({@code L}), long-link ({@code K}) and PAX ({@code x}) records to
 * the entry that follows, and keeps PAX values as raw bytes. It insists on a proper end (two zero
 * records) and fails on anything it does not understand.
 */
final class RawTar {

  /** One logical entry. */
  record Entry(
      String name,
      char type,
      int mode,
      long uid,
      long gid,
      long size,
      long mtime,
      String uname,
      String gname,
      String linkName,
      Map<String, byte[]> pax,
      byte[] data) {

    boolean isDir() {
      return type == '5';
    }

    boolean isRegular() {
      return type == '0' || type == '\0';
    }

    boolean isHardlink() {
      return type == '1';
    }

    boolean isSymlink() {
      return type == '2';
    }

    /** The name without a leading {@code ./} (except the root) and without a trailing slash. */
    String path() {
      String n = name;
      if (n.equals("./") || n.equals(".")) {
        return ".";
      }
      if (n.startsWith("./")) {
        n = n.substring(2);
      }
      return n.endsWith("/") ? n.substring(0, n.length() - 1) : n;
    }

    String dataString() {
      return new String(data, StandardCharsets.UTF_8);
    }
  }

  private RawTar() {}

  /** Reads a whole (small) tar stream; entry data is kept in memory. */
  static List<Entry> read(InputStream in) throws IOException {
    return read(in.readAllBytes());
  }

  /** Parses a whole tar archive. */
  static List<Entry> read(byte[] tar) {
    List<Entry> out = new ArrayList<>();
    int pos = 0;
    String longName = null;
    String longLink = null;
    Map<String, byte[]> pax = new LinkedHashMap<>();
    while (true) {
      if (pos + 512 > tar.length) {
        throw new AssertionError("tar ends without the end-of-archive records at offset " + pos);
      }
      byte[] h = Arrays.copyOfRange(tar, pos, pos + 512);
      if (isZero(h)) {
        if (pos + 1024 > tar.length || !isZero(Arrays.copyOfRange(tar, pos + 512, pos + 1024))) {
          throw new AssertionError("a single zero record at offset " + pos);
        }
        if (longName != null || longLink != null || !pax.isEmpty()) {
          throw new AssertionError("extension records at the end of the archive");
        }
        return out;
      }
      checkChecksum(h, pos);
      char type = (char) h[156];
      long size = number(h, 124, 12);
      int dataStart = pos + 512;
      byte[] data = Arrays.copyOfRange(tar, dataStart, (int) (dataStart + size));
      pos = dataStart + (int) ((size + 511) / 512 * 512);
      switch (type) {
        case 'L' -> longName = cString(data);
        case 'K' -> longLink = cString(data);
        case 'x' -> pax.putAll(paxRecords(data));
        default -> {
          String name = longName != null ? longName : ustarName(h);
          String link = longLink != null ? longLink : cString(Arrays.copyOfRange(h, 157, 257));
          if (pax.containsKey("path")) {
            name = new String(pax.get("path"), StandardCharsets.UTF_8);
          }
          if (pax.containsKey("linkpath")) {
            link = new String(pax.get("linkpath"), StandardCharsets.UTF_8);
          }
          out.add(new Entry(name, type, (int) number(h, 100, 8), number(h, 108, 8), number(h, 116, 8), size,
              number(h, 136, 12), cString(Arrays.copyOfRange(h, 265, 297)),
              cString(Arrays.copyOfRange(h, 297, 329)), link, Map.copyOf(pax), data));
          longName = null;
          longLink = null;
          pax = new LinkedHashMap<>();
        }
      }
    }
  }

  /** PAX records with raw values. */
  static Map<String, byte[]> paxRecords(byte[] body) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    int i = 0;
    while (i < body.length) {
      int sp = i;
      while (body[sp] != ' ') {
        sp++;
      }
      int len = Integer.parseInt(new String(body, i, sp - i, StandardCharsets.US_ASCII));
      int end = i + len;
      if (body[end - 1] != '\n') {
        throw new AssertionError("PAX record without newline at " + i);
      }
      int eq = sp + 1;
      while (body[eq] != '=') {
        eq++;
      }
      out.put(new String(body, sp + 1, eq - sp - 1, StandardCharsets.UTF_8), Arrays.copyOfRange(body, eq + 1, end - 1));
      i = end;
    }
    return out;
  }

  private static String ustarName(byte[] h) {
    String name = cString(Arrays.copyOfRange(h, 0, 100));
    String magic = new String(h, 257, 6, StandardCharsets.US_ASCII);
    if (magic.equals("ustar\0")) {
      String prefix = cString(Arrays.copyOfRange(h, 345, 500));
      if (!prefix.isEmpty()) {
        return prefix + "/" + name;
      }
    }
    return name;
  }

  private static void checkChecksum(byte[] h, int pos) {
    long sum = 0;
    for (int i = 0; i < 512; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xFF);
    }
    long stored = number(h, 148, 8);
    if (sum != stored) {
      throw new AssertionError("bad header checksum at offset " + pos);
    }
  }

  private static long number(byte[] h, int off, int len) {
    if ((h[off] & 0x80) != 0) {
      long v = h[off] & 0x7F;
      for (int i = 1; i < len; i++) {
        v = (v << 8) | (h[off + i] & 0xFF);
      }
      return v;
    }
    int i = off;
    int end = off + len;
    while (i < end && h[i] == ' ') {
      i++;
    }
    long v = 0;
    for (; i < end; i++) {
      byte b = h[i];
      if (b == 0 || b == ' ') {
        break;
      }
      if (b < '0' || b > '7') {
        throw new AssertionError("bad octal digit in header field at " + off);
      }
      v = v * 8 + (b - '0');
    }
    return v;
  }

  private static String cString(byte[] b) {
    int n = 0;
    while (n < b.length && b[n] != 0) {
      n++;
    }
    return new String(b, 0, n, StandardCharsets.UTF_8);
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }
}
