package dev.backoff4j.bench.scenarios;

/** The one chat request every contender sends, the same bytes in substance. */
final class Payload {

  static final String MODEL = "gpt-4o-mini";
  /** 64 characters: 16 prompt tokens by the mock's count (one per four characters). */
  static final String PROMPT = "Summarise why clients should back off when an API is overloaded.";
  static final int MAX_COMPLETION_TOKENS = 20;
  /** What the mock charges per request: prompt + max_completion_tokens. */
  static final int MOCK_TOKENS_PER_REQUEST = (PROMPT.length() + 3) / 4 + MAX_COMPLETION_TOKENS;
  static final String API_KEY = "sk-bench-scenarios";

  private Payload() {}
}
