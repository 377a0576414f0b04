package dev.backoff4j.spring.boot;

import dev.backoff4j.InvalidSettingException;
import dev.backoff4j.budget.RetryBudget;
import dev.backoff4j.budget.WhenExhausted;
import dev.backoff4j.openai.OpenAiRetryPolicy;
import dev.backoff4j.openai.gate.OutageGate;
import dev.backoff4j.openai.gate.WhenClosed;
import dev.backoff4j.openai.pacing.Pacer;
import dev.backoff4j.retry.RetryPolicy;
import dev.backoff4j.retry.RetryPolicyBuilder;
import dev.backoff4j.time.TimeSource;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * backoff4j's settings under {@code backoff4j.openai.*}. Defaults are the
 * {@link OpenAiRetryPolicy} preset's (written out as literals, so that the configuration metadata
 * shows them; a test keeps them equal). Each value is checked by the builder it goes to, at start-up;
 * a refused value fails the application naming the property as written
 * ({@code backoff4j.openai.max-retries must be at least 0, was -1}).
 *
 * <p>These govern every bridged client, so when Spring AI's own settings say otherwise, these win:
 * the SDK's retries stay off (Spring AI's {@code spring.ai.openai.max-retries} is not used), and
 * {@link #getAttemptTimeout() attempt-timeout}, when set, replaces {@code spring.ai.openai.timeout}.
 */
@ConfigurationProperties(Backoff4jProperties.PREFIX)
public class Backoff4jProperties implements Validator {

  /** Where these properties live. */
  public static final String PREFIX = "backoff4j.openai";

  /** Whether the starter configures anything at all. */
  private boolean enabled = true;

  /** Retries after the first attempt of a call. */
  private int maxRetries = 4;

  /** The first computed wait before a retry; it doubles with each retry (jittered, never under half). */
  private Duration initialDelay = Duration.ofMillis(500);

  /** The longest computed wait before a retry. */
  private Duration maxDelay = Duration.ofSeconds(8);

  /**
   * The longest server-suggested wait (Retry-After and kin) that is honoured; a longer one ends the
   * call at once, the hint attached.
   */
  private Duration maxServerDelay = Duration.ofSeconds(60);

  /**
   * The longest one attempt may take once sent. Unset: Spring AI's spring.ai.openai.timeout (60s by
   * default) for its models, 5m for the OpenAIClient bean.
   */
  private Duration attemptTimeout;

  /** The most a call may take across all its attempts and waits; a wait that would end later is not started. */
  private Duration deadline = Duration.ofMinutes(10);

  /**
   * Rate-limit retries (429s that are not quota errors) a call may make on top of max-retries: a rate
   * limit is a wait, not a failed attempt. Unset: bounded by the deadline alone.
   */
  private Integer maxRateLimitRetries;

  /** The API root of the OpenAIClient bean (made when Spring AI is absent). Unset: $OPENAI_BASE_URL, else OpenAI's. */
  private String baseUrl;

  /** The API key of the OpenAIClient bean (made when Spring AI is absent). Unset: $OPENAI_API_KEY. */
  private String apiKey;

  /** The organization of the OpenAIClient bean (made when Spring AI is absent). Unset: $OPENAI_ORG_ID. */
  private String organization;

  /** The project of the OpenAIClient bean (made when Spring AI is absent). Unset: $OPENAI_PROJECT_ID. */
  private String project;

  private final Pacing pacing = new Pacing();

  private final Budget budget = new Budget();

  private final Gate gate = new Gate();

  /** Pacing: holding requests back to stay under the server's rate limits. */
  public static class Pacing {

    /** Whether requests are paced. Unset: on when rpm or tpm is set. */
    private Boolean enabled;

    /** Requests per minute to assume before the rate-limit headers tell. */
    private Double rpm;

    /** Tokens per minute to assume before the rate-limit headers tell. */
    private Double tpm;

    public Boolean getEnabled() {
      return enabled;
    }

    public void setEnabled(Boolean enabled) {
      this.enabled = enabled;
    }

    public Double getRpm() {
      return rpm;
    }

    public void setRpm(Double rpm) {
      this.rpm = rpm;
    }

    public Double getTpm() {
      return tpm;
    }

    public void setTpm(Double tpm) {
      this.tpm = tpm;
    }

    /** On when enabled, or when a seed is given and pacing was not switched off. */
    public boolean isOn() {
      return enabled != null ? enabled : rpm != null || tpm != null;
    }
  }

  /** The retry budget shared by every bridged client: retries as a fraction of traffic plus a floor. */
  public static class Budget {

    /** Whether retries draw from a budget at all (rate-limit 429s never do). */
    private boolean enabled = true;

    /** Retries earned per request, in [0, 1]. */
    private double ratio = 0.0;

    /** Retries earned per successful call, in [0, 1]. */
    private double successRatio = 0.2;

    /** Retries always available per second, whatever the traffic. */
    private double minRetriesPerSecond = 2.0;

    /** The most retries healthy traffic can save up. */
    private double maxBalance = 20.0;

    /**
     * What a retry does when the budget has none left: wait in line until the budget pays for it
     * (within the deadline), or fail at once (fail fast). Wait needs min-retries-per-second above 0.
     */
    private WhenExhausted whenExhausted = WhenExhausted.WAIT;

    public WhenExhausted getWhenExhausted() {
      return whenExhausted;
    }

    public void setWhenExhausted(WhenExhausted whenExhausted) {
      this.whenExhausted = whenExhausted;
    }

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public double getRatio() {
      return ratio;
    }

    public void setRatio(double ratio) {
      this.ratio = ratio;
    }

    public double getSuccessRatio() {
      return successRatio;
    }

    public void setSuccessRatio(double successRatio) {
      this.successRatio = successRatio;
    }

    public double getMinRetriesPerSecond() {
      return minRetriesPerSecond;
    }

    public void setMinRetriesPerSecond(double minRetriesPerSecond) {
      this.minRetriesPerSecond = minRetriesPerSecond;
    }

    public double getMaxBalance() {
      return maxBalance;
    }

    public void setMaxBalance(double maxBalance) {
      this.maxBalance = maxBalance;
    }
  }

  /**
   * The outage gate shared by every bridged client: when the endpoint keeps failing, requests wait
   * (within their deadline) while one probe at a time tries it, then go through in slow start.
   */
  public static class Gate {

    /** Whether requests wait at an outage gate while the endpoint is failing. */
    private boolean enabled = true;

    /** Transient failures in a row (5xx, connection failures, attempt timeouts) that close the gate. */
    private int failuresToClose = 10;

    /** The wait before the first probe once the gate closes. */
    private Duration probeInitialDelay = Duration.ofMillis(100);

    /** The longest wait between probes (jittered exponential backoff up to it). */
    private Duration probeMaxDelay = Duration.ofSeconds(1);

    /** What a request meeting a closed gate does: wait (within its deadline), or fail at once (a circuit breaker). */
    private WhenClosed whenClosed = WhenClosed.WAIT;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public int getFailuresToClose() {
      return failuresToClose;
    }

    public void setFailuresToClose(int failuresToClose) {
      this.failuresToClose = failuresToClose;
    }

    public Duration getProbeInitialDelay() {
      return probeInitialDelay;
    }

    public void setProbeInitialDelay(Duration probeInitialDelay) {
      this.probeInitialDelay = probeInitialDelay;
    }

    public Duration getProbeMaxDelay() {
      return probeMaxDelay;
    }

    public void setProbeMaxDelay(Duration probeMaxDelay) {
      this.probeMaxDelay = probeMaxDelay;
    }

    public WhenClosed getWhenClosed() {
      return whenClosed;
    }

    public void setWhenClosed(WhenClosed whenClosed) {
      this.whenClosed = whenClosed;
    }
  }

  /**
   * The retry policy these properties describe, on {@code time}: the OpenAI preset with these
   * values, and (when enabled) one budget that every client built from it shares.
   *
   * @throws InvalidSettingException naming the builder's setting; {@link #validate} reports it as the
   *     property
   */
  public RetryPolicy<Object> retryPolicy(TimeSource time) {
    RetryPolicyBuilder<Object> builder = OpenAiRetryPolicy.builder(time)
        .maxRetries(maxRetries)
        .initialDelay(initialDelay)
        .maxDelay(maxDelay)
        .maxServerDelay(maxServerDelay)
        .maxElapsed(deadline)
        .maxRateLimitRetries(maxRateLimitRetries)
        .budget(null)
        .onBudgetExhausted(budget.whenExhausted != null ? budget.whenExhausted : WhenExhausted.WAIT);
    if (attemptTimeout != null) {
      builder.attemptTimeout(attemptTimeout);
    }
    if (budget.isEnabled()) {
      builder.sharedBudget(budgetSettings().newBudget(time));
    }
    return builder.build();
  }

  /** The budget settings these properties describe. */
  public RetryBudget.Settings budgetSettings() {
    return RetryBudget.settings().ratio(budget.ratio).successRatio(budget.successRatio)
        .minRetriesPerSecond(budget.minRetriesPerSecond).maxBalance(budget.maxBalance).build();
  }

  /**
   * The outage gate settings these properties describe; {@link OutageGate#disabled()} when
   * {@code gate.enabled=false}.
   *
   * @throws InvalidSettingException naming the builder's setting
   */
  public OutageGate.Settings gateSettings() {
    if (!gate.enabled) {
      return OutageGate.disabled();
    }
    OutageGate.Settings.Builder builder = OutageGate.settings().failuresToClose(gate.failuresToClose);
    if (gate.probeInitialDelay != null) {
      builder.probeInitialDelay(gate.probeInitialDelay);
    }
    if (gate.probeMaxDelay != null) {
      builder.probeMaxDelay(gate.probeMaxDelay);
    }
    if (gate.whenClosed != null) {
      builder.whenClosed(gate.whenClosed);
    }
    return builder.build();
  }

  /** The pacer these properties describe, or empty when pacing is off. */
  public Optional<Pacer.Builder> pacer(TimeSource time) {
    if (!pacing.isOn()) {
      return Optional.empty();
    }
    Pacer.Builder builder = Pacer.builder().timeSource(time);
    if (pacing.rpm != null) {
      builder.requestsPerMinute(pacing.rpm);
    }
    if (pacing.tpm != null) {
      builder.tokensPerMinute(pacing.tpm);
    }
    return Optional.of(builder);
  }

  @Override
  public boolean supports(Class<?> type) {
    return Backoff4jProperties.class.isAssignableFrom(type);
  }

  /**
   * Builds what these properties describe and reports what a builder refused against the property
   * that set it, so start-up fails naming {@code backoff4j.openai.<property>}.
   */
  @Override
  public void validate(Object target, Errors errors) {
    Backoff4jProperties properties = (Backoff4jProperties) target;
    Budget budget = properties.budget;
    if (budget.enabled && budget.whenExhausted == WhenExhausted.WAIT && budget.minRetriesPerSecond == 0) {
      // The policy's builder refuses this too, but in its own terms ('onBudgetExhausted'); here both
      // properties are named, and the two ways out.
      errors.rejectValue("budget.whenExhausted", "backoff4j.invalid", PropertyNames.property("budget.whenExhausted")
          + "=wait needs " + PropertyNames.property("budget.minRetriesPerSecond") + " above 0, was 0 (nothing"
          + " would ever pay a waiting retry): raise the floor, or set when-exhausted=fail to fail fast");
    }
    if (budget.whenExhausted == null) {
      errors.rejectValue("budget.whenExhausted", "backoff4j.invalid",
          PropertyNames.property("budget.whenExhausted") + " must be wait or fail");
    }
    check(errors, () -> properties.retryPolicy(TimeSource.system()));
    check(errors, properties::gateSettings);
    check(errors, () -> properties.pacer(TimeSource.system()).map(Pacer.Builder::build));
    check(errors, () -> properties.pipelineSettings());
  }

  /** The connection settings of the OpenAIClient bean, checked by the pipeline's own builder. */
  private Object pipelineSettings() {
    dev.backoff4j.openai.OpenAiPipelineBuilder builder = dev.backoff4j.openai.OpenAiPipeline.builder();
    if (baseUrl != null) {
      builder.baseUrl(baseUrl);
    }
    if (apiKey != null) {
      builder.apiKey(apiKey);
    }
    builder.organization(organization).project(project).timeout(attemptTimeout);
    return builder;
  }

  private static void check(Errors errors, Supplier<?> build) {
    try {
      build.get();
    } catch (InvalidSettingException e) {
      PropertyNames.Rejection rejection = PropertyNames.of(e);
      if (rejection.field() == null) {
        errors.reject("backoff4j.invalid", rejection.message());
      } else if (errors.getFieldErrorCount(rejection.field()) == 0) {
        errors.rejectValue(rejection.field(), "backoff4j.invalid", rejection.message());
      }
    }
  }

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public int getMaxRetries() {
    return maxRetries;
  }

  public void setMaxRetries(int maxRetries) {
    this.maxRetries = maxRetries;
  }

  public Duration getInitialDelay() {
    return initialDelay;
  }

  public void setInitialDelay(Duration initialDelay) {
    this.initialDelay = initialDelay;
  }

  public Duration getMaxDelay() {
    return maxDelay;
  }

  public void setMaxDelay(Duration maxDelay) {
    this.maxDelay = maxDelay;
  }

  public Duration getMaxServerDelay() {
    return maxServerDelay;
  }

  public void setMaxServerDelay(Duration maxServerDelay) {
    this.maxServerDelay = maxServerDelay;
  }

  public Duration getAttemptTimeout() {
    return attemptTimeout;
  }

  public void setAttemptTimeout(Duration attemptTimeout) {
    this.attemptTimeout = attemptTimeout;
  }

  public Duration getDeadline() {
    return deadline;
  }

  public void setDeadline(Duration deadline) {
    this.deadline = deadline;
  }

  public String getBaseUrl() {
    return baseUrl;
  }

  public void setBaseUrl(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  public String getApiKey() {
    return apiKey;
  }

  public void setApiKey(String apiKey) {
    this.apiKey = apiKey;
  }

  public String getOrganization() {
    return organization;
  }

  public void setOrganization(String organization) {
    this.organization = organization;
  }

  public String getProject() {
    return project;
  }

  public void setProject(String project) {
    this.project = project;
  }

  public Pacing getPacing() {
    return pacing;
  }

  public Budget getBudget() {
    return budget;
  }

  public Gate getGate() {
    return gate;
  }

  public Integer getMaxRateLimitRetries() {
    return maxRateLimitRetries;
  }

  public void setMaxRateLimitRetries(Integer maxRateLimitRetries) {
    this.maxRateLimitRetries = maxRateLimitRetries;
  }

  /** The settings, never the key. */
  @Override
  public String toString() {
    return "Backoff4jProperties[maxRetries=" + maxRetries + ", initialDelay=" + initialDelay + ", maxDelay=" + maxDelay
        + ", attemptTimeout=" + attemptTimeout + ", deadline=" + deadline + ", apiKey=" + (apiKey == null ? "unset" : "set")
        + ", pacing=" + pacing.isOn() + ", budget=" + budget.enabled + " (" + budget.whenExhausted + ")"
        + ", gate=" + gate.enabled + "]";
  }
}
