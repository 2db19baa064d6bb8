package io.github.ostree4j.transport;

/**
 * Receives {@link CopyEvent}s. Blobs are copied in parallel, so events arrive from several
 * threads; implementations must be thread-safe and quick.
 */
@FunctionalInterface
public interface CopyListener {

  /** A listener that ignores everything. */
  CopyListener NONE = e -> { };

  /**
   * Called for each event.
   *
   * @param event the event
   */
  void onEvent(CopyEvent event);
}
