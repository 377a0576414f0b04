package dev.backoff4j.mock.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What the mock needs from an embeddings request.
 *
 * @param model requested model, or null
 * @param inputs the texts to embed; token arrays become their numbers joined by spaces
 * @param inputTokens token estimate of all inputs (token arrays count one per element)
 * @param dimensions requested vector length, or -1
 * @param base64 {@code encoding_format: "base64"}
 */
public record EmbeddingRequest(
    String model, List<String> inputs, long inputTokens, int dimensions, boolean base64) {

  /** @throws BadParameterException if {@code input} is missing or of the wrong shape */
  public static EmbeddingRequest from(JsonNode body) {
    JsonNode input = body.path("input");
    List<String> inputs = new ArrayList<>();
    long tokens = 0;
    if (input.isTextual()) {
      inputs.add(input.asText());
      tokens += Tokens.estimate(input.asText().length());
    } else if (input.isArray() && !input.isEmpty()) {
      boolean tokenArray = input.get(0).isNumber();
      if (tokenArray) {
        inputs.add(input.toString());
        tokens += input.size();
      } else {
        for (JsonNode item : input) {
          if (item.isTextual()) {
            inputs.add(item.asText());
            tokens += Tokens.estimate(item.asText().length());
          } else if (item.isArray()) {
            inputs.add(item.toString());
            tokens += item.size();
          } else {
            throw new BadParameterException("input", "'input' items must be strings or token arrays");
          }
        }
      }
    } else {
      throw new BadParameterException("input", "'input' must be a string or a non-empty array");
    }
    int dimensions = body.path("dimensions").isIntegralNumber() ? body.get("dimensions").asInt() : -1;
    if (body.has("dimensions") && (dimensions < 1 || dimensions > 4096)) {
      throw new BadParameterException("dimensions", "'dimensions' must be between 1 and 4096");
    }
    return new EmbeddingRequest(
        body.path("model").isTextual() ? body.get("model").asText() : null,
        inputs,
        tokens,
        dimensions,
        "base64".equals(body.path("encoding_format").asText()));
  }
}
