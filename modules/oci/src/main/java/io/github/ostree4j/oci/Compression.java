package io.github.ostree4j.oci;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import io.github.ostree4j.oci.internal.ReproducibleGzipOutputStream;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Layer compression: none, gzip or zstd. Detects compression by magic bytes, wraps streams to
 * compress or decompress them, and maps to and from layer media types (OCI and Docker).
 *
 * <p>Compressed output is reproducible: the same input and level always give the same bytes.
 * gzip headers carry no name and mtime 0. zstd runs in zstd's multi-threaded mode (at least one
 * worker) unless a caller asks for 0 workers; the multi-threaded output does not depend on the
 * number of workers, so a laptop and a 64-core CI runner produce the same digests (single-threaded
 * output is reproducible too, but differs from it). Every stream returned is independent (no shared state), so
 * several layers can be compressed or decompressed concurrently; a single stream is not
 * thread-safe. Closing a returned stream closes the wrapped one.
 */
public enum Compression {
  /** Uncompressed tar. */
  NONE("none", MediaTypes.OCI_LAYER, MediaTypes.DOCKER_LAYER),
  /** gzip (RFC 1952); decompression accepts concatenated members. */
  GZIP("gzip", MediaTypes.OCI_LAYER_GZIP, MediaTypes.DOCKER_LAYER_GZIP),
  /** Zstandard (RFC 8878); decompression accepts several frames and skippable frames (zstd:chunked). */
  ZSTD("zstd", MediaTypes.OCI_LAYER_ZSTD, MediaTypes.DOCKER_LAYER_ZSTD);

  /** Non-distributable OCI layer, uncompressed (deprecated in OCI 1.1, still found in images). */
  static final String OCI_NONDIST = "application/vnd.oci.image.layer.nondistributable.v1.tar";
  /** Docker foreign (Windows base) layer. */
  static final String DOCKER_FOREIGN_GZIP = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

  private static final int BUFFER = 1 << 16;

  private final String id;
  private final String ociType;
  private final String dockerType;

  Compression(String id, String ociType, String dockerType) {
    this.id = id;
    this.ociType = ociType;
    this.dockerType = dockerType;
  }

  /**
   * Detects the compression of a stream from its first bytes ({@code 1f 8b} gzip,
   * {@code 28 b5 2f fd} zstd, anything else is taken as uncompressed) and rewinds it.
   *
   * @param in a stream that supports mark/reset (e.g. a {@link BufferedInputStream})
   * @throws IllegalArgumentException if the stream does not support mark/reset
   */
  public static Compression detect(InputStream in) throws IOException {
    if (!in.markSupported()) {
      throw new IllegalArgumentException("compression detection needs a stream with mark/reset");
    }
    byte[] b = new byte[4];
    in.mark(b.length);
    int n;
    try {
      n = in.readNBytes(b, 0, b.length);
    } finally {
      in.reset();
    }
    if (n >= 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b) {
      return GZIP;
    }
    if (n == 4 && (b[0] & 0xff) == 0x28 && (b[1] & 0xff) == 0xb5 && (b[2] & 0xff) == 0x2f && (b[3] & 0xff) == 0xfd) {
      return ZSTD;
    }
    return NONE;
  }

  /** Detects the compression of {@code in} (buffering it if needed) and returns the decompressed stream. */
  public static InputStream decompressDetected(InputStream in) throws IOException {
    InputStream b = in.markSupported() ? in : new BufferedInputStream(in, BUFFER);
    return detect(b).decompress(b);
  }

  /**
   * The compression a layer media type implies: OCI {@code tar}, {@code tar+gzip}, {@code tar+zstd}
   * (also non-distributable) and Docker {@code rootfs.diff.tar}, {@code .tar.gzip}, {@code .tar.zstd}
   * (also foreign).
   *
   * @throws OciFormatException if the media type is not a layer type known here
   */
  public static Compression forMediaType(String mediaType) throws OciFormatException {
    if (mediaType != null) {
      for (Compression c : values()) {
        if (mediaType.equals(c.ociType) || mediaType.equals(c.dockerType)) {
          return c;
        }
      }
      if (mediaType.equals(OCI_NONDIST)) {
        return NONE;
      }
      if (mediaType.equals(OCI_NONDIST + "+gzip") || mediaType.equals(DOCKER_FOREIGN_GZIP)) {
        return GZIP;
      }
      if (mediaType.equals(OCI_NONDIST + "+zstd")) {
        return ZSTD;
      }
    }
    throw new OciFormatException("unsupported layer media type '" + mediaType + "'");
  }

