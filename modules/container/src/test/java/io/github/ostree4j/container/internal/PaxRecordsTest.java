package io.github.ostree4j.container.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.ostree.Xattrs;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PaxRecordsTest {

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void lengthCountsItsOwnDigits() {
    // "a=b" + space + newline = 5 bytes + 1 digit = 6
    assertArrayEquals(ascii("6 a=b\n"), new PaxRecords().add(ascii("a"), ascii("b")).toBytes());
    // rest 9 bytes: one digit would make 10, which has two digits, so the length is 11
    assertArrayEquals(ascii("11 ab=defg\n"), new PaxRecords().add(ascii("ab"), ascii("defg")).toBytes());
    // rest 98 bytes: 100 needs three digits, so 101
    byte[] rec = new PaxRecords().add(ascii("k"), ascii("v".repeat(94))).toBytes();
    assertEquals(101, rec.length);
    assertTrue(new String(rec, StandardCharsets.US_ASCII).startsWith("101 k="));
  }

  @Test
  void valuesAreCopiedByteForByte() {
    byte[] value = {0, (byte) 0xff, (byte) 0xc3, 0x28, '\n', '='};
    byte[] rec = new PaxRecords().add(ascii("SCHILY.xattr.user.x"), value).toBytes();
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.writeBytes(ascii("30 SCHILY.xattr.user.x="));
    expected.writeBytes(value);
    expected.write('\n');
    assertArrayEquals(expected.toByteArray(), rec);
  }

  @Test
  void xattrsWithoutSelinuxInStoredOrder() {
    Xattrs x = Xattrs.builder()
        .add("user.b", ascii("2"))
        .add("security.selinux", ascii("system_u:object_r:bin_t:s0\0"))
        .add("user.a", ascii("1"))
        .build();
    assertArrayEquals(ascii("25 SCHILY.xattr.user.a=1\n25 SCHILY.xattr.user.b=2\n"), PaxRecords.forXattrs(x).toBytes());
    assertTrue(PaxRecords.forXattrs(Xattrs.EMPTY).isEmpty());
  }
}
