package io.github.ostree4j.oci;

import java.io.IOException;

/** No image with the requested tag or name exists in a layout or archive. */
public class ImageNotFoundException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the message names the tag and where it was looked for. */
  public ImageNotFoundException(String message) {
    super(message);
  }
}
