package io.github.ostree4j.container;

import java.io.IOException;

/** A container layer that cannot be imported: an unsafe path, a dangling hard link, and the like. */
public class InvalidLayerException extends IOException {

  private static final long serialVersionUID = 1L;

  /** An error with a message that names the offending entry. */
  public InvalidLayerException(String message) {
    super(message);
  }
}
