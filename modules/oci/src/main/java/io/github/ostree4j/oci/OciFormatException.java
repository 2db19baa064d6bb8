package io.github.ostree4j.oci;

import java.io.IOException;

/** A document, digest or layout that does not follow the OCI (or Docker) image format. */
public class OciFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the message names what was being read and what is wrong. */
  public OciFormatException(String message) {
    super(message);
  }

  /** Creates the exception with a cause. */
  public OciFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
