package io.github.ostree4j.cli;

import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.transport.CopyEvent;
import io.github.ostree4j.transport.CopyListener;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Shows the progress of {@code ostree4j copy}: bars on a terminal ({@code tty}), one JSON object
 * per line on stderr ({@code json}), or nothing ({@code none}).
 */
final class CopyProgress implements CopyListener {

  enum Mode { TTY, JSON, NONE }

  private static final long JSON_INTERVAL_NANOS = 500_000_000L;
  private static final long TTY_INTERVAL_NANOS = 200_000_000L;

  private final Mode mode;
  private final PrintWriter out;
  private final PrintWriter err;
  private final Map<Digest, Blob> blobs = new LinkedHashMap<>();
  private int drawnLines;
  private long lastDraw;

  private static final class Blob {
    final long size;
    final long start = System.nanoTime();
    long end;
    long bytes;
    String status = "copying";
    long lastJson;

    Blob(long size) {
      this.size = size;
    }
  }

  CopyProgress(Mode mode, PrintWriter out, PrintWriter err) {
    this.mode = mode;
    this.out = out;
    this.err = err;
  }

  static Mode mode(String progress, boolean quiet) {
    switch (progress) {
      case "tty":
        return quiet ? Mode.NONE : Mode.TTY;
      case "json":
        return Mode.JSON;
      case "none":
        return Mode.NONE;
      case "auto":
        return !quiet && System.console() != null ? Mode.TTY : Mode.NONE;
      default:
        throw new IllegalArgumentException("invalid --progress '" + progress
            + "' (expected auto, tty, json or none)");
    }
  }

  @Override
  public synchronized void onEvent(CopyEvent e) {
    if (mode == Mode.NONE) {
      return;
    }
    if (e.kind() == CopyEvent.Kind.MANIFEST) {
      if (mode == Mode.JSON) {
        err.println("{\"event\":\"done\",\"digest\":\"" + e.digest() + "\"}");
        err.flush();
      } else {
        draw(true);
        out.println("Wrote manifest " + e.digest());
        out.flush();
      }
      return;
    }
    Blob b = blobs.computeIfAbsent(e.digest(), d -> new Blob(e.size()));
    String status;
    switch (e.kind()) {
      case SKIPPED:
        status = "skipped";
        break;
      case MOUNTED:
        status = "mounted";
        break;
      case DONE:
        status = "done";
        break;
      default:
        status = "copying";
        break;
    }
    b.bytes = e.bytes();
    b.status = status;
    if (e.kind() == CopyEvent.Kind.DONE && b.end == 0) {
      b.end = System.nanoTime();
    }
    long now = System.nanoTime();
    if (mode == Mode.JSON) {
      if (e.kind() == CopyEvent.Kind.PROGRESS && now - b.lastJson < JSON_INTERVAL_NANOS) {
        return;
      }
      b.lastJson = now;
      err.println("{\"event\":\"blob\",\"digest\":\"" + e.digest() + "\",\"size\":" + e.size()
          + ",\"done\":" + e.bytes() + ",\"status\":\"" + status + "\"}");
      err.flush();
      return;
    }
    boolean force = e.kind() != CopyEvent.Kind.PROGRESS;
    if (force || now - lastDraw >= TTY_INTERVAL_NANOS) {
      lastDraw = now;
      draw(false);
    }
  }

  private void draw(boolean last) {
    StringBuilder sb = new StringBuilder();
    if (drawnLines > 0) {
      sb.append("\033[").append(drawnLines).append('A');
    }
    int lines = 0;
    for (Map.Entry<Digest, Blob> en : blobs.entrySet()) {
      Blob b = en.getValue();
      sb.append("\r\033[2K").append("Copying blob ").append(en.getKey().shortForm()).append(' ');
      switch (b.status) {
        case "skipped":
          sb.append("skipped: already exists");
          break;
        case "mounted":
          sb.append("mounted");
          break;
        default: {
          int width = 30;
          int filled = b.size > 0 ? (int) Math.min(width, b.bytes * width / b.size) : width;
          sb.append('[').append("=".repeat(filled)).append(" ".repeat(width - filled)).append("] ");
          sb.append(io.github.ostree4j.oci.ByteSizes.human(b.bytes)).append(" / ").append(io.github.ostree4j.oci.ByteSizes.human(b.size));
          double secs = ((b.end != 0 ? b.end : System.nanoTime()) - b.start) / 1e9;
          if (secs > 0 && b.bytes > 0) {
            sb.append(" | ").append(io.github.ostree4j.oci.ByteSizes.human((long) (b.bytes / secs))).append("/s");
          }
          if (b.status.equals("done")) {
            sb.append(" done");
          }
        }
      }
      sb.append('\n');
      lines++;
    }
    drawnLines = lines;
    out.print(sb);
    out.flush();
  }
}
