package dev.backoff4j.mock.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes the mock's success bodies straight into Netty buffers with Jackson's streaming generator
 * (no intermediate objects: the hot path of the throughput target). Shapes follow the OpenAPI
 * description's CreateChatCompletionResponse, CreateChatCompletionStreamResponse,
 * CreateEmbeddingResponse and ListModelsResponse; {@link ResponseAnswer} writes the Responses API's.
 */
public final class JsonBodies {
  private static final JsonFactory JSON = new JsonFactory();
  private static final String FINGERPRINT = "fp_backoff4j_mock";

  private JsonBodies() {}

  /** Usage numbers reported with a chat completion. */
  public record Usage(long promptTokens, long completionTokens) {}

  /** A complete {@code chat.completion} object with {@code n} identical choices. */
  public static ByteBuf chatCompletion(
      ByteBufAllocator alloc, String id, long created, String model, String content, int n, Usage usage) {
    return write(
        alloc,
        g -> {
          g.writeStartObject();
          g.writeStringField("id", id);
          g.writeStringField("object", "chat.completion");
          g.writeNumberField("created", created);
          g.writeStringField("model", model);
          g.writeArrayFieldStart("choices");
          for (int i = 0; i < n; i++) {
            g.writeStartObject();
            g.writeNumberField("index", i);
            g.writeObjectFieldStart("message");
            g.writeStringField("role", "assistant");
            g.writeStringField("content", content);
            g.writeNullField("refusal");
            g.writeArrayFieldStart("annotations");
            g.writeEndArray();
            g.writeEndObject();
            g.writeNullField("logprobs");
            g.writeStringField("finish_reason", "stop");
            g.writeEndObject();
          }
          g.writeEndArray();
          writeUsage(g, usage);
          g.writeStringField("service_tier", "default");
          g.writeStringField("system_fingerprint", FINGERPRINT);
          g.writeEndObject();
        });
  }

  /**
   * One {@code chat.completion.chunk}. {@code role} and {@code content} go into each choice's delta
   * when non-null; {@code finishReason} null is written as JSON null. With {@code usage} non-null
   * the chunk is the final usage chunk, which has no choices.
   */
  public static ByteBuf chatChunk(
      ByteBufAllocator alloc,
      String id,
      long created,
      String model,
      int n,
      String role,
      String content,
      String finishReason,
      Usage usage) {
    return write(
        alloc,
        g -> {
          g.writeStartObject();
          g.writeStringField("id", id);
          g.writeStringField("object", "chat.completion.chunk");
          g.writeNumberField("created", created);
          g.writeStringField("model", model);
          g.writeStringField("system_fingerprint", FINGERPRINT);
          g.writeArrayFieldStart("choices");
          for (int i = 0; usage == null && i < n; i++) {
            g.writeStartObject();
            g.writeNumberField("index", i);
            g.writeObjectFieldStart("delta");
            if (role != null) {
              g.writeStringField("role", role);
            }
            if (content != null) {
              g.writeStringField("content", content);
            }
            g.writeEndObject();
            g.writeNullField("logprobs");
            if (finishReason == null) {
              g.writeNullField("finish_reason");
            } else {
              g.writeStringField("finish_reason", finishReason);
            }
            g.writeEndObject();
          }
          g.writeEndArray();
          if (usage != null) {
            writeUsage(g, usage);
          }
          g.writeEndObject();
        });
  }

