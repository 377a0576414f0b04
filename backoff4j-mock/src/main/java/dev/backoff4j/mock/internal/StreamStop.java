package dev.backoff4j.mock.internal;

/**
 * Where an answer stops short, if at all. Streams stop after {@code afterEvents} events, then either
 * close the connection (no failure) or send the failure as their last event and end cleanly; other
 * bodies are cut after half their bytes when the stop closes the connection.
 *
 * @param afterEvents events sent before stopping; -1 never stops
 * @param failure the in-band error to send, or null to close the connection
 */
record StreamStop(int afterEvents, StreamFailure failure) {

  /** The whole answer. */
  static final StreamStop NONE = new StreamStop(-1, null);

  /** Closes the connection after {@code events} events (half the bytes of a body that is not a stream). */
  static StreamStop cut(int events) {
    return new StreamStop(events, null);
  }

  /** Sends {@code failure} after {@code events} events, in place of the rest of the stream. */
  static StreamStop fail(int events, StreamFailure failure) {
    return new StreamStop(events, failure);
  }

  /** True when the connection is closed mid-answer. */
  boolean cutsConnection() {
    return afterEvents >= 0 && failure == null;
  }
}
