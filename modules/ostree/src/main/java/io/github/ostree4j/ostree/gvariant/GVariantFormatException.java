package io.github.ostree4j.ostree.gvariant;

import java.io.IOException;

/** Bytes that are not a valid (or not a normal-form) serialization of the expected GVariant type. */
public class GVariantFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message naming what is wrong. */
  public GVariantFormatException(String message) {
    super(message);
  }
}
