package dev.backoff4j.openai.batch.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backoff4j.openai.batch.BatchFileProblem;
import dev.backoff4j.openai.batch.BatchResult;
import dev.backoff4j.openai.batch.InvalidBatchFileException;
import dev.backoff4j.openai.internal.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and checks a batch input file in the OpenAI Batch API format, one request per line:
 * {@code {"custom_id": "r1", "method": "POST", "url": "/v1/chat/completions", "body": {...}}}.
 *
 * <p>The whole file is checked before anything is sent. Blank lines are skipped. Every problem is
 * reported with its line number: invalid JSON, a missing, empty or duplicate {@code custom_id}, a
 * method other than {@code POST}, an unsupported {@code url}, a body that is not an object, or a body
 * asking for {@code "stream": true} (a batch stores whole responses).
 */
public final class BatchInput {

  /** The JSON endpoints a batch can call; the Batch API's multipart and asynchronous ones are left out. */
  public static final Set<String> SUPPORTED_URLS = Set.of(
      "/v1/chat/completions", "/v1/embeddings", "/v1/completions", "/v1/responses", "/v1/moderations");

  private BatchInput() {}

  /**
   * The requests of {@code file}, in file order.
   *
   * @throws InvalidBatchFileException listing every invalid line
   * @throws UncheckedIOException if the file cannot be read
   */
  public static List<BatchRequest> read(Path file) {
    List<BatchRequest> requests = new ArrayList<>();
    List<BatchFileProblem> problems = new ArrayList<>();
    Map<String, Integer> firstLine = new HashMap<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int number = 0;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        parse(number, line, firstLine, problems).ifPresent(requests::add);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read batch input " + file + ": " + e.getMessage(), e);
    }
    if (!problems.isEmpty()) {
      throw new InvalidBatchFileException(file, problems);
    }
    return requests;
  }

  /** Checks one line; a custom_id is claimed by its first line even when that line has other problems. */
  private static Optional<BatchRequest> parse(
      int number, String line, Map<String, Integer> firstLine, List<BatchFileProblem> problems) {
    JsonNode json;
    try {
      json = Json.MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      problems.add(new BatchFileProblem(number, "not valid JSON (" + e.getOriginalMessage() + ")"));
      return Optional.empty();
    }
    if (json == null || !json.isObject()) {
      problems.add(new BatchFileProblem(number, "not a JSON object"));
      return Optional.empty();
    }
    int before = problems.size();
    JsonNode customId = json.get("custom_id");
    if (customId == null || customId.isNull()) {
      problems.add(new BatchFileProblem(number, "custom_id is missing"));
    } else if (!customId.isTextual() || customId.asText().isEmpty()) {
      problems.add(new BatchFileProblem(number, "custom_id must be a non-empty string"));
    } else {
      Integer first = firstLine.putIfAbsent(customId.asText(), number);
      if (first != null) {
        problems.add(new BatchFileProblem(number,
            "duplicate custom_id '" + customId.asText() + "' (first on line " + first + ")"));
      }
    }
    JsonNode method = json.get("method");
    if (method != null && !method.isNull() && !"POST".equals(method.asText())) {
      problems.add(new BatchFileProblem(number, "method must be POST, was '" + method.asText() + "'"));
    }
    JsonNode url = json.get("url");
    if (url == null || !url.isTextual()) {
      problems.add(new BatchFileProblem(number, "url is missing"));
    } else if (!SUPPORTED_URLS.contains(url.asText())) {
      problems.add(new BatchFileProblem(number, "unsupported url '" + url.asText() + "' (supported: "
          + String.join(", ", SUPPORTED_URLS.stream().sorted().toList()) + ")"));
    }
    JsonNode body = json.get("body");
    if (body == null || !body.isObject()) {
      problems.add(new BatchFileProblem(number, "body must be a JSON object"));
    } else if (body.path("stream").asBoolean(false)) {
      problems.add(new BatchFileProblem(number, "body asks for \"stream\": true; a batch stores whole responses"));
    }
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(new BatchRequest(number, customId.asText(), url.asText(), (ObjectNode) body));
  }
}
