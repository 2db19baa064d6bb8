package io.github.ostree4j.transport;

import java.io.IOException;
import java.io.InputStream;

/**
 * Opens a fresh stream over the same content each time it is called, so that an upload can be
 * retried from the start.
 */
@FunctionalInterface
public interface StreamSupplier {
  /**
   * Opens the content from its beginning; the caller closes the stream.
   *
   * @return a new stream
   * @throws IOException when the content cannot be opened
   */
  InputStream open() throws IOException;
}
