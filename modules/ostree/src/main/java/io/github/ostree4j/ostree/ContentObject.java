package io.github.ostree4j.ostree;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/** A content object opened for reading: its header and a stream of its payload. */
public final class ContentObject implements Closeable {

  private final Checksum checksum;
  private final FileHeader header;
  private final long size;
  private final InputStream payload;

  ContentObject(Checksum checksum, FileHeader header, long size, InputStream payload) {
    this.checksum = checksum;
    this.header = header;
    this.size = size;
    this.payload = payload;
  }

  /** The object's name. */
  public Checksum checksum() {
    return checksum;
  }

  /** Ownership, mode, symlink target and xattrs. */
  public FileHeader header() {
    return header;
  }

  /** Payload size in bytes (0 for symlinks). */
  public long size() {
    return size;
  }

  /** The payload (empty for symlinks). Reading past corruption throws {@link CorruptObjectException}. */
  public InputStream payload() {
    return payload;
  }

  @Override
  public void close() throws IOException {
    payload.close();
  }
}
