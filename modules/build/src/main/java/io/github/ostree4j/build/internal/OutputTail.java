package io.github.ostree4j.build.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Keeps the last lines of a byte stream (decoded as UTF-8, invalid bytes replaced) for error
 * messages: at most {@code maxLines} lines of at most {@code maxLineBytes} bytes each, so memory
 * stays bounded whatever the output is.
 */
final class OutputTail {

  private final int maxLines;
  private final int maxLineBytes;
  private final Deque<String> lines = new ArrayDeque<>();
  private final ByteArrayOutputStream current = new ByteArrayOutputStream();
  private boolean truncated;

  OutputTail(int maxLines, int maxLineBytes) {
    this.maxLines = maxLines;
    this.maxLineBytes = maxLineBytes;
  }

  /** Takes more output. */
  synchronized void accept(byte[] b, int off, int len) {
    for (int i = off; i < off + len; i++) {
      byte c = b[i];
      if (c == '\n') {
        endLine();
      } else if (current.size() < maxLineBytes) {
        current.write(c);
      } else {
        truncated = true;
      }
    }
  }

  /** The last lines, joined with {@code \n}; a last line without newline is included. */
  synchronized String text() {
    StringBuilder sb = new StringBuilder();
    boolean skipFirst = current.size() > 0 && lines.size() >= maxLines;
    for (String l : lines) {
      if (skipFirst) {
        skipFirst = false;
        continue;
      }
      sb.append(l).append('\n');
    }
    if (current.size() > 0) {
      sb.append(decode());
    } else if (sb.length() > 0) {
      sb.setLength(sb.length() - 1);
    }
    return sb.toString();
  }

  private void endLine() {
    lines.addLast(decode());
    current.reset();
    truncated = false;
    while (lines.size() > maxLines) {
      lines.removeFirst();
    }
  }

  private String decode() {
    String s = current.toString(StandardCharsets.UTF_8);
    if (s.endsWith("\r")) {
      s = s.substring(0, s.length() - 1);
    }
    return truncated ? s + "..." : s;
  }
}
