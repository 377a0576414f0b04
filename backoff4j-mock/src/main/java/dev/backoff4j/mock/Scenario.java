package dev.backoff4j.mock;

import dev.backoff4j.openai.spi.GoDuration;
import dev.backoff4j.mock.internal.ScenarioJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Everything the mock server does, as one immutable, validated value: what it answers, how it
 * rate-limits, and which faults it injects. The Java {@link Builder}, a JSON scenario file
 * ({@link #fromJson(Path)}) and the CLI flags all produce this same model.
 *
 * <p>Defaults: echo the last user message, model {@code gpt-4o-mini}, 4 SSE chunks without gaps,
 * 8-dimensional embeddings, no API key required, {@link RateLimit#UNLIMITED}, no faults, no latency,
 * a request log of the last 1000 requests.
 */
public final class Scenario {
  private final Optional<String> reply;
  private final String model;
  private final List<String> models;
  private final Optional<String> apiKey;
  private final int streamChunks;
  private final Duration streamGap;
  private final int embeddingDimensions;
  private final RateLimit rateLimit;
  private final FaultScript script;
  private final FaultRates faultRates;
  private final Latency latency;
  private final List<OutageWindow> outages;
  private final OptionalLong seed;
  private final int requestLogCapacity;

  private Scenario(Builder b) {
    this.reply = b.reply;
    this.model = b.model;
    // The default model first, then the others once each; the builder is left as it was.
    List<String> listed = new ArrayList<>();
    listed.add(b.model);
    b.models.stream().filter(m -> !m.equals(b.model) && !listed.contains(m)).forEach(listed::add);
    this.models = List.copyOf(listed);
    this.apiKey = b.apiKey;
    this.streamChunks = b.streamChunks;
    this.streamGap = b.streamGap;
    this.embeddingDimensions = b.embeddingDimensions;
    this.rateLimit = b.rateLimit;
    this.script = b.script;
    this.faultRates = b.faultRates;
    this.latency = b.latency;
    this.outages = List.copyOf(b.outages);
    this.seed = b.seed;
    this.requestLogCapacity = b.requestLogCapacity;
  }

  /** The default scenario: a well-behaved echo server. */
  public static Scenario defaults() {
    return builder().build();
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder preset to this scenario, to derive a variant. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Reads a JSON scenario file; the format is described in the module README and by
   * {@link #parseJson(String)}.
   *
   * @throws IllegalArgumentException naming the file and the bad field
   * @throws UncheckedIOException if the file cannot be read
   */
  public static Scenario fromJson(Path file) {
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read scenario file " + file, e);
    }
    try {
      return parseJson(json);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("scenario file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Parses a JSON scenario. Every field is optional; unknown fields are rejected so typos surface:
   *
   * <pre>{@code
   * {"reply": "Hi!", "model": "gpt-4o-mini", "apiKey": "sk-test",
   *  "stream": {"chunks": 4, "gap": "20ms"}, "embeddingDimensions": 8,
   *  "rateLimit": {"rpm": 60, "tpm": 10000, "window": "60s"},
   *  "script": "hint-ms:200,503,200", "scriptWhenHeader": "x-test: retry",
   *  "faultRates": "500=0.1,reset=0.02", "latency": "20ms..80ms",
   *  "outages": [{"start": "10s", "length": "5s", "status": 503}],
   *  "seed": 42, "requestLog": 1000}
   * }</pre>
   *
   * {@code script} may also be an array of tokens and {@code faultRates} an object of token to rate;
   * {@code "reply": null} means echo.
   *
   * @throws IllegalArgumentException naming the bad field
   */
  public static Scenario parseJson(String json) {
    return ScenarioJson.parse(json);
  }

  /** The fixed reply, or empty to echo the last user message. */
  public Optional<String> reply() {
    return reply;
  }

  /** Model name used when a request names none, and listed first by {@code GET /v1/models}. */
  public String model() {
    return model;
  }

  /** Models listed by {@code GET /v1/models} (the default model first). */
  public List<String> models() {
    return models;
  }

  /** The bearer key every API request must carry, or empty to accept any (or none). */
  public Optional<String> apiKey() {
    return apiKey;
  }

  /** Content chunks in a streamed answer (before the final {@code finish_reason} chunk). */
  public int streamChunks() {
    return streamChunks;
  }

  /** Pause between SSE events. */
  public Duration streamGap() {
    return streamGap;
  }

  /** Length of each embedding vector unless the request sets {@code dimensions}. */
  public int embeddingDimensions() {
    return embeddingDimensions;
  }

  /** Request and token budgets per key. */
  public RateLimit rateLimit() {
    return rateLimit;
  }

  /** Faults for the next requests, in order. */
  public FaultScript script() {
    return script;
  }

  /** Random faults. */
  public FaultRates faultRates() {
    return faultRates;
  }

  /** Delay before each answer. */
  public Latency latency() {
    return latency;
  }

  /** Scheduled outages, relative to the scenario's installation. */
  public List<OutageWindow> outages() {
    return outages;
  }

  /** Seed for random faults and latencies; empty for a different run each time. */
  public OptionalLong seed() {
    return seed;
  }

  /** How many recent requests {@code GET /_mock/stats?requests=true} can list; 0 records none. */
  public int requestLogCapacity() {
    return requestLogCapacity;
  }

  @Override
  public String toString() {
    return "Scenario{reply=" + reply.map(r -> '"' + r + '"').orElse("<echo>")
        + ", model=" + model
        + ", apiKey=" + (apiKey.isPresent() ? "<set>" : "<any>")
        + ", streamChunks=" + streamChunks
        + ", streamGap=" + streamGap
        + ", rateLimit=" + rateLimit
        + ", script=" + script
        + ", faultRates=" + faultRates
        + ", latency=" + latency
        + ", outages=" + outages
        + '}';
  }

  /** Collects settings; {@link #build()} validates them together. Not thread-safe. */
  public static final class Builder {
    private Optional<String> reply = Optional.empty();
    private String model = "gpt-4o-mini";
    private List<String> models = new ArrayList<>(List.of("gpt-4o-mini", "text-embedding-3-small"));
    private Optional<String> apiKey = Optional.empty();
    private int streamChunks = 4;
    private Duration streamGap = Duration.ZERO;
    private int embeddingDimensions = 8;
    private RateLimit rateLimit = RateLimit.UNLIMITED;
    private FaultScript script = FaultScript.EMPTY;
    private FaultRates faultRates = FaultRates.NONE;
    private Latency latency = Latency.NONE;
    private List<OutageWindow> outages = new ArrayList<>();
    private OptionalLong seed = OptionalLong.empty();
    private int requestLogCapacity = 1000;

    private Builder() {}

    private Builder(Scenario s) {
      reply = s.reply;
      model = s.model;
      models = new ArrayList<>(s.models.subList(1, s.models.size())); // the default model stays in model
      apiKey = s.apiKey;
      streamChunks = s.streamChunks;
      streamGap = s.streamGap;
      embeddingDimensions = s.embeddingDimensions;
      rateLimit = s.rateLimit;
      script = s.script;
      faultRates = s.faultRates;
      latency = s.latency;
      outages = new ArrayList<>(s.outages);
      seed = s.seed;
      requestLogCapacity = s.requestLogCapacity;
    }

    /** Answers every chat completion with {@code text}. */
    public Builder reply(String text) {
      this.reply = Optional.of(Objects.requireNonNull(text, "reply"));
      return this;
    }

    /** Answers every chat completion with the last user message (the default). */
    public Builder echo() {
      this.reply = Optional.empty();
      return this;
    }

    /** Default model name; also added to the listed models if absent. */
    public Builder model(String model) {
      this.model = model;
      return this;
    }

    /** Models listed by {@code GET /v1/models}, besides the default model. */
    public Builder models(List<String> models) {
      this.models = new ArrayList<>(models);
      return this;
    }

    /** Requires {@code Authorization: Bearer <key>}; others get a 401. Null accepts any key. */
    public Builder apiKey(String key) {
      this.apiKey = Optional.ofNullable(key);
      return this;
    }

    /** Content chunks per streamed answer; at least 1. */
    public Builder streamChunks(int chunks) {
      this.streamChunks = chunks;
      return this;
    }

    /** Pause between SSE events; not negative. */
    public Builder streamGap(Duration gap) {
      this.streamGap = gap;
      return this;
    }

    /** Embedding length when the request sets no {@code dimensions}; 1..4096. */
    public Builder embeddingDimensions(int dimensions) {
      this.embeddingDimensions = dimensions;
      return this;
    }

    /** Request/token budgets per key. */
    public Builder rateLimit(RateLimit rateLimit) {
      this.rateLimit = rateLimit;
      return this;
    }

    /** Shorthand for {@code rateLimit(new RateLimit(rpm, tpm, window))}, keeping the window. */
    public Builder rateLimit(long rpm, long tpm) {
      return rateLimit(new RateLimit(rpm, tpm, rateLimit.window()));
    }

    /** Requests per window (RPM for the default 60 s window), keeping the token limit and window. */
    public Builder rpm(long requests) {
      return rateLimit(new RateLimit(requests, rateLimit.tokens(), rateLimit.window()));
    }

    /** Tokens per window (TPM for the default 60 s window), keeping the request limit and window. */
    public Builder tpm(long tokens) {
      return rateLimit(new RateLimit(rateLimit.requests(), tokens, rateLimit.window()));
    }

    /** Changes the rate-limit window, keeping the limits. */
    public Builder window(Duration window) {
      return rateLimit(new RateLimit(rateLimit.requests(), rateLimit.tokens(), window));
    }

    /** Parses the window, e.g. {@code 10s}. */
    public Builder window(String window) {
      return window(GoDuration.require("window", window));
    }

    /** Scripted faults. */
    public Builder script(FaultScript script) {
      this.script = script;
      return this;
    }

    /** Scripted faults from tokens, e.g. {@code 429,503,200}; see {@link FaultScript#parse}. */
    public Builder script(String tokens) {
      return script(FaultScript.parse(tokens));
    }

    /** Scripted faults. */
    public Builder script(Fault... faults) {
      return script(FaultScript.of(faults));
    }

    /** Random faults. */
    public Builder faultRates(FaultRates rates) {
      this.faultRates = rates;
      return this;
    }

    /** Random faults from {@code TOKEN=RATE,...}; see {@link FaultRates#parse}. */
    public Builder faultRates(String spec) {
      return faultRates(FaultRates.parse(spec));
    }

    /** Delay before each answer. */
    public Builder latency(Latency latency) {
      this.latency = latency;
      return this;
    }

    /** Fixed delay before each answer. */
    public Builder latency(Duration latency) {
      return latency(Latency.fixed(latency));
    }

    /** Delay from text: {@code 200ms}, {@code 100ms..300ms} or {@code exp:200ms}. */
    public Builder latency(String latency) {
      return latency(Latency.parse(latency));
    }

    /** Adds a scheduled outage. */
    public Builder outage(OutageWindow outage) {
      this.outages.add(Objects.requireNonNull(outage, "outage"));
      return this;
    }

    /** Adds a 503 outage from {@code start} (after installation) lasting {@code length}. */
    public Builder outage(Duration start, Duration length) {
      return outage(OutageWindow.of(start, length));
    }

    /** Fixes the random sequence for reproducible random faults and latencies. */
    public Builder seed(long seed) {
      this.seed = OptionalLong.of(seed);
      return this;
    }

    /** Recent requests kept for {@code GET /_mock/stats?requests=true}; 0..1,000,000. */
    public Builder requestLogCapacity(int capacity) {
      this.requestLogCapacity = capacity;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException naming the first invalid setting
     */
    public Scenario build() {
      require(model != null && !model.isBlank(), "model must not be blank");
      require(models.stream().allMatch(m -> m != null && !m.isBlank()), "models must not contain blank names");
      require(apiKey.map(k -> !k.isBlank()).orElse(true), "apiKey must not be blank");
      require(streamChunks >= 1 && streamChunks <= 10_000, "streamChunks must be 1..10000, was " + streamChunks);
      Objects.requireNonNull(streamGap, "streamGap");
      require(!streamGap.isNegative(), "streamGap must not be negative, was " + streamGap);
      require(
          embeddingDimensions >= 1 && embeddingDimensions <= 4096,
          "embeddingDimensions must be 1..4096, was " + embeddingDimensions);
      Objects.requireNonNull(rateLimit, "rateLimit");
      Objects.requireNonNull(script, "script");
      Objects.requireNonNull(faultRates, "faultRates");
      Objects.requireNonNull(latency, "latency");
      require(
          requestLogCapacity >= 0 && requestLogCapacity <= 1_000_000,
          "requestLogCapacity must be 0..1000000, was " + requestLogCapacity);
      return new Scenario(this);
    }

    private static void require(boolean condition, String message) {
      if (!condition) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
