package dev.backoff4j.mock.internal;

import dev.backoff4j.openai.spi.GoDuration;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backoff4j.mock.FaultRates;
import dev.backoff4j.mock.FaultScript;
import dev.backoff4j.mock.HeaderMatch;
import dev.backoff4j.mock.Latency;
import dev.backoff4j.mock.OutageWindow;
import dev.backoff4j.mock.RateLimit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the JSON scenario format documented on {@code Scenario.parseJson}. It hands each field it
 * finds, parsed and checked, to {@link Settings}, and knows nothing of the scenario it feeds, so
 * the dependency runs one way: {@code Scenario} uses this reader, never the reverse.
 */
public final class ScenarioJson {

  /**
   * Where the fields of a scenario file go, in the order the reader meets them; fields the file
   * omits are not called. Each setting has the meaning of the scenario builder's method of that name.
   */
  public interface Settings {
    void reply(String text);

    void echo();

    void model(String model);

    void models(List<String> models);

    /** {@code null} accepts any key. */
    void apiKey(String key);

    void streamChunks(int chunks);

    void streamGap(Duration gap);

    void embeddingDimensions(int dimensions);

    void rateLimit(RateLimit rateLimit);

    void script(FaultScript script);

    void faultRates(FaultRates rates);

    void latency(Latency latency);

    void outage(OutageWindow outage);

    void seed(long seed);

    void requestLogCapacity(int capacity);
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> TOP_LEVEL =
      Set.of(
          "reply", "echo", "model", "models", "apiKey", "stream", "embeddingDimensions", "rateLimit",
          "script", "scriptWhenHeader", "faultRates", "latency", "outages", "seed", "requestLog");

  private ScenarioJson() {}

  /**
   * Reads {@code json} into {@code b}. The shapes and the parsed values ({@code script},
   * {@code latency}, durations, ...) are checked here; ranges are the sink's to check.
   *
   * @throws IllegalArgumentException naming the bad field, or as thrown by the sink
   */
  public static void read(String json, Settings b) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("scenario is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("scenario must be a JSON object");
    }
    onlyKnownFields("scenario", root, TOP_LEVEL);
    if (root.has("reply")) {
      JsonNode reply = root.get("reply");
      if (reply.isNull()) {
        b.echo();
      } else {
        b.reply(text(root, "reply"));
      }
    }
    if (root.has("echo") && bool(root, "echo")) {
      b.echo();
    }
    if (root.has("model")) {
      b.model(text(root, "model"));
    }
    if (root.has("models")) {
      b.models(textList(root, "models"));
    }
    if (root.has("apiKey")) {
      b.apiKey(root.get("apiKey").isNull() ? null : text(root, "apiKey"));
    }
    if (root.has("stream")) {
      JsonNode stream = object(root, "stream");
      onlyKnownFields("stream", stream, Set.of("chunks", "gap"));
      if (stream.has("chunks")) {
        b.streamChunks((int) integer(stream, "stream.chunks"));
      }
      if (stream.has("gap")) {
        b.streamGap(GoDuration.require("stream.gap", text(stream, "gap")));
      }
    }
    if (root.has("embeddingDimensions")) {
      b.embeddingDimensions((int) integer(root, "embeddingDimensions"));
    }
    if (root.has("rateLimit")) {
      b.rateLimit(rateLimit(object(root, "rateLimit")));
    }
    FaultScript script = FaultScript.EMPTY;
    if (root.has("script")) {
      JsonNode node = root.get("script");
      if (node.isArray()) {
        script = FaultScript.parse(textList(root, "script"));
      } else {
        script = FaultScript.parse(text(root, "script"));
      }
    }
    if (root.has("scriptWhenHeader")) {
      script = script.onlyWhen(HeaderMatch.parse(text(root, "scriptWhenHeader")));
    }
    if (root.has("script") || root.has("scriptWhenHeader")) {
      b.script(script);
    }
    if (root.has("faultRates")) {
      b.faultRates(faultRates(root.get("faultRates")));
    }
    if (root.has("latency")) {
      b.latency(Latency.parse(text(root, "latency")));
    }
    if (root.has("outages")) {
      JsonNode outages = root.get("outages");
      if (!outages.isArray()) {
        throw new IllegalArgumentException("outages must be an array");
      }
      for (JsonNode outage : outages) {
        onlyKnownFields("outages[]", outage, Set.of("start", "length", "status"));
        b.outage(
            new OutageWindow(
                GoDuration.require("outages[].start", outage.has("start") ? text(outage, "start") : "0s"),
                GoDuration.require("outages[].length", text(outage, "length")),
                outage.has("status") ? (int) integer(outage, "outages[].status") : 503));
      }
    }
    if (root.has("seed")) {
      b.seed(integer(root, "seed"));
    }
    if (root.has("requestLog")) {
      b.requestLogCapacity((int) integer(root, "requestLog"));
    }
  }

  private static RateLimit rateLimit(JsonNode node) {
    onlyKnownFields("rateLimit", node, Set.of("rpm", "tpm", "window"));
    RateLimit defaults = RateLimit.UNLIMITED;
    return new RateLimit(
        node.has("rpm") ? integer(node, "rateLimit.rpm") : defaults.requests(),
        node.has("tpm") ? integer(node, "rateLimit.tpm") : defaults.tokens(),
        node.has("window")
            ? GoDuration.require("rateLimit.window", text(node, "window"))
            : RateLimit.DEFAULT_WINDOW);
  }

  private static FaultRates faultRates(JsonNode node) {
    if (node.isTextual()) {
      return FaultRates.parse(node.asText());
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException("faultRates must be a string like \"500=0.1\" or an object");
    }
    Map<String, Double> rates = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isNumber()) {
        throw new IllegalArgumentException("faultRates." + e.getKey() + " must be a number");
      }
      rates.put(e.getKey(), e.getValue().asDouble());
    }
    return FaultRates.parse(rates);
  }

  private static void onlyKnownFields(String where, JsonNode node, Set<String> known) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(where + " must be a JSON object");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) {
        throw new IllegalArgumentException(
            "unknown field '" + name + "' in " + where + "; known fields: " + new java.util.TreeSet<>(known));
      }
    }
  }

  private static JsonNode object(JsonNode parent, String field) {
    JsonNode node = parent.get(field);
    if (!node.isObject()) {
      throw new IllegalArgumentException(field + " must be a JSON object");
    }
    return node;
  }

  private static String text(JsonNode parent, String field) {
    JsonNode node = parent.get(field);
    if (node == null || !node.isTextual()) {
      throw new IllegalArgumentException(field + " must be a string");
    }
    return node.asText();
  }

  private static boolean bool(JsonNode parent, String field) {
    JsonNode node = parent.get(field);
    if (!node.isBoolean()) {
      throw new IllegalArgumentException(field + " must be true or false");
    }
    return node.asBoolean();
  }

  private static long integer(JsonNode parent, String field) {
    String name = field.substring(field.lastIndexOf('.') + 1).replace("[]", "");
    JsonNode node = parent.get(name);
    if (node == null || !node.canConvertToLong() || !node.isIntegralNumber()) {
      throw new IllegalArgumentException(field + " must be a whole number");
    }
    return node.asLong();
  }

  private static List<String> textList(JsonNode parent, String field) {
    JsonNode node = parent.get(field);
    if (!node.isArray()) {
      throw new IllegalArgumentException(field + " must be an array of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : node) {
      if (!item.isTextual()) {
        throw new IllegalArgumentException(field + " must be an array of strings");
      }
      out.add(item.asText());
    }
    return out;
  }
}