  /**
   * Parses a compression name as used on command lines: {@code none} (or {@code uncompressed}),
   * {@code gzip}, {@code zstd}; case-insensitive.
   *
   * @throws IllegalArgumentException for any other name
   */
  public static Compression parse(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    switch (n) {
      case "none":
      case "uncompressed":
        return NONE;
      case "gzip":
        return GZIP;
      case "zstd":
        return ZSTD;
      default:
        throw new IllegalArgumentException("unknown compression '" + name + "' (expected none, gzip or zstd)");
    }
  }

  /** The short name: {@code none}, {@code gzip} or {@code zstd}. */
  public String id() {
    return id;
  }

  /** The OCI layer media type for this compression. */
  public String ociLayerMediaType() {
    return ociType;
  }

  /** The Docker schema 2 layer media type for this compression. */
  public String dockerLayerMediaType() {
    return dockerType;
  }

  /** The default level: gzip 6 (as {@code gzip} and Go's {@code compress/gzip}), zstd 3; 0 for none. */
  public int defaultLevel() {
    switch (this) {
      case GZIP:
        return 6;
      case ZSTD:
        return 3;
      default:
        return 0;
    }
  }

  /**
   * Wraps {@code in} to decompress it; {@link #NONE} returns it unchanged.
   *
   * @throws IOException if the stream header is invalid
   */
  public InputStream decompress(InputStream in) throws IOException {
    switch (this) {
      case GZIP:
        return new GZIPInputStream(in, BUFFER);
      case ZSTD:
        return new BufferedInputStream(new ZstdInputStreamNoFinalizer(in), BUFFER);
      default:
        return in;
    }
  }

  /** Wraps {@code out} to compress at the default level (see {@link #compress(OutputStream, int, int)}). */
  public OutputStream compress(OutputStream out) throws IOException {
    return compress(out, defaultLevel());
  }

  /**
   * Wraps {@code out} to compress at {@code level}; zstd uses one worker thread per available
   * processor (see {@link #compress(OutputStream, int, int)}).
   */
  public OutputStream compress(OutputStream out, int level) throws IOException {
    return compress(out, level, Runtime.getRuntime().availableProcessors());
  }

  /**
   * Wraps {@code out} to compress. Closing the returned stream finishes the compressed stream and
   * closes {@code out}; for {@link #NONE} the returned stream just passes bytes on.
   *
   * @param level gzip 0-9, zstd 1-22 (or negative "fast" levels down to -7); ignored for none
   * @param workers zstd worker threads: 0 compresses in the calling thread; 1 or more in
   *     background threads, with the same output for any number (not the same as with 0);
   *     ignored for gzip and none
   * @throws IllegalArgumentException if the level is out of range
   */
  public OutputStream compress(OutputStream out, int level, int workers) throws IOException {
    switch (this) {
      case GZIP:
        return new BufferedOutputStream(new ReproducibleGzipOutputStream(out, level), BUFFER);
      case ZSTD: {
        if (level > 22 || level < -7 || level == 0) {
          throw new IllegalArgumentException("zstd level must be 1-22 or -7..-1, got " + level);
        }
        ZstdOutputStreamNoFinalizer z = new ZstdOutputStreamNoFinalizer(out, level);
        try {
          z.setChecksum(true);
          if (workers > 0) {
            z.setWorkers(workers);
          }
        } catch (IOException | RuntimeException e) {
          z.close();
          throw e;
        }
        return new BufferedOutputStream(z, BUFFER);
      }
      default:
        return new FilterOutputStream(out) {
          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
          }
        };
    }
  }
}
