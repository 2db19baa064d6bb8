package io.github.ostree4j.container;

import java.io.IOException;

/** An image that cannot be imported as it is: wrong labels, missing layers, a bad layer. */
public class InvalidContainerImageException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong, naming the layer or label
   */
  public InvalidContainerImageException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what is wrong
   * @param cause the underlying failure
   */
  public InvalidContainerImageException(String message, Throwable cause) {
    super(message, cause);
  }
}
