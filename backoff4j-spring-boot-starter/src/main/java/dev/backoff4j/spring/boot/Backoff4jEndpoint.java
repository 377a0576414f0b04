package dev.backoff4j.spring.boot;

import dev.backoff4j.budget.RetryBudget;
import dev.backoff4j.openai.gate.GateStats;
import dev.backoff4j.openai.gate.OutageGate;
import dev.backoff4j.openai.pacing.Pacer;
import dev.backoff4j.openai.pacing.PacerStats;
import dev.backoff4j.retry.RetryPolicy;
import dev.backoff4j.time.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code GET /actuator/backoff4j}: what the bridged clients share, as of now.
 *
 * <ul>
 *   <li>{@code retry}: the policy in force (attempts, delays, per-attempt limit, deadline, the bound
 *       on rate-limit retries: a number, or {@code deadline} when the deadline alone bounds them);
 *   <li>{@code clients}: each bridged client and the limit of its attempts (for Spring AI's models,
 *       its {@code timeout} unless {@code backoff4j.openai.attempt-timeout} is set);
 *   <li>{@code budget}: retries the shared budget allows now, and its settings ({@code shared: false}
 *       when each client has a budget of its own, as with a policy bean that has only budget settings),
 *       {@code whenExhausted} ({@code wait}: a retry the budget cannot pay waits in line for it;
 *       {@code fail}: it fails at once);
 *   <li>{@code gate}: the outage gate every client waits at: {@code state} ({@code open},
 *       {@code closed}, {@code recovering}), {@code waiting} (requests waiting now), {@code since}
 *       (when the endpoint started failing, while not open), the failure run and the last failure, the
 *       totals (closings, probes sent, failed, answered; its settings are under
 *       {@code /actuator/configprops});
 *   <li>{@code pacer}: what it has done (reservations, paced, waits, 429 pauses) and, per rate-limit
 *       scope (model), the limits learned for requests and tokens: {@code limit}, {@code perMinute},
 *       {@code remaining} and {@code queued} (reserved beyond what is left: the requests, or tokens,
 *       the pacer is holding back), and the time left in a 429 pause.
 * </ul>
 *
 * Durations are written as people write them ({@code 500ms}, {@code 1m30s}); nothing secret is shown.
 * Expose it with {@code management.endpoints.web.exposure.include=backoff4j}.
 */
@Endpoint(id = "backoff4j")
public class Backoff4jEndpoint {

  private final Backoff4jClientFactory clients;

  public Backoff4jEndpoint(Backoff4jClientFactory clients) {
    this.clients = clients;
  }

  @ReadOperation
  public Map<String, Object> state() {
    Map<String, Object> state = new LinkedHashMap<>();
    RetryPolicy<Object> policy = clients.retryPolicy();
    state.put("retry", retry(policy));
    state.put("budget", budget(policy));
    state.put("gate", gate(clients.outageGate()));
    state.put("pacer", pacer(clients.pacer()));
    state.put("clients", clients());
    return state;
  }

  /** The bridged clients and the limit of each of their attempts (Spring AI's models: its timeout, unless backoff4j's is set). */
  private List<Map<String, Object>> clients() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Backoff4jClientFactory.Client client : clients.clients()) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("name", client.name());
      one.put("async", client.async());
      one.put("attemptTimeout", client.attemptTimeout().map(Backoff4jEndpoint::format).orElse("none"));
      out.add(one);
    }
    return out;
  }

  private static Map<String, Object> retry(RetryPolicy<Object> policy) {
    Map<String, Object> retry = new LinkedHashMap<>();
    retry.put("maxAttempts", policy.maxAttempts());
    retry.put("initialDelay", format(policy.initialDelay()));
    retry.put("maxDelay", format(policy.maxDelay()));
    retry.put("maxServerDelay", format(policy.maxServerDelay()));
    retry.put("attemptTimeout", policy.attemptTimeout().map(Backoff4jEndpoint::format).orElse("none")); // clients may set their own
    retry.put("deadline", policy.maxElapsed().map(Backoff4jEndpoint::format).orElse("none"));
    retry.put("maxRateLimitRetries", policy.maxRateLimitRetries().<Object>map(n -> n)
        .orElse(policy.maxElapsed().isPresent() ? "deadline" : "maxAttempts"));
    return retry;
  }

  private static Map<String, Object> budget(RetryPolicy<Object> policy) {
    Map<String, Object> budget = new LinkedHashMap<>();
    Optional<RetryBudget> shared = policy.budgetSettings().isPresent() ? Optional.empty() : policy.budget();
    budget.put("enabled", policy.budget().isPresent());
    if (policy.budget().isEmpty()) {
      return budget;
    }
    budget.put("shared", shared.isPresent());
    budget.put("whenExhausted", policy.onBudgetExhausted().name().toLowerCase(Locale.ROOT));
    shared.ifPresent(b -> budget.put("available", b.available()));
    RetryBudget.Settings settings = shared.map(RetryBudget::asSettings).orElseGet(() -> policy.budgetSettings().get());
    budget.put("ratio", settings.ratio());
    budget.put("successRatio", settings.successRatio());
    budget.put("minRetriesPerSecond", settings.minRetriesPerSecond());
    budget.put("maxBalance", settings.maxBalance());
    return budget;
  }

  private static Map<String, Object> gate(Optional<OutageGate> gate) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("enabled", gate.isPresent());
    if (gate.isEmpty()) {
      return out;
    }
    GateStats stats = gate.get().stats();
    out.put("state", stats.state().name().toLowerCase(Locale.ROOT));
    out.put("waiting", stats.waiting());
    out.put("since", stats.since().map(Object::toString).orElse("none"));
    out.put("consecutiveFailures", stats.consecutiveFailures());
    out.put("lastFailure", stats.lastFailure().orElse("none"));
    if (stats.window() > 0) {
      out.put("window", stats.window());
    }
    out.put("closings", stats.closings());
    out.put("probes", stats.probes());
    out.put("failedProbes", stats.failedProbes());
    out.put("succeededProbes", stats.succeededProbes());
    return out;
  }

  private static Map<String, Object> pacer(Optional<Pacer> pacer) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("enabled", pacer.isPresent());
    if (pacer.isEmpty()) {
      return out;
    }
    PacerStats stats = pacer.get().stats();
    out.put("reservations", stats.reservations());
    out.put("paced", stats.paced());
    out.put("totalWait", format(stats.totalWait()));
    out.put("longestWait", format(stats.longestWait()));
    out.put("pauses", stats.pauses());
    List<Map<String, Object>> scopes = new ArrayList<>();
    for (PacerStats.Scope scope : stats.scopes()) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("model", scope.model());
      one.put("requests", limit(scope.requests()));
      one.put("tokens", limit(scope.tokens()));
      one.put("pausedFor", format(scope.pausedFor()));
      one.put("assumedCompletionTokens", scope.assumedCompletionTokens());
      scopes.add(one);
    }
    out.put("scopes", scopes);
    return out;
  }

  private static Map<String, Object> limit(PacerStats.Limit limit) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("known", limit.known());
    out.put("fromHeaders", limit.fromHeaders());
    if (limit.known()) {
      out.put("limit", limit.capacity());
      out.put("perMinute", limit.perMinute());
      out.put("remaining", Math.floor(limit.available()));
      out.put("queued", (long) Math.max(0, Math.ceil(-limit.available())));
    }
    return out;
  }

  private static String format(Duration duration) {
    return Durations.format(duration);
  }
}
