package dev.backoff4j.openai.batch;

/**
 * Something wrong with one line of a batch file.
 *
 * @param line the 1-based line number
 * @param message what is wrong, without the line's content (it may hold a prompt)
 */
public record BatchFileProblem(int line, String message) {

  @Override
  public String toString() {
    return "line " + line + ": " + message;
  }
}