  /** A {@code list} of embeddings, one per input, each a deterministic unit vector of the input. */
  public static ByteBuf embeddings(
      ByteBufAllocator alloc, String model, List<String> inputs, int dimensions, boolean base64, long promptTokens) {
    return write(
        alloc,
        g -> {
          g.writeStartObject();
          g.writeStringField("object", "list");
          g.writeArrayFieldStart("data");
          for (int i = 0; i < inputs.size(); i++) {
            float[] vector = vectorOf(inputs.get(i), dimensions);
            g.writeStartObject();
            g.writeStringField("object", "embedding");
            g.writeNumberField("index", i);
            if (base64) {
              ByteBuffer bytes = ByteBuffer.allocate(4 * dimensions).order(ByteOrder.LITTLE_ENDIAN);
              for (float v : vector) {
                bytes.putFloat(v);
              }
              g.writeStringField("embedding", Base64.getEncoder().encodeToString(bytes.array()));
            } else {
              g.writeArrayFieldStart("embedding");
              for (float v : vector) {
                g.writeNumber(v);
              }
              g.writeEndArray();
            }
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeStringField("model", model);
          g.writeObjectFieldStart("usage");
          g.writeNumberField("prompt_tokens", promptTokens);
          g.writeNumberField("total_tokens", promptTokens);
          g.writeEndObject();
          g.writeEndObject();
        });
  }

  /** The {@code GET /v1/models} list. */
  public static ByteBuf models(ByteBufAllocator alloc, List<String> models) {
    return write(
        alloc,
        g -> {
          g.writeStartObject();
          g.writeStringField("object", "list");
          g.writeArrayFieldStart("data");
          for (String model : models) {
            g.writeStartObject();
            g.writeStringField("id", model);
            g.writeStringField("object", "model");
            g.writeNumberField("created", 1_700_000_000L);
            g.writeStringField("owned_by", "backoff4j-mock");
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  /**
   * A deterministic unit vector for {@code text}: equal texts give equal vectors, so tests can
   * compare them.
   */
  static float[] vectorOf(String text, int dimensions) {
    SplittableRandom random = new SplittableRandom(text.hashCode() * 0x9E3779B97F4A7C15L);
    float[] vector = new float[dimensions];
    double norm = 0;
    for (int i = 0; i < dimensions; i++) {
      vector[i] = (float) (random.nextDouble() * 2 - 1);
      norm += vector[i] * vector[i];
    }
    float scale = (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < dimensions; i++) {
      vector[i] *= scale;
    }
    return vector;
  }

  private static void writeUsage(JsonGenerator g, Usage usage) throws IOException {
    g.writeObjectFieldStart("usage");
    g.writeNumberField("prompt_tokens", usage.promptTokens());
    g.writeNumberField("completion_tokens", usage.completionTokens());
    g.writeNumberField("total_tokens", usage.promptTokens() + usage.completionTokens());
    g.writeObjectFieldStart("prompt_tokens_details");
    g.writeNumberField("cached_tokens", 0);
    g.writeNumberField("audio_tokens", 0);
    g.writeEndObject();
    g.writeObjectFieldStart("completion_tokens_details");
    g.writeNumberField("reasoning_tokens", 0);
    g.writeNumberField("audio_tokens", 0);
    g.writeNumberField("accepted_prediction_tokens", 0);
    g.writeNumberField("rejected_prediction_tokens", 0);
    g.writeEndObject();
    g.writeEndObject();
  }

  /**
   * Part {@code index} of {@code parts} roughly equal slices of {@code text}; the slices of 0..parts-1
   * concatenate to {@code text}.
   */
  static String slice(String text, int index, int parts) {
    int from = (int) ((long) text.length() * index / parts);
    int to = (int) ((long) text.length() * (index + 1) / parts);
    return text.substring(from, to);
  }

  /** Writes one JSON value with the generator. */
  interface Writer {
    void write(JsonGenerator g) throws IOException;
  }

  /** A buffer holding what {@code writer} writes. */
  static ByteBuf write(ByteBufAllocator alloc, Writer writer) {
    ByteBuf buf = alloc.buffer(512);
    try (JsonGenerator g = JSON.createGenerator((java.io.OutputStream) new ByteBufOutputStream(buf))) {
      writer.write(g);
    } catch (IOException e) {
      buf.release();
      throw new UncheckedIOException(e);
    }
    return buf;
  }
}
