package dev.backoff4j.openai.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backoff4j.openai.chat.ChatCompletion;
import dev.backoff4j.openai.chat.ChatCompletions;
import dev.backoff4j.openai.chat.ChatRequest;
import dev.backoff4j.openai.chat.ChatStream;
import dev.backoff4j.openai.embeddings.EmbeddingRequest;
import dev.backoff4j.openai.embeddings.EmbeddingResponse;
import dev.backoff4j.openai.embeddings.Embeddings;
import dev.backoff4j.openai.models.Model;
import dev.backoff4j.openai.models.Models;
import dev.backoff4j.openai.responses.ModelResponse;
import dev.backoff4j.openai.responses.ResponseRequest;
import dev.backoff4j.openai.responses.ResponseStream;
import dev.backoff4j.openai.responses.Responses;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The lean client's endpoints, each a few lines over {@link ApiCaller}. */
public final class LeanEndpoints {

  private LeanEndpoints() {}

  public static ChatCompletions chat(ApiCaller api) {
    return new Chat(api);
  }

  public static Embeddings embeddings(ApiCaller api) {
    return new EmbeddingsEndpoint(api);
  }

  public static Models models(ApiCaller api) {
    return new ModelsEndpoint(api);
  }

  public static Responses responses(ApiCaller api) {
    return new ResponsesEndpoint(api);
  }

  private record Chat(ApiCaller api) implements ChatCompletions {
    private static final String PATH = "/chat/completions";

    @Override
    public ChatCompletion create(ChatRequest request) {
      return api.call(api.post(PATH, request.toJson()), ChatCompletion::from);
    }

    @Override
    public CompletableFuture<ChatCompletion> createAsync(ChatRequest request) {
      return api.callAsync(api.post(PATH, request.toJson()), ChatCompletion::from);
    }

    @Override
    public ChatStream stream(ChatRequest request) {
      return api.stream(api.post(PATH, streaming(request)), ChatStream::of);
    }

    @Override
    public CompletableFuture<ChatStream> streamAsync(ChatRequest request) {
      return api.streamAsync(api.post(PATH, streaming(request)), ChatStream::of);
    }

    private static ObjectNode streaming(ChatRequest request) {
      return request.toJson().put("stream", true);
    }

    @Override
    public String toString() {
      return "ChatCompletions[" + api.pipeline().baseUrl() + "]";
    }
  }

  private record ResponsesEndpoint(ApiCaller api) implements Responses {
    private static final String PATH = "/responses";

    @Override
    public ModelResponse create(ResponseRequest request) {
      return api.call(api.post(PATH, request.toJson()), ModelResponse::from);
    }

    @Override
    public CompletableFuture<ModelResponse> createAsync(ResponseRequest request) {
      return api.callAsync(api.post(PATH, request.toJson()), ModelResponse::from);
    }

    @Override
    public ResponseStream stream(ResponseRequest request) {
      return api.stream(api.post(PATH, streaming(request)), ResponseStream::of);
    }

    @Override
    public CompletableFuture<ResponseStream> streamAsync(ResponseRequest request) {
      return api.streamAsync(api.post(PATH, streaming(request)), ResponseStream::of);
    }

    private static ObjectNode streaming(ResponseRequest request) {
      return request.toJson().put("stream", true);
    }

    @Override
    public String toString() {
      return "Responses[" + api.pipeline().baseUrl() + "]";
    }
  }

  private record EmbeddingsEndpoint(ApiCaller api) implements Embeddings {
    private static final String PATH = "/embeddings";

    @Override
    public EmbeddingResponse create(EmbeddingRequest request) {
      return api.call(api.post(PATH, request.toJson()), EmbeddingResponse::from);
    }

    @Override
    public CompletableFuture<EmbeddingResponse> createAsync(EmbeddingRequest request) {
      return api.callAsync(api.post(PATH, request.toJson()), EmbeddingResponse::from);
    }

    @Override
    public String toString() {
      return "Embeddings[" + api.pipeline().baseUrl() + "]";
    }
  }

  private record ModelsEndpoint(ApiCaller api) implements Models {
    private static final String PATH = "/models";

    @Override
    public List<Model> list() {
      return api.call(api.get(PATH), ModelsEndpoint::parse);
    }

    @Override
    public CompletableFuture<List<Model>> listAsync() {
      return api.callAsync(api.get(PATH), ModelsEndpoint::parse);
    }

    private static List<Model> parse(com.fasterxml.jackson.databind.JsonNode json) {
      return Nodes.list(Nodes.object(json, "model list"), "data", true, Model::from);
    }

    @Override
    public String toString() {
      return "Models[" + api.pipeline().baseUrl() + "]";
    }
  }
}
