package dev.backoff4j.mock.internal;

/**
 * The mock's token estimate: one token per four characters, rounded up, as OpenAI's rule of thumb
 * for English. Cheap and deterministic; the rate limiter only needs the right order of magnitude
 * (the backoff4j client uses a real tokenizer).
 */
public final class Tokens {
  private Tokens() {}

  /** Tokens for {@code chars} characters: 0 for 0, otherwise {@code ceil(chars / 4)}. */
  public static long estimate(long chars) {
    return (Math.max(0, chars) + 3) / 4;
  }
}
