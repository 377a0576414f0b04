package dev.backoff4j.openai.batch;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A batch input file (or an existing output file being resumed) has lines that cannot be used. Thrown
 * before any request is sent, listing the problems with their line numbers; neither file was changed.
 */
public class InvalidBatchFileException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** How many problems the message lists; {@link #problems()} has more. */
  static final int LISTED = 20;

  /** How many problems are kept, so a wrong file of millions of lines does not fill the memory. */
  public static final int KEPT = 1_000;

  private final transient Path file;
  private final transient List<BatchFileProblem> problems;
  private final long total;

  public InvalidBatchFileException(Path file, List<BatchFileProblem> problems) {
    this(file, problems, problems.size(), null);
  }

  /**
   * @param problems the first problems found, in line order (at most {@link #KEPT} are kept)
   * @param total how many problems were found in all, at least {@code problems.size()}
   * @param context what the file is not, put before the count (e.g. {@code not a batch output of in.jsonl}),
   *     or {@code null}
   */
  public InvalidBatchFileException(Path file, List<BatchFileProblem> problems, long total, String context) {
    super(message(file, problems, Math.max(total, problems.size()), context));
    this.file = file;
    this.problems = List.copyOf(problems.subList(0, Math.min(problems.size(), KEPT)));
    this.total = Math.max(total, problems.size());
  }

  public Path file() {
    return file;
  }

  /** The problems found, in line order: all of them, or the first {@link #KEPT} when {@link #total()} is more. */
  public List<BatchFileProblem> problems() {
    return problems;
  }

  /** How many problems were found. */
  public long total() {
    return total;
  }

  private static String message(Path file, List<BatchFileProblem> problems, long total, String context) {
    String head = file + ": " + (context == null ? "" : context + ": ") + total
        + (total == 1 ? " invalid line" : " invalid lines");
    String listed = problems.stream().limit(LISTED).map(p -> "  " + p).collect(Collectors.joining("\n"));
    String more = total > LISTED ? "\n  ... and " + (total - LISTED) + " more" : "";
    return head + "\n" + listed + more;
  }
}
