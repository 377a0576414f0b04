package dev.backoff4j.mock;

/**
 * One request as the mock saw it, for asserting on timing (did the client back off?) and order.
 *
 * @param epochMillis wall-clock arrival time
 * @param sinceStartNanos arrival on the server's monotonic clock, relative to server start; use
 *     differences of this to measure the gaps between a client's attempts
 * @param method HTTP method
 * @param path request path without the query
 * @param status the status decided for the answer; 0 when none was sent ({@code reset},
 *     {@code stall})
 * @param fault the injected fault's kind token ({@code none}, {@code 503}, {@code reset},
 *     {@code rate-limited}, ...)
 * @param requestId the {@code x-request-id} sent back
 */
public record RequestRecord(
    long epochMillis,
    long sinceStartNanos,
    String method,
    String path,
    int status,
    String fault,
    String requestId) {}
