package dev.backoff4j.openai.batch;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A batch input file (or an existing output file being resumed) has lines that cannot be used. Thrown
 * before any request is sent, listing every problem with its line number.
 */
public class InvalidBatchFileException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** How many problems the message lists; {@link #problems()} has them all. */
  static final int LISTED = 20;

  private final transient Path file;
  private final transient List<BatchFileProblem> problems;

  public InvalidBatchFileException(Path file, List<BatchFileProblem> problems) {
    super(message(file, problems));
    this.file = file;
    this.problems = List.copyOf(problems);
  }

  public Path file() {
    return file;
  }

  /** Every problem found, in line order. */
  public List<BatchFileProblem> problems() {
    return problems;
  }

  private static String message(Path file, List<BatchFileProblem> problems) {
    String head = file + ": " + problems.size() + (problems.size() == 1 ? " invalid line" : " invalid lines");
    String listed = problems.stream().limit(LISTED).map(p -> "  " + p).collect(Collectors.joining("\n"));
    String more = problems.size() > LISTED ? "\n  ... and " + (problems.size() - LISTED) + " more" : "";
    return head + "\n" + listed + more;
  }
}
