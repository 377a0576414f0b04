package dev.backoff4j.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backoff4j.openai.http.Headers;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretsTest {

  private static final String AZURE_KEY = "0123456789abcdef0123456789abcdef";
  private static final String TOKEN = "eyJhbGciOi/JIUzI1+NiJ9.pay=load";

  @Test
  void aKeyThatIsNotSkShapedIsMaskedWhereverItAppears() {
    assertThat(Secrets.mask("key " + AZURE_KEY + " revoked; again: " + AZURE_KEY, List.of(AZURE_KEY)))
        .isEqualTo("key *** revoked; again: ***");
  }

  @Test
  void aJsonEscapedKeyIsMasked() {
    String escaped = TOKEN.replace("/", "\\/");
    assertThat(Secrets.mask("{\"error\":{\"message\":\"bad token " + escaped + "\"}}", List.of(TOKEN)))
        .isEqualTo("{\"error\":{\"message\":\"bad token ***\"}}");
    String quoted = "a\"b\\c-secret-value";
    assertThat(Secrets.mask("{\"code\":\"a\\\"b\\\\c-secret-value\"}", List.of(quoted))).isEqualTo("{\"code\":\"***\"}");
  }

  @Test
  void aUrlEncodedKeyIsMaskedWithItsHexDigitsInEitherCase() {
    String encoded = URLEncoder.encode(TOKEN, StandardCharsets.UTF_8);
    assertThat(encoded).contains("%2F");
    assertThat(Secrets.mask("GET /v1?key=" + encoded + "&x=1", List.of(TOKEN))).isEqualTo("GET /v1?key=***&x=1");
    String lowerHex = java.util.regex.Pattern.compile("%[0-9A-F]{2}").matcher(encoded)
        .replaceAll(hex -> hex.group().toLowerCase(java.util.Locale.ROOT));
    assertThat(lowerHex).isNotEqualTo(encoded);
    assertThat(Secrets.mask("GET /v1?key=" + lowerHex, List.of(TOKEN))).isEqualTo("GET /v1?key=***");
  }

  @Test
  void aKeyCutOffAtTheEndOfATextIsMasked() {
    assertThat(Secrets.mask("the key was " + AZURE_KEY.substring(0, 20), List.of(AZURE_KEY))).isEqualTo("the key was ***");
    assertThat(Secrets.mask("ends with Bearer", List.of("Bearer " + AZURE_KEY, AZURE_KEY))).isEqualTo("ends with Bearer");
  }

  @Test
  void keyShapedTextIsMaskedButWordsWithSkInsideAreKept() {
    assertThat(Secrets.mask("Incorrect API key provided: sk-proj-********abcd.", List.of()))
        .isEqualTo("Incorrect API key provided: sk-***.");
    assertThat(Secrets.mask("a task-list and a risk-free sk-learn", List.of()))
        .isEqualTo("a task-list and a risk-free sk-learn");
  }

  @Test
  void bytesThatAreNotUtf8SurviveMasking() {
    byte[] body = {(byte) 0xff, 'k', 'e', 'y', ' ', 0, (byte) 0xc3};
    byte[] withKey = concat(body, AZURE_KEY.getBytes(StandardCharsets.US_ASCII), body);
    byte[] masked = Secrets.mask(withKey, List.of(AZURE_KEY));
    assertThat(masked).isEqualTo(concat(body, "***".getBytes(StandardCharsets.US_ASCII), body));
  }

  @Test
  void theRequestsCredentialsAreItsApiKeyAndItsBearerToken() {
    assertThat(Secrets.of(Headers.of(Map.of("api-key", List.of(AZURE_KEY))))).containsExactly(AZURE_KEY);
    assertThat(Secrets.of(Headers.of(Map.of("Authorization", List.of("Bearer " + TOKEN)))))
        .containsExactly("Bearer " + TOKEN, TOKEN);
  }

  @Test
  void shortCredentialsAndNullsAreIgnored() {
    assertThat(Secrets.mask("a b c", java.util.Arrays.asList(null, "b", ""))).isEqualTo("a b c");
    assertThat(Secrets.mask((String) null, List.of(AZURE_KEY))).isNull();
    assertThat(Secrets.compile(List.of(AZURE_KEY)).toString()).doesNotContain(AZURE_KEY);
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
