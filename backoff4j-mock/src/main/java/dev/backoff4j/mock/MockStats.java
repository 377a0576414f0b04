package dev.backoff4j.mock;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of what the mock has served since start or the last reset. Admin requests
 * ({@code /_mock/...}) are not counted.
 *
 * @param totalRequests API requests received
 * @param byStatus responses by HTTP status ({@code reset} and {@code stall} have none and are
 *     absent here)
 * @param byFault injected faults by kind token (e.g. {@code 503}, {@code reset}, {@code hint-ms},
 *     {@code outage}); normal answers are not counted
 * @param rateLimited requests rejected by the emulated rate limiter (also counted as 429 in
 *     {@code byStatus})
 * @param requests the most recent requests, oldest first, up to the scenario's request log
 *     capacity
 */
public record MockStats(
    long totalRequests,
    Map<Integer, Long> byStatus,
    Map<String, Long> byFault,
    long rateLimited,
    List<RequestRecord> requests) {

  /** Copies the collections. */
  public MockStats {
    byStatus = Map.copyOf(byStatus);
    byFault = Map.copyOf(byFault);
    requests = List.copyOf(requests);
  }

  /** Responses sent with {@code status}; 0 if none. */
  public long count(int status) {
    return byStatus.getOrDefault(status, 0L);
  }

  /** Faults of the kind named by {@code token} (e.g. {@code "reset"}, {@code "503"}); 0 if none. */
  public long faults(String token) {
    return byFault.getOrDefault(token, 0L);
  }
}
