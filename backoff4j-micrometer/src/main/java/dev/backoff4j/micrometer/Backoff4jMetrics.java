package dev.backoff4j.micrometer;

import dev.backoff4j.budget.RetryBudget;
import dev.backoff4j.openai.OpenAiPipeline;
import dev.backoff4j.openai.gate.OutageGate;
import dev.backoff4j.openai.http.CallListener;
import dev.backoff4j.openai.http.Request;
import dev.backoff4j.openai.pacing.Paced;
import dev.backoff4j.openai.pacing.Pacer;
import dev.backoff4j.openai.pacing.PacerListener;
import dev.backoff4j.openai.pacing.SharedStoreDown;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.ObservationRegistry;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * backoff4j's events as Micrometer meters, and one {@link io.micrometer.observation.Observation} per
 * call (so Micrometer Tracing or OpenTelemetry show a span per call, its attempts and retries as span
 * events). Works without Spring: hand it to any pipeline front door as its call listener factory.
 *
 * <pre>{@code
 * Backoff4jMetrics metrics = Backoff4jMetrics.builder(meterRegistry)
 *     .observationRegistry(observationRegistry)        // optional: spans
 *     .build();
 * Pacer pacer = Pacer.builder().addListener(metrics.pacerListener()).build();  // pacer waits
 * metrics.bindPacer(pacer);                             // learned limits as gauges
 * OutageGate gate = OutageGate.defaults().newGate(TimeSource.system());
 * metrics.bindGate(gate);                               // the outage gate's state as gauges
 * OpenAIClient client = Backoff4jOpenAI.builder().pacer(pacer).sharedOutageGate(gate)
 *     .listenerFactory(metrics).build();
 * }</pre>
 *
 * With backoff4j's own client, {@code metrics.bindPipeline(client.pipeline())} binds its pacer, its
 * outage gate and its retry budget at once.
 *
 * <table>
 *   <caption>Meters (plus the tags given to {@link Builder#tags})</caption>
 *   <tr><th>Name</th><th>Type</th><th>Tags</th><th>What</th></tr>
 *   <tr><td>{@value #CALLS}</td><td>timer</td><td>{@code operation}, {@code outcome} (success|failure),
 *       {@code reason} (none, or the {@link dev.backoff4j.retry.GiveUpReason} in lower case:
 *       not_retryable, retries_exhausted, deadline_exceeded, ...), {@code exception} (none, or the
 *       last failure's simple class name)</td><td>each call, from its first attempt to its outcome
 *       (a stream: to its first event)</td></tr>
 *   <tr><td>{@value #ATTEMPTS}</td><td>counter</td><td>{@code operation}, {@code status} (the HTTP
 *       status, {@code io} for a network failure, {@code timeout} (the attempt's, or the deadline
 *       passing while it waited at the pacer or the outage gate), {@code gate_closed} (refused unsent by
 *       a closed gate set to {@code WhenClosed.FAIL}), {@code other})</td><td>each attempt that ended,
 *       retries included, as the retry policy counts them ({@code RetryListener.onAttemptFinished});
 *       a 429 rate limit is counted here though it uses up none of the call's attempts. A probe that
 *       failed and went back to waiting at the outage gate is not an attempt (its attempt is still
 *       waiting): it is counted under {@value #GATE_PROBES}, so the requests sent are these plus the
 *       failed probes</td></tr>
 *   <tr><td>{@value #WAITS}</td><td>timer</td><td>{@code source}: {@code backoff} (computed),
 *       {@code hint} (the server's {@code Retry-After}, {@code retry-after-ms} and kin; a repeated
 *       rate limit that waits the hint plus a growing backoff, delay source
 *       {@code retry-after-ms+backoff}, is a {@code hint} wait too: the server set its floor),
 *       {@code budget} (a retry in line for the retry budget, {@code onBudgetExhausted(WAIT)}: the
 *       longest it may wait; a deposit can pay it sooner), {@code pacer}, {@code gate} (an attempt held
 *       at the closed outage gate, failed probes included)</td><td>each wait: before a retry as
 *       scheduled, held by the pacer as scheduled ({@link #pacerListener()}), at the gate as it
 *       lasted (recorded when it ends, also when the deadline or a cancellation ends it)</td></tr>
 *   <tr><td>{@value #PACER_LIMIT}, {@value #PACER_REMAINING}</td><td>gauges</td><td>{@code kind}
 *       (requests|tokens), {@code model} (the rate-limit scope; {@code none} for requests naming no
 *       model)</td><td>the limit the pacer learned (NaN while unknown) and what is left of it now
 *       (negative while requests queue); {@link #bindPacer}</td></tr>
 *   <tr><td>{@value #BUDGET_TOKENS}</td><td>gauge</td><td></td><td>retries the retry budget allows
 *       now; {@link #bindBudget}</td></tr>
 *   <tr><td>{@value #GATE_STATE}</td><td>gauge</td><td></td><td>the outage gate's state: {@code 0}
 *       open, {@code 1} recovering (slow start after an outage), {@code 2} closed (the endpoint is
 *       failing; requests wait while one probe at a time tries it); {@link #bindGate}</td></tr>
 *   <tr><td>{@value #GATE_WAITING}</td><td>gauge</td><td></td><td>requests waiting at the gate
 *       now</td></tr>
 *   <tr><td>{@value #GATE_CLOSINGS}</td><td>counter</td><td></td><td>how often the gate closed</td></tr>
 *   <tr><td>{@value #GATE_PROBES}</td><td>counter</td><td>{@code outcome} (success|failure)</td>
 *       <td>probes through the closed gate that the server answered (success) or that failed
 *       transiently; a probe abandoned before its answer counts in neither</td></tr>
 * </table>
 *
 * <p>Tag values are low-cardinality by construction: {@code operation} is the API operation named by
 * the URL path ({@code chat.completions}, {@code embeddings}, {@code responses}, ..., {@code other}),
 * never the path itself. The observation is named {@value #OBSERVATION}, not like a meter: a
 * registry whose observation handler also makes timers (Spring Boot's does) would otherwise count each
 * call twice under one name with two tag sets.
 *
 * <p>Thread-safe; one instance serves any number of clients and calls. Listeners never throw into
 * a call.
 */
public final class Backoff4jMetrics implements CallListener.Factory {

  /** Timer: one per call. */
  public static final String CALLS = "backoff4j.calls";
  /** Counter: one per attempt. */
  public static final String ATTEMPTS = "backoff4j.attempts";
  /** Timer: one per wait. */
  public static final String WAITS = "backoff4j.waits";
  /** Gauge: the limit the pacer learned per scope and kind. */
  public static final String PACER_LIMIT = "backoff4j.pacer.limit";
  /** Gauge: what is left of that limit now. */
  public static final String PACER_REMAINING = "backoff4j.pacer.remaining";
  /** Counter: outages of the pacer's shared store (Redis), each counted once, when this process began pacing alone. */
  public static final String PACER_SHARED_STORE_DOWN = "backoff4j.pacer.shared.store.down";
  /** Gauge: retries the retry budget allows now. */
  public static final String BUDGET_TOKENS = "backoff4j.budget.tokens";
  /** Gauge: the outage gate's state, 0 open, 1 recovering, 2 closed. */
  public static final String GATE_STATE = "backoff4j.gate.state";
  /** Gauge: requests waiting at the outage gate. */
  public static final String GATE_WAITING = "backoff4j.gate.waiting";
  /** Counter: closings of the outage gate. */
  public static final String GATE_CLOSINGS = "backoff4j.gate.closings";
  /** Counter: probes through the closed outage gate, by outcome. */
  public static final String GATE_PROBES = "backoff4j.gate.probes";
  /** The name of each call's observation. */
  public static final String OBSERVATION = "backoff4j.call";

  private final MeterRegistry registry;
  private final ObservationRegistry observations;
  private final CallObservationConvention convention;
  private final Tags tags;
  private final Meter.MeterProvider<Timer> calls;
  private final Meter.MeterProvider<Counter> attempts;
  private final Meter.MeterProvider<Timer> waits;
  private final List<PacerGauges> pacers = new CopyOnWriteArrayList<>();

  private Backoff4jMetrics(Builder builder) {
    this.registry = builder.registry;
    this.observations = builder.observations;
    this.convention = builder.convention;
    this.tags = builder.tags;
    this.calls = Timer.builder(CALLS).description("backoff4j calls, from the first attempt to the outcome")
        .tags(tags).withRegistry(registry);
    this.attempts = Counter.builder(ATTEMPTS).description("backoff4j attempts by status").tags(tags)
        .withRegistry(registry);
    this.waits = Timer.builder(WAITS).description("backoff4j waits before an attempt, by source").tags(tags)
        .withRegistry(registry);
  }

  /** Starts settings for meters in {@code registry}; observations are off until given a registry. */
  public static Builder builder(MeterRegistry registry) {
    return new Builder(registry);
  }

  /** The listener of one call: give this object to {@code listenerFactory(...)} of a client builder. */
  @Override
  public CallListener create(Request request) {
    return new MeteredCall(this, request);
  }

  /**
   * A listener for {@code Pacer.builder().addListener(...)}: each wait the pacer imposes is timed
   * under {@value #WAITS} with {@code source=pacer}; each outage of its shared store (Redis) is
   * counted under {@value #PACER_SHARED_STORE_DOWN}.
   */
  public PacerListener pacerListener() {
    return new PacerListener() {
      @Override
      public void onPaced(Paced event) {
        recordWait("pacer", event.delay());
      }

      @Override
      public void onSharedStoreDown(SharedStoreDown event) {
        Counter.builder(PACER_SHARED_STORE_DOWN)
            .description("outages of the pacer's shared store: this process paced alone on its share of the limit")
            .tags(tags).register(registry).increment();
      }

      @Override
      public String toString() {
        return "Backoff4jMetrics.pacerListener";
      }
    };
  }

  /**
   * Publishes what {@code pacer} learned as the {@value #PACER_LIMIT} and {@value #PACER_REMAINING}
   * gauges, one pair per rate-limit scope and kind. A scope that appears later (a new model) gets its
   * gauges when the next call through a client using these metrics ends. The registry keeps the
   * pacer reachable.
   */
  public Backoff4jMetrics bindPacer(Pacer pacer) {
    PacerGauges gauges = new PacerGauges(Objects.requireNonNull(pacer, "pacer"), registry, tags);
    pacers.add(gauges);
    gauges.refresh();
    return this;
  }

  /** Publishes the retries {@code budget} allows now as the {@value #BUDGET_TOKENS} gauge. */
  public Backoff4jMetrics bindBudget(RetryBudget budget) {
    Objects.requireNonNull(budget, "budget");
    Gauge.builder(BUDGET_TOKENS, budget, RetryBudget::available).description("retries the retry budget allows now")
        .tags(tags).strongReference(true).register(registry);
    return this;
  }

  /**
   * Publishes {@code gate}'s state as the {@value #GATE_STATE} and {@value #GATE_WAITING} gauges and
   * the {@value #GATE_CLOSINGS} and {@value #GATE_PROBES} counters (read from the gate's own totals at
   * each scrape). One gate per instance: a second gate bound here finds the meters taken and is
   * ignored by the registry; give each gate an instance with its own {@link Builder#tag tag}. The
   * registry keeps the gate reachable. A pipeline's gate is {@code pipeline.outageGate()}.
   */
  public Backoff4jMetrics bindGate(OutageGate gate) {
    GateMeters.bind(Objects.requireNonNull(gate, "gate"), registry, tags);
    return this;
  }

  /**
   * Binds what {@code pipeline} holds: its outage gate ({@link #bindGate}), its pacer
   * ({@link #bindPacer}) and its retry budget ({@link #bindBudget}), each when it has one. For
   * backoff4j's own client: {@code metrics.bindPipeline(client.pipeline())}. The calls themselves are
   * metered by giving this object to the client as its listener factory.
   */
  public Backoff4jMetrics bindPipeline(OpenAiPipeline pipeline) {
    Objects.requireNonNull(pipeline, "pipeline");
    pipeline.outageGate().ifPresent(this::bindGate);
    pipeline.pacer().ifPresent(this::bindPacer);
    pipeline.retryPolicy().budget().ifPresent(this::bindBudget);
    return this;
  }

  // ---- for the per-call listener ----

  ObservationRegistry observations() {
    return observations;
  }

  CallObservationConvention convention() {
    return convention;
  }

  void call(String operation, String outcome, String reason, String exception, java.time.Duration elapsed) {
    calls.withTags("operation", operation, "outcome", outcome, "reason", reason, "exception", exception)
        .record(elapsed);
  }

  void attempt(String operation, String status) {
    attempts.withTags("operation", operation, "status", status).increment();
  }

  void recordWait(String source, java.time.Duration delay) {
    waits.withTags("source", source).record(delay);
  }

  /** New scopes appear with new models; a call's end is a cheap moment to look. */
  void refreshPacers() {
    for (PacerGauges gauges : pacers) {
      gauges.refresh();
    }
  }

  @Override
  public String toString() {
    return "Backoff4jMetrics[" + registry.getClass().getSimpleName() + ", tags=" + tags + ", observations="
        + (observations.isNoop() ? "off" : "on") + "]";
  }

  /** Settings of {@link Backoff4jMetrics}. Not thread-safe. */
  public static final class Builder {
    private final MeterRegistry registry;
    private ObservationRegistry observations = ObservationRegistry.NOOP;
    private CallObservationConvention convention;
    private Tags tags = Tags.empty();

    private Builder(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * Where each call's {@value #OBSERVATION} observation goes (tracing, logging handlers);
     * {@link ObservationRegistry#NOOP} (the default) for none.
     */
    public Builder observationRegistry(ObservationRegistry observations) {
      this.observations = Objects.requireNonNull(observations, "observations");
      return this;
    }

    /**
     * Replaces {@link DefaultCallObservationConvention} (name, span name, key values); the
     * observation registry's own global conventions still win over both. {@code null} for the
     * default.
     */
    public Builder observationConvention(CallObservationConvention convention) {
      this.convention = convention;
      return this;
    }

    /**
     * Tags added to every meter, e.g. {@code client=chat} to tell clients apart. Keep the values
     * low-cardinality.
     */
    public Builder tags(Iterable<Tag> tags) {
      this.tags = this.tags.and(Objects.requireNonNull(tags, "tags"));
      return this;
    }

    /** One tag added to every meter; see {@link #tags}. */
    public Builder tag(String key, String value) {
      this.tags = this.tags.and(key, value);
      return this;
    }

    public Backoff4jMetrics build() {
      return new Backoff4jMetrics(this);
    }
  }
}
