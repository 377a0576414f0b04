package dev.backoff4j.openai.pacing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import dev.backoff4j.openai.http.Request;
import dev.backoff4j.openai.internal.Json;
import java.util.Locale;
import java.util.Optional;

/**
 * Counts tokens as OpenAI's rate limiter charges them, with the real tokenizers (jtokkit; the
 * encodings ship in its jar, nothing is downloaded).
 *
 * <table>
 *   <caption>What is counted</caption>
 *   <tr><th>endpoint</th><th>prompt</th><th>completion allowance</th></tr>
 *   <tr><td>{@code /chat/completions}</td><td>each message: 3 + its role, content and name (+1 for a
 *       name) + 3 to prime the reply, as OpenAI documents; text parts by the tokenizer, each image part
 *       85 (its low-detail cost), tool calls and {@code tools} by their JSON text</td>
 *       <td>{@code max_completion_tokens}, else {@code max_tokens}, × {@code n}</td></tr>
 *   <tr><td>{@code /completions}</td><td>{@code prompt} (a string or strings)</td>
 *       <td>{@code max_tokens} (the API's default: 16) × {@code n}</td></tr>
 *   <tr><td>{@code /embeddings}</td><td>{@code input}: strings, or token arrays by their length</td>
 *       <td>none</td></tr>
 *   <tr><td>{@code /responses}</td><td>{@code input} like chat messages: a string as one user message,
 *       message items by their role and content (parts as in chat: {@code input_text} by the tokenizer,
 *       {@code input_image} 85), other items by their fields; {@code instructions} as a system message;
 *       {@code tools} by their JSON text</td>
 *       <td>{@code max_output_tokens}</td></tr>
 *   <tr><td>anything else, GETs</td><td colspan="2">not paced</td></tr>
 * </table>
 *
 * <p>o200k_base serves the gpt-4o, gpt-4.1, gpt-4.5, gpt-5 and o-series models; cl100k_base every other
 * model (including non-OpenAI ones served by compatible servers, where it is an approximation). When a
 * request sets no completion limit the estimate says so, and the pacer assumes the completion size it
 * learned from earlier {@code usage} (see {@link Pacer.Builder#assumedCompletionTokens}).
 */
public final class OpenAiTokenEstimator implements TokenEstimator {

  static final OpenAiTokenEstimator INSTANCE = new OpenAiTokenEstimator();

  /** OpenAI's documented overheads for chat formats since gpt-3.5-turbo-0613. */
  private static final int TOKENS_PER_MESSAGE = 3;
  private static final int TOKENS_PER_NAME = 1;
  private static final int REPLY_PRIMING = 3;
  /** The base cost of an image, all a low-detail image costs; high detail costs more. */
  private static final int IMAGE_TOKENS = 85;
  /** The legacy completions API's default {@code max_tokens}. */
  private static final int LEGACY_DEFAULT_MAX_TOKENS = 16;

  private OpenAiTokenEstimator() {}

  @Override
  public Optional<TokenEstimate> estimate(Request request) {
    if (!"POST".equalsIgnoreCase(request.method()) || request.body() == null) {
      return Optional.empty();
    }
    String path = request.url().getPath();
    Optional<JsonNode> parsed = Json.tryParse(request.body());
    if (parsed.isEmpty() || !parsed.get().isObject()) {
      return Optional.empty();
    }
    JsonNode body = parsed.get();
    String model = body.path("model").asText("");
    Encoding encoding = encodingFor(model);
    int n = Math.max(1, body.path("n").asInt(1));
    if (path.endsWith("/chat/completions")) {
      long prompt = messages(body.path("messages"), encoding) + json(body.get("tools"), encoding)
          + json(body.get("functions"), encoding);
      return Optional.of(new TokenEstimate(model, prompt, firstLimit(body, "max_completion_tokens", "max_tokens"), n));
    }
    if (path.endsWith("/embeddings")) {
      return Optional.of(new TokenEstimate(model, input(body.path("input"), encoding), 0, 1));
    }
    if (path.endsWith("/completions")) {
      long max = firstLimit(body, "max_tokens", "max_tokens");
      return Optional.of(new TokenEstimate(model, input(body.path("prompt"), encoding),
          max >= 0 ? max : LEGACY_DEFAULT_MAX_TOKENS, n));
    }
    if (path.endsWith("/responses")) {
      return Optional.of(new TokenEstimate(model, responsesInput(body, encoding) + json(body.get("tools"), encoding),
          firstLimit(body, "max_output_tokens", "max_output_tokens"), 1));
    }
    return Optional.empty();
  }

