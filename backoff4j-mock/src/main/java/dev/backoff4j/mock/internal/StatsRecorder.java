package dev.backoff4j.mock.internal;

import dev.backoff4j.mock.MockStats;
import dev.backoff4j.mock.RequestRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters cheap enough for the hot path (LongAdder per key) plus a bounded ring buffer of recent
 * requests. One instance per reset: resetting swaps in a fresh recorder.
 */
public final class StatsRecorder {
  private final LongAdder total = new LongAdder();
  private final LongAdder rateLimited = new LongAdder();
  private final ConcurrentHashMap<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, LongAdder> byFault = new ConcurrentHashMap<>();
  private final AtomicReferenceArray<RequestRecord> log;
  private final AtomicLong logged = new AtomicLong();

  public StatsRecorder(int logCapacity) {
    this.log = new AtomicReferenceArray<>(logCapacity);
  }

  /** Counts one API request; {@code faultToken} null for a normal answer, status 0 for none. */
  public void record(RequestRecord request, String faultToken, boolean wasRateLimited) {
    total.increment();
    if (request.status() != 0) {
      byStatus.computeIfAbsent(request.status(), s -> new LongAdder()).increment();
    }
    if (faultToken != null) {
      byFault.computeIfAbsent(faultToken, f -> new LongAdder()).increment();
    }
    if (wasRateLimited) {
      rateLimited.increment();
    }
    int capacity = log.length();
    if (capacity > 0) {
      long slot = logged.getAndIncrement();
      log.set((int) (slot % capacity), request);
    }
  }

  /** The counters alone, without copying the request log: what a stats poll needs. */
  public MockStats counts() {
    return counts(List.of());
  }

  /** The counters and a copy of the request log, oldest first (counters may move while it is taken). */
  public MockStats snapshot() {
    List<RequestRecord> recent = new ArrayList<>();
    int capacity = log.length();
    long end = logged.get();
    for (long i = Math.max(0, end - capacity); i < end; i++) {
      RequestRecord r = log.get((int) (i % capacity));
      if (r != null) {
        recent.add(r);
      }
    }
    recent.sort(java.util.Comparator.comparingLong(RequestRecord::sinceStartNanos));
    return counts(recent);
  }

  private MockStats counts(List<RequestRecord> requests) {
    Map<Integer, Long> statuses = new HashMap<>();
    byStatus.forEach((k, v) -> statuses.put(k, v.sum()));
    Map<String, Long> faults = new HashMap<>();
    byFault.forEach((k, v) -> faults.put(k, v.sum()));
    return new MockStats(total.sum(), statuses, faults, rateLimited.sum(), requests);
  }
}
