package dev.backoff4j.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Keeps every {@code ```java} block of the project's Markdown files equal to a tagged region of this
 * module's test sources, where the code is compiled and run.
 *
 * <p>A README block is named by an HTML comment on the line right before its fence:
 *
 * <pre>
 * &lt;!-- snippet: chat-quickstart --&gt;
 * ```java
 * ...
 * ```
 * </pre>
 *
 * and its text is the region between {@code // tag::chat-quickstart[]} and
 * {@code // end::chat-quickstart[]} in a file under {@code backoff4j-docs/src/test/java}. A region
 * may be opened and closed several times in one file (typically once around the imports it needs and
 * once around the code): each fragment loses its common indentation, and the fragments are joined
 * with one blank line. Marker lines of other regions inside a region are left out.
 *
 * <p>Problems: a Java block without a marker, a marker naming no region or followed by no Java block,
 * a block that differs from its region, a region no README uses, and malformed tags.
 *
 * <p>Runs without compiling anything (JDK only), which is how {@code scripts/sync-readme-snippets}
 * uses it: {@code java ReadmeSnippets.java [--write] [ROOT]} checks (or rewrites) the READMEs under
 * ROOT (default: the current directory).
 */
public final class ReadmeSnippets {

  /** Where the regions live, relative to the repository root. */
  public static final Path SOURCES = Path.of("backoff4j-docs", "src", "test", "java");

  private static final Pattern MARKER = Pattern.compile("^\\s*<!--\\s*snippet:\\s*([a-z0-9][a-z0-9-]*)\\s*-->\\s*$");
  private static final Pattern LOOSE_MARKER = Pattern.compile("<!--\\s*snippet\\b");
  private static final Pattern TAG = Pattern.compile("^\\s*//\\s*(tag|end)::([^\\[\\s]*)\\[\\]\\s*$");
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
  private static final Set<String> SKIPPED_DIRECTORIES = Set.of("target", "node_modules");

  private ReadmeSnippets() {}

  /** Exit status 0 when every block matches (or, with {@code --write}, was rewritten), 1 otherwise. */
  public static void main(String[] args) throws IOException {
    boolean write = false;
    Path root = Path.of(".");
    for (String arg : args) {
      if (arg.equals("--write")) {
        write = true;
      } else if (arg.startsWith("-")) {
        System.err.println("usage: ReadmeSnippets [--write] [ROOT]");
        System.exit(2);
      } else {
        root = Path.of(arg);
      }
    }
    List<String> problems;
    if (write) {
      Result result = sync(root, true);
      for (Path changed : result.changed()) {
        System.out.println("rewrote " + root.relativize(changed));
      }
      problems = result.problems();
    } else {
      problems = check(root);
    }
    problems.forEach(System.err::println);
    System.exit(problems.isEmpty() ? 0 : 1);
  }

  /** Every problem found under {@code root}; empty when the READMEs are in step. Changes nothing. */
  public static List<String> check(Path root) throws IOException {
    return sync(root, false).problems();
  }

  /**
   * Checks, and with {@code write} replaces each block that differs by its region. Blocks that cannot
   * be resolved (no marker, unknown name) are reported and left as they are.
   */
  public static Result sync(Path root, boolean write) throws IOException {
    List<String> problems = new ArrayList<>();
    Map<String, Region> regions = regions(root, problems);
    Set<String> used = new TreeSet<>();
    List<Path> changed = new ArrayList<>();
    for (Path markdown : markdownFiles(root)) {
      List<String> lines = Files.readAllLines(markdown, StandardCharsets.UTF_8);
      List<String> rewritten = new ArrayList<>(lines);
      String where = root.relativize(markdown).toString();
      List<Block> blocks = javaBlocks(where, lines, problems);
      // From the last block up, so earlier line numbers stay valid while replacing.
      for (int b = blocks.size() - 1; b >= 0; b--) {
        Block block = blocks.get(b);
        if (block.name() == null) {
          continue;
        }
        Region region = regions.get(block.name());
        if (region == null) {
          problems.add(where + ":" + block.fenceLine() + ": snippet '" + block.name()
              + "' has no region: add // tag::" + block.name() + "[] ... // end::" + block.name()
              + "[] to a file under " + SOURCES);
          continue;
        }
        used.add(block.name());
        List<String> body = lines.subList(block.firstLine(), block.endLine());
        if (!body.equals(region.lines())) {
          if (write) {
            rewritten.subList(block.firstLine(), block.endLine()).clear();
            rewritten.addAll(block.firstLine(), region.lines());
          } else {
            problems.add(where + ":" + block.fenceLine() + ": snippet '" + block.name()
                + "' differs from its region in " + region.file() + " " + firstDifference(body, region.lines())
                + "; run scripts/sync-readme-snippets");
          }
        }
      }
      if (write && !rewritten.equals(lines)) {
        Files.write(markdown, rewritten, StandardCharsets.UTF_8);
        changed.add(markdown);
      }
    }
    for (Map.Entry<String, Region> region : regions.entrySet()) {
      if (!used.contains(region.getKey())) {
        problems.add(region.getValue().file() + ": region '" + region.getKey()
            + "' is in no README: add <!-- snippet: " + region.getKey() + " --> before a ```java block, or remove the tags");
      }
    }
    return new Result(List.copyOf(problems), List.copyOf(changed));
  }

  /** The outcome of {@link #sync}: problems left, and the files rewritten. */
  public record Result(List<String> problems, List<Path> changed) {}

  /** A region's text and the file it came from (relative to the root). */
  public record Region(String file, List<String> lines) {}

  /** A Java block: its 1-based fence line, its marker name (null if unmarked), and its body's 0-based line range. */
  record Block(int fenceLine, String name, int firstLine, int endLine) {}

  /** Every region of every {@code .java} file under {@code root/}{@link #SOURCES}, by name. */
  public static Map<String, Region> regions(Path root, List<String> problems) throws IOException {
    Map<String, Region> regions = new LinkedHashMap<>();
    Path sources = root.resolve(SOURCES);
    if (!Files.isDirectory(sources)) {
      problems.add(SOURCES + ": no such directory under " + root.toAbsolutePath().normalize());
      return regions;
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(sources)) {
      files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
    for (Path file : files) {
      String where = root.relativize(file).toString();
      for (Map.Entry<String, List<String>> region :
          regions(where, Files.readAllLines(file, StandardCharsets.UTF_8), problems).entrySet()) {
        Region previous = regions.putIfAbsent(region.getKey(), new Region(where, region.getValue()));
        if (previous != null) {
          problems.add(where + ": region '" + region.getKey() + "' is also in " + previous.file()
              + ": a region lives in one file");
        }
      }
    }
    return regions;
  }

  /** The regions of one source file, by name, in the order they first open. */
  static Map<String, List<String>> regions(String where, List<String> lines, List<String> problems) {
    Map<String, List<List<String>>> fragments = new LinkedHashMap<>();
    Map<String, Integer> open = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher tag = TAG.matcher(lines.get(i));
      if (!tag.matches()) {
        for (String name : open.keySet()) {
          List<List<String>> list = fragments.get(name);
          list.get(list.size() - 1).add(lines.get(i));
        }
        continue;
      }
      String name = tag.group(2);
      int line = i + 1;
      if (!NAME.matcher(name).matches()) {
        problems.add(where + ":" + line + ": region name '" + name + "' must be lower-case letters, digits and '-'");
      } else if (tag.group(1).equals("tag")) {
        if (open.putIfAbsent(name, line) != null) {
          problems.add(where + ":" + line + ": region '" + name + "' is opened again before it is closed");
        } else {
          fragments.computeIfAbsent(name, n -> new ArrayList<>()).add(new ArrayList<>());
        }
      } else if (open.remove(name) == null) {
        problems.add(where + ":" + line + ": end::" + name + "[] without a tag::" + name + "[] before it");
      }
    }
    open.forEach((name, line) ->
        problems.add(where + ":" + line + ": region '" + name + "' is never closed with // end::" + name + "[]"));
    Map<String, List<String>> regions = new LinkedHashMap<>();
    fragments.forEach((name, parts) -> {
      List<String> joined = new ArrayList<>();
      for (List<String> part : parts) {
        List<String> text = dedent(part);
        if (text.isEmpty()) {
          continue;
        }
        if (!joined.isEmpty()) {
          joined.add("");
        }
        joined.addAll(text);
      }
      regions.put(name, List.copyOf(joined));
    });
    return regions;
  }

  /**
   * The {@code ```java} blocks of one Markdown file. Fences of other languages are skipped whole, so a
   * Java fence quoted inside them does not count. An unmarked block, a marker not followed by a Java
   * block, and an unterminated block are reported.
   */
  static List<Block> javaBlocks(String where, List<String> lines, List<String> problems) {
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      String trimmed = line.strip();
      Matcher marker = MARKER.matcher(line);
      if (marker.matches()) {
        boolean javaNext = i + 1 < lines.size() && lines.get(i + 1).strip().equals("```java");
        if (!javaNext) {
          problems.add(where + ":" + (i + 1) + ": snippet marker '" + marker.group(1)
              + "' must be followed directly by a ```java line");
        }
        continue;
      }
      if (LOOSE_MARKER.matcher(line).find()) {
        problems.add(where + ":" + (i + 1) + ": malformed snippet marker (write <!-- snippet: some-name -->): " + trimmed);
        continue;
      }
      int fence = backticks(trimmed);
      if (fence < 3) {
        continue;
      }
      int end = i + 1;
      while (end < lines.size() && !closes(lines.get(end).strip(), fence)) {
        end++;
      }
      if (end == lines.size()) {
        problems.add(where + ":" + (i + 1) + ": code block is never closed");
        return blocks;
      }
      if (trimmed.equals("```java")) {
        Matcher previous = i > 0 ? MARKER.matcher(lines.get(i - 1)) : null;
        String name = previous != null && previous.matches() ? previous.group(1) : null;
        if (name == null) {
          problems.add(where + ":" + (i + 1) + ": ```java block without a <!-- snippet: NAME --> line before it;"
              + " every Java block must be compiled and run from a region in " + SOURCES);
        }
        blocks.add(new Block(i + 1, name, i + 1, end));
      }
      i = end;
    }
    return blocks;
  }

  private static int backticks(String line) {
    int n = 0;
    while (n < line.length() && line.charAt(n) == '`') {
      n++;
    }
    return n;
  }

  /** A closing fence: only backticks, at least as many as the opening one. */
  private static boolean closes(String line, int fence) {
    return backticks(line) >= fence && backticks(line) == line.length();
  }

  /** Removes the indentation common to the non-blank lines, trailing blanks, and leading and trailing blank lines. */
  static List<String> dedent(List<String> lines) {
    int indent = Integer.MAX_VALUE;
    for (String line : lines) {
      if (!line.isBlank()) {
        indent = Math.min(indent, line.length() - line.stripLeading().length());
      }
    }
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      out.add(line.isBlank() ? "" : line.substring(indent).stripTrailing());
    }
    while (!out.isEmpty() && out.get(0).isEmpty()) {
      out.remove(0);
    }
    while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1);
    }
    return out;
  }

  /** Every {@code *.md} file under {@code root}, outside build output, dependencies and hidden directories. */
  static List<Path> markdownFiles(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk
          .filter(p -> p.toString().endsWith(".md") && Files.isRegularFile(p))
          .filter(p -> {
            for (Path part : root.relativize(p)) {
              String name = part.toString();
              if (name.startsWith(".") || SKIPPED_DIRECTORIES.contains(name)) {
                return false;
              }
            }
            return true;
          })
          .sorted()
          .toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static String firstDifference(List<String> readme, List<String> region) {
    int i = 0;
    while (i < readme.size() && i < region.size() && readme.get(i).equals(region.get(i))) {
      i++;
    }
    String inReadme = i < readme.size() ? "'" + readme.get(i) + "'" : "(end of block)";
    String inRegion = i < region.size() ? "'" + region.get(i) + "'" : "(end of region)";
    return "at block line " + (i + 1) + ": README has " + inReadme + ", region has " + inRegion;
  }
}
