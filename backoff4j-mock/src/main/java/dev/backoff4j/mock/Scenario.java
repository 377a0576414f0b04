package dev.backoff4j.mock;

import dev.backoff4j.openai.spi.GoDuration;
import dev.backoff4j.mock.internal.ScenarioJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
 * ({@link #fromJson(Path)}) and the {@code backoff4j mock} flags all produce this same model.
 * Answers apply to chat completions and Responses alike: the reply, the stream's chunks and gap.
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
   * @throws UncheckedIOException naming the file and why it cannot be read (missing, a directory,
   *     not readable, not UTF-8)
   */
  public static Scenario fromJson(Path file) {
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read scenario file " + file + ": " + whyUnreadable(e), e);
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
    Builder builder = builder();
    ScenarioJson.read(json, new FileSettings(builder));
    return builder.build();
  }

  private static String whyUnreadable(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof CharacterCodingException) {
      return "not UTF-8 text";
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
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

  /**
   * Text pieces of a streamed answer: chat content chunks (before the {@code finish_reason} chunk),
   * or Responses {@code response.output_text.delta} events.
   */
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

  /**
   * Collects settings; each setter rejects an invalid value with an {@link IllegalArgumentException}
   * naming the setting. Not thread-safe.
   */
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

    /** Answers every chat completion and response with {@code text}. */
    public Builder reply(String text) {
      this.reply = Optional.of(Objects.requireNonNull(text, "reply"));
      return this;
    }

    /** Answers every chat completion and response with the last user message (the default). */
    public Builder echo() {
      this.reply = Optional.empty();
      return this;
    }

    /** Default model name, not blank; also added to the listed models if absent. */
    public Builder model(String model) {
      require(model != null && !model.isBlank(), "model must not be blank");
      this.model = model;
      return this;
    }

    /** Models listed by {@code GET /v1/models}, besides the default model; no blank names. */
    public Builder models(List<String> models) {
      require(models.stream().allMatch(m -> m != null && !m.isBlank()), "models must not contain blank names");
      this.models = new ArrayList<>(models);
      return this;
    }

    /**
     * Requires {@code Authorization: Bearer <key>}; others get a 401. Null accepts any key; a blank
     * key is rejected.
     */
    public Builder apiKey(String key) {
      require(key == null || !key.isBlank(), "apiKey must not be blank");
      this.apiKey = Optional.ofNullable(key);
      return this;
    }

    /** Text pieces per streamed answer (chat chunks, Responses text deltas); 1..10000. */
    public Builder streamChunks(int chunks) {
      require(chunks >= 1 && chunks <= 10_000, "streamChunks must be 1..10000, was " + chunks);
      this.streamChunks = chunks;
      return this;
    }

    /** Pause between SSE events; not negative. */
    public Builder streamGap(Duration gap) {
      Objects.requireNonNull(gap, "streamGap");
      require(!gap.isNegative(), "streamGap must not be negative, was " + gap);
      this.streamGap = gap;
      return this;
    }

    /** Embedding length when the request sets no {@code dimensions}; 1..4096. */
    public Builder embeddingDimensions(int dimensions) {
      require(dimensions >= 1 && dimensions <= 4096, "embeddingDimensions must be 1..4096, was " + dimensions);
      this.embeddingDimensions = dimensions;
      return this;
    }

    /** Request/token budgets per key. */
    public Builder rateLimit(RateLimit rateLimit) {
      this.rateLimit = Objects.requireNonNull(rateLimit, "rateLimit");
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
      this.script = Objects.requireNonNull(script, "script");
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
      this.faultRates = Objects.requireNonNull(rates, "faultRates");
      return this;
    }

    /** Random faults from {@code TOKEN=RATE,...}; see {@link FaultRates#parse}. */
    public Builder faultRates(String spec) {
      return faultRates(FaultRates.parse(spec));
    }

    /** Delay before each answer. */
    public Builder latency(Latency latency) {
      this.latency = Objects.requireNonNull(latency, "latency");
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
      require(capacity >= 0 && capacity <= 1_000_000, "requestLogCapacity must be 0..1000000, was " + capacity);
      this.requestLogCapacity = capacity;
      return this;
    }

    /**
     * Builds the scenario. Every setting was checked by its setter, and no two settings can
     * contradict each other, so this cannot fail.
     */
    public Scenario build() {
      return new Scenario(this);
    }

    private static void require(boolean condition, String message) {
      if (!condition) {
        throw new IllegalArgumentException(message);
      }
    }
  }

  /** Hands a scenario file's fields to a builder: the reader's sink, so the reader needs no Scenario. */
  private static final class FileSettings implements ScenarioJson.Settings {
    private final Builder builder;

    FileSettings(Builder builder) {
      this.builder = builder;
    }

    @Override
    public void reply(String text) {
      builder.reply(text);
    }

    @Override
    public void echo() {
      builder.echo();
    }

    @Override
    public void model(String model) {
      builder.model(model);
    }

    @Override
    public void models(List<String> models) {
      builder.models(models);
    }

    @Override
    public void apiKey(String key) {
      builder.apiKey(key);
    }

    @Override
    public void streamChunks(int chunks) {
      builder.streamChunks(chunks);
    }

    @Override
    public void streamGap(Duration gap) {
      builder.streamGap(gap);
    }

    @Override
    public void embeddingDimensions(int dimensions) {
      builder.embeddingDimensions(dimensions);
    }

    @Override
    public void rateLimit(RateLimit rateLimit) {
      builder.rateLimit(rateLimit);
    }

    @Override
    public void script(FaultScript script) {
      builder.script(script);
    }

    @Override
    public void faultRates(FaultRates rates) {
      builder.faultRates(rates);
    }

    @Override
    public void latency(Latency latency) {
      builder.latency(latency);
    }

    @Override
    public void outage(OutageWindow outage) {
      builder.outage(outage);
    }

    @Override
    public void seed(long seed) {
      builder.seed(seed);
    }

    @Override
    public void requestLogCapacity(int capacity) {
      builder.requestLogCapacity(capacity);
    }
  }
}
