package dev.backoff4j.openai;

import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.List;
import org.quicktheories.QuickTheory;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Generators of what a server may send, for the property tests of every parser that reads server
 * input (QuickTheories, on a fixed seed, so a run is repeatable and a failure comes with its shrunk
 * example): any text at all, and text built from the pieces the parsers look for, which random text
 * rarely hits.
 */
public final class ServerInput {

  /** Pieces of durations, numbers, dates and messages, and ways to break them. */
  private static final List<String> PIECES = List.of("0", "1", "5", "9", "12", "60", "1000", "-", "+", ".", ",",
      " ", "\t", "e", "E", "e9", "ms", "s", "m", "h", "us", "µs", "μs", "ns", "d", "NaN", "Infinity",
      "99999999999999999999", "9223372036854775807", "1e400", "0x10", "Tue, 01 Jan 2030 00:00:00 GMT",
      "Wed, 31 Dec 1969 23:59:59 GMT", "GMT", "try again in ", "Please try again in ", "Try Again In ", "\u0000",
      "\uFFFD", "é", "sk-proj-ABCDEFGH", "[", "]", "{", "}", "\"", ":", "null");

  private ServerInput() {}

  /** The theory runner: 2,000 examples per property on a fixed seed. */
  public static QuickTheory qt() {
    return QuickTheory.qt().withFixedSeed(20_260_101L).withExamples(2_000);
  }

  /** Any text up to 40 code points, or text made of the parsers' own pieces. */
  public static Gen<String> text() {
    Gen<String> any = strings().allPossible().ofLengthBetween(0, 40);
    Gen<String> pieces = lists().of(arbitrary().pick(PIECES)).ofSizeBetween(0, 8).map(parts -> String.join("", parts));
    return Generate.oneOf(any, pieces, pieces);
  }

  /** {@link #text()}, or absent ({@code null}). */
  public static Gen<String> maybeText() {
    return Generate.oneOf(text(), text(), arbitrary().constant((String) null));
  }

  /** Any bytes up to 300. */
  public static Gen<byte[]> bytes() {
    return Generate.byteArrays(integers().between(0, 300), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0));
  }
}
