package dev.backoff4j.cli;

/** The command's exit statuses; {@link #HELP} is what every {@code --help} lists. */
final class ExitCodes {

  static final int OK = 0;
  static final int UNEXPECTED = 1;
  static final int USAGE = 2;
  static final int REJECTED = 3;
  static final int GAVE_UP = 4;
  static final int STREAM_INTERRUPTED = 5;

  static final String[] HELP = {
      "0:success",
      "1:unexpected internal error (a bug; please report it)",
      "2:usage or configuration error (bad option, missing OPENAI_API_KEY, invalid batch file)",
      "3:rejected and not retried (4xx, quota, x-should-retry: false, a reply that is not an OpenAI response)",
      "4:gave up (retries, retry budget or deadline exhausted, or a wait longer than allowed); "
          + "batch: some requests ended in error",
      "5:stream interrupted after text had arrived (the partial text was printed)",
  };

  private ExitCodes() {}
}
