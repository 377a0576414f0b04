package dev.backoff4j.openai.models;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backoff4j.openai.internal.Nodes;
import dev.backoff4j.openai.internal.ShapeException;

/** A model the API offers. */
public record Model(String id, String ownedBy, long created, JsonNode raw) {

  /** Reads one entry of {@code GET /models}; the client turns a wrong shape into a MalformedResponseException. */
  public static Model from(JsonNode node) {
    Nodes.object(node, "model");
    String id = Nodes.text(node, "id");
    if (id == null) {
      throw new ShapeException("model without 'id'");
    }
    return new Model(id, Nodes.text(node, "owned_by"), Nodes.number(node, "created"), node);
  }

  @Override
  public String toString() {
    return "Model[" + id + "]";
  }
}
