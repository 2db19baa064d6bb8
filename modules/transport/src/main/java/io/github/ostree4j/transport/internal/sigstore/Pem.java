package io.github.ostree4j.transport.internal.sigstore;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** PEM blocks ({@code -----BEGIN TYPE----- base64 -----END TYPE-----}), as Go's encoding/pem writes them. */
public final class Pem {

  /**
   * One block.
   *
   * @param type the label, e.g. {@code PUBLIC KEY}
   * @param bytes the decoded body
   */
  public record Block(String type, byte[] bytes) {}

  private Pem() {}

  /**
   * Reads every block of a text; headers ({@code Key: value} lines) are skipped.
   *
   * @param text the file content
   * @return the blocks in order; empty when there are none
   * @throws IllegalArgumentException when a block is not terminated or its body is not base64
   */
  public static List<Block> decode(byte[] text) {
    String s = new String(text, StandardCharsets.US_ASCII);
    List<Block> out = new ArrayList<>();
    int pos = 0;
    while (true) {
      int begin = s.indexOf("-----BEGIN ", pos);
      if (begin < 0) {
        return out;
      }
      int typeEnd = s.indexOf("-----", begin + 11);
      if (typeEnd < 0) {
        throw new IllegalArgumentException("unterminated PEM BEGIN line");
      }
      String type = s.substring(begin + 11, typeEnd);
      String endLine = "-----END " + type + "-----";
      int end = s.indexOf(endLine, typeEnd + 5);
      if (end < 0) {
        throw new IllegalArgumentException("PEM block '" + type + "' has no END line");
      }
      StringBuilder body = new StringBuilder();
      for (String line : s.substring(typeEnd + 5, end).split("\n")) {
        String l = line.strip();
        if (l.isEmpty() || l.contains(":")) {
          continue;
        }
        body.append(l);
      }
      byte[] bytes;
      try {
        bytes = Base64.getDecoder().decode(body.toString());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("PEM block '" + type + "' is not valid base64", e);
      }
      out.add(new Block(type, bytes));
      pos = end + endLine.length();
    }
  }

  /**
   * Encodes one block with 64-character lines and a final newline.
   *
   * @param type the label
   * @param bytes the body
   * @return the PEM text
   */
  public static byte[] encode(String type, byte[] bytes) {
    String b64 = Base64.getEncoder().encodeToString(bytes);
    StringBuilder sb = new StringBuilder("-----BEGIN ").append(type).append("-----\n");
    for (int i = 0; i < b64.length(); i += 64) {
      sb.append(b64, i, Math.min(b64.length(), i + 64)).append('\n');
    }
    sb.append("-----END ").append(type).append("-----\n");
    return sb.toString().getBytes(StandardCharsets.US_ASCII);
  }
}
