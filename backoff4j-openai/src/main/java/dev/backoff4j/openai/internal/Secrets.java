package dev.backoff4j.openai.internal;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.backoff4j.openai.http.Headers;
import dev.backoff4j.openai.http.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Keeps credentials out of everything that leaves the process: exception messages, error bodies and
 * their {@code code}/{@code type}/{@code param}, batch output lines, CLI output, logs. There is one
 * masking rule, {@link #mask(String, Iterable)}; {@link #compile(Iterable)} is the same rule prepared
 * once for many texts.
 *
 * <p>The rule: every credential the request carried is replaced by {@code ***} wherever it appears —
 * as sent, JSON-escaped (also with {@code \/}), or URL-encoded (hex digits in either case) — including
 * a credential cut off at the very end of the text (a body read up to a size limit); then anything
 * shaped like an OpenAI key ({@code sk-} after a non-key character, followed by at least 8 key
 * characters, as in {@code sk-proj-****abcd}) becomes {@code sk-***}, because a server may echo only
 * part of a key. Credentials shorter than {@value #MIN_SECRET_LENGTH} characters are not searched
 * for (masking them would mangle ordinary text and they protect nothing).
 */
public final class Secrets {

  /** What replaces a credential. */
  public static final String MASK = "***";

  /** Credentials shorter than this are not masked. */
  static final int MIN_SECRET_LENGTH = 6;

  /** A cut-off credential at the end of a text is masked when at least this much of it is there. */
  private static final int MIN_CUT_PREFIX = 6;

  /** Key characters after {@code sk-} for text to count as key-shaped. */
  private static final int KEY_SHAPED_LENGTH = 8;

  private static final Secrets NONE = new Secrets(List.of());

  private final List<Form> forms;
  /** The forms matched literally, longest first; searched with {@code indexOf}, which is fast. */
  private final List<String> literal;
  /** The URL-encoded forms, whose hex digits may be in either case; only tried on text with a {@code %}. */
  private final Pattern urlEncoded;
  /** The forms checked for a cut-off end: those that do not contain another form. */
  private final List<String> cuttable;

  private Secrets(List<Form> forms) {
    this.forms = forms;
    this.literal = forms.stream().filter(form -> !form.urlEncoded()).map(Form::text)
        .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    List<Form> encoded = forms.stream().filter(Form::urlEncoded).toList();
    this.urlEncoded = encoded.isEmpty() ? null
        : Pattern.compile(encoded.stream().map(Form::regex).collect(Collectors.joining("|")));
    this.cuttable = forms.stream().map(Form::text)
        .filter(text -> forms.stream().noneMatch(other -> !other.text().equals(text) && text.contains(other.text())))
        .toList();
  }

  /** The credentials a request carried (an Azure {@code api-key}, a bearer token and its bare key). */
  public static List<String> of(Headers requestHeaders) {
    List<String> secrets = new ArrayList<>();
    requestHeaders.first("api-key").ifPresent(secrets::add);
    requestHeaders.first("authorization").ifPresent(value -> {
      secrets.add(value);
      if (value.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
        secrets.add(value.substring(7).trim());
      }
    });
    return secrets;
  }

  /** {@code text} with every secret, and anything shaped like an OpenAI key, masked (see the class doc). */
  public static String mask(String text, Iterable<String> secrets) {
    return compile(secrets).mask(text);
  }

  /**
   * {@code text} from or about {@code response}, as it may leave the process: the credentials of the
   * request it answers masked (a server may echo them).
   */
  public static String maskFor(Response response, String text) {
    return mask(text, of(response.request().headers()));
  }

  /** {@code bytes} (any encoding, UTF-8 or not) masked by the same rule; the other bytes are kept as they are. */
  public static byte[] mask(byte[] bytes, Iterable<String> secrets) {
    return compile(secrets).mask(bytes);
  }

  /** The rule for {@code secrets}, prepared once; {@code null} and too short entries are ignored. */
  public static Secrets compile(Iterable<String> secrets) {
    Set<Form> forms = new LinkedHashSet<>();
    for (String secret : secrets) {
      if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
        continue;
      }
      forms.add(new Form(secret, false));
      String json = new String(JsonStringEncoder.getInstance().quoteAsString(secret));
      forms.add(new Form(json, false));
      forms.add(new Form(json.replace("/", "\\/"), false));
      String url = URLEncoder.encode(secret, StandardCharsets.UTF_8);
      if (!url.equals(secret)) {
        forms.add(new Form(url, true));
      }
    }
    return forms.isEmpty() ? NONE : new Secrets(List.copyOf(forms));
  }

  /** {@code text} masked; {@code null} stays {@code null}. */
  public String mask(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String masked = text;
    for (String form : literal) {
      if (masked.contains(form)) {
        masked = masked.replace(form, MASK);
      }
    }
    if (urlEncoded != null && masked.indexOf('%') >= 0) {
      masked = urlEncoded.matcher(masked).replaceAll(Matcher.quoteReplacement(MASK));
    }
    masked = maskCutEnd(masked);
    return maskKeyShaped(masked);
  }

  /**
   * {@code sk-} not preceded by a key character (so {@code task-list} and {@code risk-free} stay) and
   * followed by at least {@value #KEY_SHAPED_LENGTH} key characters ({@code A-Za-z0-9_-*}) becomes
   * {@code sk-***}. A scan with {@code indexOf}: a regular expression with a look-behind costs tens of
   * microseconds on a batch output line.
   */
  private static String maskKeyShaped(String text) {
    int at = text.indexOf("sk-");
    if (at < 0) {
      return text;
    }
    StringBuilder masked = null;
    int copied = 0;
    for (; at >= 0; at = text.indexOf("sk-", at + 1)) {
      if (at > 0 && isKeyChar(text.charAt(at - 1))) {
        continue;
      }
      int end = at + 3;
      while (end < text.length() && isKeyChar(text.charAt(end))) {
        end++;
      }
      if (end - at - 3 < KEY_SHAPED_LENGTH) {
        continue;
      }
      if (masked == null) {
        masked = new StringBuilder(text.length());
      }
      masked.append(text, copied, at).append("sk-").append(MASK);
      copied = end;
      at = end - 1;
    }
    return masked == null ? text : masked.append(text, copied, text.length()).toString();
  }

  private static boolean isKeyChar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '*';
  }

  /**
   * {@code bytes} masked. Read as ISO-8859-1, which maps every byte to one character and back, so
   * bytes that are not UTF-8 survive; credentials are matched as their UTF-8 bytes.
   */
  public byte[] mask(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      return bytes;
    }
    Secrets asBytes = forms.stream().allMatch(form -> isAscii(form.text())) ? this
        : new Secrets(forms.stream().map(form -> new Form(
            new String(form.text().getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1), form.urlEncoded()))
            .toList());
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    String masked = asBytes.mask(text);
    return masked.equals(text) ? bytes : masked.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Whether there is no credential to look for (key-shaped text is still masked). */
  public boolean isEmpty() {
    return forms.isEmpty();
  }

  /**
   * A text cut off inside a credential (a body read up to its size limit) ends with the start of it.
   * Forms that contain another form ({@code Bearer <key>}) are left to the shorter one, so a text that
   * merely ends with the word {@code Bearer} is kept.
   */
  private String maskCutEnd(String text) {
    for (String credential : cuttable) {
      for (int length = Math.min(credential.length() - 1, text.length()); length >= MIN_CUT_PREFIX; length--) {
        if (text.regionMatches(text.length() - length, credential, 0, length)) {
          return text.substring(0, text.length() - length) + MASK;
        }
      }
    }
    return text;
  }

  private static boolean isAscii(String s) {
    return s.chars().allMatch(c -> c < 0x80);
  }

  /** One way a credential may be written; a URL-encoded one matches with its hex digits in either case. */
  private record Form(String text, boolean urlEncoded) {
    String regex() {
      if (!urlEncoded) {
        return Pattern.quote(text);
      }
      StringBuilder regex = new StringBuilder();
      StringBuilder literal = new StringBuilder();
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == '%' && i + 2 < text.length()) {
          if (literal.length() > 0) {
            regex.append(Pattern.quote(literal.toString()));
            literal.setLength(0);
          }
          regex.append('%').append(eitherCase(text.charAt(i + 1))).append(eitherCase(text.charAt(i + 2)));
          i += 2;
        } else {
          literal.append(c);
        }
      }
      if (literal.length() > 0) {
        regex.append(Pattern.quote(literal.toString()));
      }
      return regex.toString();
    }

    private static String eitherCase(char hex) {
      return Character.isLetter(hex)
          ? "[" + Character.toLowerCase(hex) + Character.toUpperCase(hex) + "]"
          : Pattern.quote(String.valueOf(hex));
    }

    /** Never the credential. */
    @Override
    public String toString() {
      return "Form[" + text.length() + " chars]";
    }
  }

  /** Never the secrets. */
  @Override
  public String toString() {
    return "Secrets[" + forms.size() + " forms]";
  }
}
