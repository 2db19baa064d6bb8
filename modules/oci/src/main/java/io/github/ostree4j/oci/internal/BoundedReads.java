package io.github.ostree4j.oci.internal;

import io.github.ostree4j.oci.OciFormatException;
import java.io.IOException;
import java.io.InputStream;

/** Reading small documents (JSON) whole, with an upper bound so that hostile input cannot exhaust memory. */
public final class BoundedReads {

  private BoundedReads() {}

  /**
   * Reads {@code in} to the end.
   *
   * @param what names the document in the error message
   * @throws OciFormatException if it is longer than {@code maxSize} bytes
   */
  public static byte[] readAll(InputStream in, int maxSize, String what) throws IOException {
    byte[] data = in.readNBytes(maxSize);
    if (data.length == maxSize && in.read() != -1) {
      throw new OciFormatException(what + " is larger than the limit of " + maxSize + " bytes");
    }
    return data;
  }
}
