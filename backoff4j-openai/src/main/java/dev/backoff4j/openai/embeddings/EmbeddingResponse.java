package dev.backoff4j.openai.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backoff4j.openai.chat.Usage;
import dev.backoff4j.openai.internal.Nodes;
import dev.backoff4j.openai.internal.ShapeException;
import java.util.List;

/** Embeddings, in input order by {@link Embedding#index()}, with the raw JSON. */
public record EmbeddingResponse(String model, List<Embedding> data, Usage usage, JsonNode raw) {

  /** One vector. {@code base64} encoding is not decoded; read it from the raw JSON. */
  public record Embedding(int index, float[] vector) {

    static Embedding from(JsonNode node) {
      Nodes.object(node, "embedding");
      JsonNode values = node.get("embedding");
      if (values == null || !values.isArray()) {
        throw new ShapeException("'embedding' is not an array of numbers");
      }
      float[] vector = new float[values.size()];
      for (int i = 0; i < vector.length; i++) {
        if (!values.get(i).isNumber()) {
          throw new ShapeException("'embedding' holds a non-number");
        }
        vector[i] = values.get(i).floatValue();
      }
      return new Embedding((int) Nodes.number(node, "index"), vector);
    }

    @Override
    public String toString() {
      return "Embedding[" + index + ", " + vector.length + " dimensions]";
    }
  }

  public static EmbeddingResponse from(JsonNode json) {
    Nodes.object(json, "embedding response");
    return new EmbeddingResponse(Nodes.text(json, "model"), Nodes.list(json, "data", true, Embedding::from),
        Usage.from(json.get("usage")), json);
  }

  @Override
  public String toString() {
    return "EmbeddingResponse[" + model + ", " + data.size() + " embeddings]";
  }
}
