package dev.backoff4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backoff4j.testkit.VirtualTime;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code chat} against servers that misbehave on the wire. The client's clock is virtual, moved by
 * the test while the command reads, so a limit of seconds takes milliseconds.
 */
class HostileServerTest {

  private final VirtualTime time = new VirtualTime();

  /**
   * Runs the command and, once the stream has printed its first text (the attempt is over), moves
   * virtual time 100 ms every 2 ms; fails if the command does not end within 5 s real.
   */
  private Cli.Result runMovingTimeOnceStreaming(String... args) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> {
      CommandLine commandLine = Main.commandLine(name -> null, time);
      commandLine.setOut(new PrintWriter(out, true));
      commandLine.setErr(new PrintWriter(err, true));
      return commandLine.execute(args);
    });
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!run.isDone()) {
      assertThat(System.nanoTime()).as("the command still runs after 5 s").isLessThan(end);
      if (!out.toString().isEmpty()) {
        time.advance(Duration.ofMillis(100));
      }
      Thread.sleep(2);
    }
    return new Cli.Result(run.get(), out.toString(), err.toString());
  }

  @Test
  void aStreamThatSendsOnlyKeepAlivesAfterItsFirstChunkEndsAtTheIdleTimeoutKeepingTheChunk() throws Exception {
    try (HostileServer server = new HostileServer(HostileServer.oneChunkThenKeepAlives())) {
      Cli.Result result = runMovingTimeOnceStreaming("chat", "--base-url", server.baseUrl(), "--stream", "--timeout", "2s",
          "--deadline", "8s", "--max-retries", "2", "hi");

      assertThat(result.exit()).isEqualTo(5);
      assertThat(result.out().strip()).isEqualTo("Hello");
      assertThat(result.err()).contains("error: stream interrupted after 1 event: stream sent no data for 2.00s");
      assertThat(server.requests()).isEqualTo(1);
    }
  }

  @Test
  void aStreamThatNeverEndsIsEndedByTheDeadlineKeepingItsText() throws Exception {
    try (HostileServer server = new HostileServer(HostileServer.endlessChunks())) {
      Cli.Result result = runMovingTimeOnceStreaming("chat", "--base-url", server.baseUrl(), "--stream", "--timeout", "2s",
          "--deadline", "8s", "--max-retries", "2", "hi");

      assertThat(result.exit()).isEqualTo(5);
      assertThat(result.out().strip()).matches("x+");
      assertThat(result.err()).contains("stream still running at the call's deadline (8.00s)");
      assertThat(server.requests()).isEqualTo(1);
    }
  }

  @Test
  void aRedirectSaysWhereItPointsAndIsNotFollowed() throws Exception {
    try (HostileServer server = new HostileServer(HostileServer.redirectTo("https://elsewhere.example/v1/chat/completions"))) {
      Cli.Result result = Cli.run(Map.of(), time, "chat", "--base-url", server.baseUrl(), "hi");

      assertThat(result.exit()).isEqualTo(3);
      assertThat(result.err()).startsWith("error: 307: redirect to https://elsewhere.example/v1/chat/completions, "
          + "not followed");
      assertThat(server.requests()).isEqualTo(1);
    }
  }
}