  /**
   * A Responses {@code input} with its {@code instructions}, as the chat messages they amount to: the
   * instructions a system message, a string input one user message.
   */
  private long responsesInput(JsonNode body, Encoding encoding) {
    ArrayNode messages = Json.MAPPER.createArrayNode();
    JsonNode instructions = body.path("instructions");
    if (instructions.isTextual() && !instructions.asText().isEmpty()) {
      messages.addObject().put("role", "system").put("content", instructions.asText());
    }
    JsonNode input = body.path("input");
    if (input.isTextual()) {
      messages.addObject().put("role", "user").put("content", input.asText());
    } else if (input.isArray()) {
      messages.addAll((ArrayNode) input);
    }
    return messages.isEmpty() ? 0 : messages(messages, encoding);
  }

  /** Tokens of a chat {@code messages} array, with OpenAI's per-message overhead. */
  long messages(JsonNode messages, Encoding encoding) {
    if (!messages.isArray()) {
      return 0;
    }
    long total = REPLY_PRIMING;
    for (JsonNode message : messages) {
      total += TOKENS_PER_MESSAGE;
      var fields = message.fields();
      while (fields.hasNext()) {
        var field = fields.next();
        JsonNode value = field.getValue();
        if (field.getKey().equals("type")) {
          continue; // a Responses item's kind ("message"), not text the model reads
        }
        if (field.getKey().equals("content") && value.isArray()) {
          total += parts(value, encoding);
        } else if (value.isTextual()) {
          total += count(value.asText(), encoding);
        } else if (!value.isNull()) {
          total += json(value, encoding);
        }
        if (field.getKey().equals("name")) {
          total += TOKENS_PER_NAME;
        }
      }
    }
    return total;
  }

  private long parts(JsonNode parts, Encoding encoding) {
    long total = 0;
    for (JsonNode part : parts) {
      String type = part.path("type").asText("");
      if (type.startsWith("image") || part.has("image_url")) {
        total += IMAGE_TOKENS;
      } else if (part.has("text")) {
        total += count(part.path("text").asText(""), encoding);
      } else {
        total += json(part, encoding);
      }
    }
    return total;
  }

  /** A string, an array of strings, or token arrays (counted by length). */
  private long input(JsonNode input, Encoding encoding) {
    if (input.isTextual()) {
      return count(input.asText(), encoding);
    }
    if (!input.isArray()) {
      return 0;
    }
    long total = 0;
    for (JsonNode item : input) {
      if (item.isTextual()) {
        total += count(item.asText(), encoding);
      } else if (item.isArray()) {
        total += item.size();
      } else if (item.isNumber()) {
        total += 1;
      }
    }
    return total;
  }

  private long json(JsonNode node, Encoding encoding) {
    return node == null || node.isNull() || node.isMissingNode() ? 0 : count(node.toString(), encoding);
  }

  private static long count(String text, Encoding encoding) {
    return text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
  }

  private static long firstLimit(JsonNode body, String first, String second) {
    JsonNode value = body.hasNonNull(first) ? body.get(first) : body.get(second);
    return value != null && value.canConvertToLong() && value.asLong() >= 0 ? value.asLong() : -1;
  }

  /** o200k_base for the gpt-4o generation and later and the o-series, cl100k_base otherwise. */
  static Encoding encodingFor(String model) {
    String name = model.toLowerCase(Locale.ROOT);
    if (name.startsWith("ft:")) {
      name = name.substring(3);
    }
    boolean o200k = name.startsWith("gpt-4o") || name.startsWith("chatgpt-4o") || name.startsWith("gpt-4.1")
        || name.startsWith("gpt-4.5") || name.startsWith("gpt-5") || name.matches("o[1-9].*");
    return Tokenizers.REGISTRY.getEncoding(o200k ? EncodingType.O200K_BASE : EncodingType.CL100K_BASE);
  }

  /** Loads each encoding on first use (each takes a few hundred milliseconds and some megabytes). */
  private static final class Tokenizers {
    static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();
  }

  @Override
  public String toString() {
    return "OpenAiTokenEstimator";
  }
}
