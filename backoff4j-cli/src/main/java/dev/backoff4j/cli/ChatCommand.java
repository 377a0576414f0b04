package dev.backoff4j.cli;

import dev.backoff4j.cli.AttemptPrinter.Verbosity;
import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.chat.ChatCompletion;
import dev.backoff4j.openai.chat.ChatCompletionChunk;
import dev.backoff4j.openai.chat.ChatMessage;
import dev.backoff4j.openai.chat.ChatRequest;
import dev.backoff4j.openai.chat.ChatStream;
import dev.backoff4j.openai.errors.OpenAiException;
import dev.backoff4j.openai.errors.StreamInterruptedException;
import dev.backoff4j.retry.event.Succeeded;
import dev.backoff4j.time.Durations;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "chat", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
    sortOptions = false,
    header = "Send a message and print the reply, retrying as needed.",
    description = {
        "Sends MESSAGE to a chat model and prints the reply on stdout. Each failed attempt is one line "
            + "on stderr:",
        "  attempt 1 failed: 429 rate_limit_exceeded (req_abc); retrying in 1.03s (retry-after-ms)",
        "The key comes from $OPENAI_API_KEY; servers on 127.0.0.1 or localhost need none. "
            + "Durations are written like 500ms, 1.5s, 2m.",
        ""},
    exitCodeListHeading = "%nExit codes:%n")
final class ChatCommand implements Callable<Integer> {

  @ParentCommand
  Main main;

  @Spec
  CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "MESSAGE", description = "The message; several words are joined with spaces.")
  List<String> message = new ArrayList<>();

  @Option(names = "--model", paramLabel = "MODEL", defaultValue = "gpt-4o", description = "Model (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--system", paramLabel = "TEXT", description = "A system message sent before MESSAGE.")
  String system;

  @Mixin
  ConnectionOptions connection = new ConnectionOptions();

  @Mixin
  RetryOptions retry = new RetryOptions();

  @Option(names = "--stream", description = "Print the reply token by token as it arrives.")
  boolean stream;

  @Option(names = "--json", description = "Print the whole response JSON instead of the text (with --stream: one line per event).")
  boolean json;

  @Option(names = {"-q", "--quiet"}, description = "Do not print failed attempts; errors are still printed.")
  boolean quiet;

  @Option(names = {"-v", "--verbose"}, description = "Also print each attempt's start and a summary (attempts, waits, request id, tokens).")
  boolean verbose;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (quiet && verbose) {
      throw new ConfigException("--quiet and --verbose cannot be used together");
    }
    AttemptPrinter printer = new AttemptPrinter(err, quiet ? Verbosity.QUIET : verbose ? Verbosity.VERBOSE : Verbosity.NORMAL);
    OpenAiClient client = client(printer);
    if (verbose) {
      err.println("POST " + client.url("/chat/completions") + " model " + model + (stream ? " (stream)" : ""));
      err.flush();
    }
    return send(client, request(), printer, out, err, verbose);
  }

  OpenAiClient client(AttemptPrinter printer) {
    String baseUrl = connection.baseUrl(main.environment());
    String key = connection.apiKey(main.environment(), baseUrl);
    try {
      return OpenAiClient.builder()
          .environment(name -> null)
          .baseUrl(baseUrl)
          .apiKey(key)
          .retryPolicy(retry.policy(printer))
          .build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
  }

  ChatRequest request() {
    List<ChatMessage> messages = new ArrayList<>();
    if (system != null) {
      messages.add(ChatMessage.system(system));
    }
    messages.add(ChatMessage.user(String.join(" ", message)));
    return ChatRequest.of(model, messages);
  }

  /** Sends the request and prints the outcome; returns the exit status. Shared with {@code demo}. */
  int send(OpenAiClient client, ChatRequest request, AttemptPrinter printer, PrintWriter out, PrintWriter err,
      boolean summary) {
    try {
      String replyId;
      String usage = "";
      if (stream) {
        replyId = printStream(client, request, out);
      } else {
        ChatCompletion reply = client.chat().create(request);
        out.println(json ? reply.raw().toString() : reply.text());
        out.flush();
        replyId = reply.id();
        usage = reply.usage() == null ? "" : ", " + reply.usage().promptTokens() + " prompt + "
            + reply.usage().completionTokens() + " completion tokens";
      }
      if (summary) {
        Succeeded done = printer.success();
        if (done != null) {
          err.println("done: " + done.attempts() + (done.attempts() == 1 ? " attempt" : " attempts") + " in "
              + Durations.format(done.elapsed()) + ", waited " + Durations.format(done.totalWaited())
              + (replyId == null ? "" : ", id " + replyId) + usage);
          err.flush();
        }
      }
      return ExitCodes.OK;
    } catch (OpenAiException e) {
      if (e instanceof StreamInterruptedException && !json) {
        out.println();
        out.flush();
      }
      Failures.print(e, err);
      return Failures.exitCode(e);
    }
  }

  private String printStream(OpenAiClient client, ChatRequest request, PrintWriter out) {
    try (ChatStream chunks = client.chat().stream(request)) {
      for (ChatCompletionChunk chunk : chunks) {
        out.print(json ? chunk.raw().toString() + "\n" : chunk.text());
        out.flush();
      }
      if (!json) {
        out.println();
        out.flush();
      }
      return chunks.chunks().isEmpty() ? null : chunks.chunks().get(0).id();
    }
  }
}
