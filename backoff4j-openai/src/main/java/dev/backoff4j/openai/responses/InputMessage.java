package dev.backoff4j.openai.responses;

import java.util.Objects;

/**
 * One message of a Responses API {@code input}, {@code {"role": ..., "content": "..."}}. Items of other
 * kinds (images, files, function call outputs, earlier output items) go in as JSON through
 * {@link ResponseRequest#ofItems}.
 *
 * @param role {@code user}, {@code assistant}, {@code system} or {@code developer}
 * @param content the text
 */
public record InputMessage(String role, String content) {

  public InputMessage {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(content, "content");
  }

  public static InputMessage user(String content) {
    return new InputMessage("user", content);
  }

  public static InputMessage assistant(String content) {
    return new InputMessage("assistant", content);
  }

  public static InputMessage system(String content) {
    return new InputMessage("system", content);
  }

  public static InputMessage developer(String content) {
    return new InputMessage("developer", content);
  }

  /** Role and length only: content is the user's prompt. */
  @Override
  public String toString() {
    return "InputMessage[" + role + ", " + content.length() + " chars]";
  }
}
