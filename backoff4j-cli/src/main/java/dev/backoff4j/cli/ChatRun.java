package dev.backoff4j.cli;

import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.chat.ChatCompletion;
import dev.backoff4j.openai.chat.ChatCompletionChunk;
import dev.backoff4j.openai.chat.ChatMessage;
import dev.backoff4j.openai.chat.ChatRequest;
import dev.backoff4j.openai.chat.ChatStream;
import dev.backoff4j.openai.errors.OpenAiException;
import dev.backoff4j.openai.errors.StreamInterruptedException;
import dev.backoff4j.openai.responses.ModelResponse;
import dev.backoff4j.openai.responses.ResponseRequest;
import dev.backoff4j.openai.responses.ResponseStream;
import dev.backoff4j.openai.responses.ResponseStreamEvent;
import dev.backoff4j.openai.responses.ResponseUsage;
import dev.backoff4j.openai.spi.Credentials;
import dev.backoff4j.retry.event.Succeeded;
import dev.backoff4j.time.Durations;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * One chat call and how its outcome is printed: what {@code chat} runs for the user's flags and
 * {@code demo} runs with the defaults, so the two cannot print differently. With {@code responses}
 * the call goes to the Responses API ({@code POST /responses}): the system message becomes its
 * {@code instructions}, the message its {@code input}; the output is printed the same way.
 *
 * @param model the model to ask
 * @param system a system message, or {@code null}
 * @param message the user's message
 * @param stream whether to stream the reply
 * @param json whether to print the raw JSON instead of the text
 * @param summary whether to end with a {@code done: ...} line on stderr
 * @param responses whether to use the Responses API instead of chat completions
 */
record ChatRun(String model, String system, String message, boolean stream, boolean json, boolean summary,
    boolean responses) {

  static final String DEFAULT_MODEL = "gpt-4o";

  /** A chat completions run. */
  ChatRun(String model, String system, String message, boolean stream, boolean json, boolean summary) {
    this(model, system, message, stream, json, summary, false);
  }

  /** The API path the run posts to, for the verbose header line. */
  String path() {
    return responses ? "/responses" : "/chat/completions";
  }

  ChatRequest request() {
    List<ChatMessage> messages = new ArrayList<>();
    if (system != null) {
      messages.add(ChatMessage.system(system));
    }
    messages.add(ChatMessage.user(message));
    return ChatRequest.of(model, messages);
  }

  ResponseRequest responseRequest() {
    ResponseRequest request = ResponseRequest.of(model, message);
    return system == null ? request : request.instructions(system);
  }

  /** Sends the request and prints the outcome; returns the exit status. */
  int run(OpenAiClient client, AttemptPrinter printer, PrintWriter out, PrintWriter err) {
    List<String> credentials = Credentials.of(client.pipeline());
    try {
      String replyId;
      String usage = "";
      if (responses && stream) {
        ModelResponse last = printResponseStream(client, out, credentials);
        replyId = last == null ? null : last.id();
        usage = usage(last == null ? null : last.usage());
      } else if (responses) {
        ModelResponse reply = client.responses().create(responseRequest());
        out.println(Credentials.mask(json ? reply.raw().toString() : reply.outputText(), credentials));
        out.flush();
        replyId = reply.id();
        usage = usage(reply.usage());
      } else if (stream) {
        replyId = printStream(client, out, credentials);
      } else {
        ChatCompletion reply = client.chat().create(request());
        out.println(Credentials.mask(json ? reply.raw().toString() : reply.text(), credentials));
        out.flush();
        replyId = reply.id();
        usage = reply.usage() == null ? "" : ", " + reply.usage().promptTokens() + " prompt + "
            + reply.usage().completionTokens() + " completion tokens";
      }
      Succeeded done = printer.success();
      if (summary && done != null) {
        err.println("done: " + done.attempts() + (done.attempts() == 1 ? " attempt" : " attempts") + " in "
            + Durations.format(done.elapsed()) + ", waited " + Durations.format(done.totalWaited())
            + (replyId == null ? "" : ", id " + replyId) + usage);
        err.flush();
      }
      return ExitCodes.OK;
    } catch (OpenAiException e) {
      if (e instanceof StreamInterruptedException && !json) {
        out.println();
        out.flush();
      }
      Failures.print(e, err, credentials);
      return Failures.exitCode(e);
    } catch (OutOfMemoryError e) {
      // Never retried (another attempt would need the same memory); said in one line, not a stack trace.
      err.println("error: out of memory while receiving the reply: the JVM's heap is too small for it "
          + "(raise -Xmx; responses up to 256 MiB are accepted)");
      err.flush();
      return ExitCodes.UNEXPECTED;
    }
  }

  private static String usage(ResponseUsage usage) {
    return usage == null ? "" : ", " + usage.inputTokens() + " input + " + usage.outputTokens() + " output tokens";
  }

  /** Each chunk masked on its own: a key split across two chunks would not be, but a server echoing one is rare. */
  private String printStream(OpenAiClient client, PrintWriter out, List<String> credentials) {
    try (ChatStream chunks = client.chat().stream(request())) {
      for (ChatCompletionChunk chunk : chunks) {
        out.print(Credentials.mask(json ? chunk.raw().toString() + "\n" : chunk.text(), credentials));
        out.flush();
      }
      if (!json) {
        out.println();
        out.flush();
      }
      return chunks.chunks().isEmpty() ? null : chunks.chunks().get(0).id();
    }
  }

  /** Prints the text deltas (with {@code --json}: every event, one per line); returns the final response. */
  private ModelResponse printResponseStream(OpenAiClient client, PrintWriter out, List<String> credentials) {
    try (ResponseStream events = client.responses().stream(responseRequest())) {
      for (ResponseStreamEvent event : events) {
        String piece = Credentials.mask(json ? event.raw().toString() + "\n" : event.delta(), credentials);
        if (!piece.isEmpty()) {
          out.print(piece);
          out.flush();
        }
      }
      if (!json) {
        out.println();
        out.flush();
      }
      return events.response().orElse(null);
    }
  }
}
