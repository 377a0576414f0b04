package dev.backoff4j.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioTest {

  @Test
  void defaultsAreAWellBehavedEchoServer() {
    Scenario scenario = Scenario.defaults();

    assertThat(scenario.reply()).isEmpty();
    assertThat(scenario.apiKey()).isEmpty();
    assertThat(scenario.script().isEmpty()).isTrue();
    assertThat(scenario.faultRates().isEmpty()).isTrue();
    assertThat(scenario.latency().isZero()).isTrue();
    assertThat(scenario.rateLimit()).isEqualTo(RateLimit.UNLIMITED);
    assertThat(scenario.models()).startsWith("gpt-4o-mini");
  }

  @Test
  void jsonFileSetsEveryField(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("scenario.json");
    Files.writeString(file, "{\"reply\":\"Hi!\",\"model\":\"m\",\"models\":[\"a\"],\"apiKey\":\"sk-test\","
        + "\"stream\":{\"chunks\":2,\"gap\":\"20ms\"},\"embeddingDimensions\":4,"
        + "\"rateLimit\":{\"rpm\":60,\"tpm\":10000,\"window\":\"10s\"},"
        + "\"script\":\"hint-ms:200,503,200\",\"scriptWhenHeader\":\"x-test: retry\","
        + "\"faultRates\":{\"500\":0.1,\"reset\":0.02},\"latency\":\"20ms..80ms\","
        + "\"outages\":[{\"start\":\"10s\",\"length\":\"5s\",\"status\":502}],\"seed\":42,\"requestLog\":10}");

    Scenario s = Scenario.fromJson(file);

    assertThat(s.reply()).contains("Hi!");
    assertThat(s.models()).containsExactly("m", "a");
    assertThat(s.apiKey()).contains("sk-test");
    assertThat(s.streamChunks()).isEqualTo(2);
    assertThat(s.streamGap()).isEqualTo(Duration.ofMillis(20));
    assertThat(s.embeddingDimensions()).isEqualTo(4);
    assertThat(s.rateLimit()).isEqualTo(new RateLimit(60, 10_000, Duration.ofSeconds(10)));
    assertThat(s.script().toString()).isEqualTo("hint-ms:200,503,200 when x-test: retry");
    assertThat(s.faultRates()).isEqualTo(FaultRates.parse("500=0.1,reset=0.02"));
    assertThat(s.latency()).isEqualTo(Latency.parse("20ms..80ms"));
    assertThat(s.outages()).containsExactly(new OutageWindow(Duration.ofSeconds(10), Duration.ofSeconds(5), 502));
    assertThat(s.seed()).hasValue(42);
    assertThat(s.requestLogCapacity()).isEqualTo(10);
  }

  @Test
  void jsonScriptMayBeAnArrayAndReplyNullMeansEcho() {
    Scenario s = Scenario.parseJson("{\"script\":[\"429\",\"reset\"],\"reply\":null}");

    assertThat(s.script().faults()).containsExactly(Fault.status(429), Fault.parse("reset"));
    assertThat(s.reply()).isEmpty();
  }

  @Test
  void jsonErrorsNameTheField(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> Scenario.parseJson("{\"scirpt\":\"429\"}")).hasMessageContaining("unknown field 'scirpt'");
    assertThatThrownBy(() -> Scenario.parseJson("{\"rateLimit\":{\"rpm\":\"many\"}}"))
        .hasMessageContaining("rateLimit.rpm must be a whole number");
    assertThatThrownBy(() -> Scenario.parseJson("{\"stream\":{\"gap\":\"slow\"}}")).hasMessageContaining("stream.gap");
    assertThatThrownBy(() -> Scenario.parseJson("{\"script\":\"429,huh\"}")).hasMessageContaining("'huh'");
    assertThatThrownBy(() -> Scenario.parseJson("[1]")).hasMessageContaining("must be a JSON object");
    // the array and object forms get the same checks as the string forms
    assertThatThrownBy(() -> Scenario.parseJson("{\"script\":[\"429\",\"huh\"]}"))
        .hasMessageContaining("fault script entry 2").hasMessageContaining("'huh'");
    assertThatThrownBy(() -> Scenario.parseJson("{\"faultRates\":{\"hint-ms\":0.1,\"hint-ms:200\":0.2}}"))
        .hasMessageContaining("is given twice");
    assertThatThrownBy(() -> Scenario.parseJson("{")).hasMessageContaining("not valid JSON");
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{\"latency\":\"-5ms\"}");
    assertThatThrownBy(() -> Scenario.fromJson(file)).hasMessageContaining(file.toString()).hasMessageContaining("latency");
  }

  @Test
  void builderRejectsInvalidSettingsByName() {
    assertThatThrownBy(() -> Scenario.builder().streamChunks(0).build()).hasMessageContaining("streamChunks");
    assertThatThrownBy(() -> Scenario.builder().streamGap(Duration.ofMillis(-1)).build()).hasMessageContaining("streamGap");
    assertThatThrownBy(() -> Scenario.builder().embeddingDimensions(0).build()).hasMessageContaining("embeddingDimensions");
    assertThatThrownBy(() -> Scenario.builder().apiKey(" ").build()).hasMessageContaining("apiKey");
    assertThatThrownBy(() -> Scenario.builder().model("").build()).hasMessageContaining("model");
    assertThatThrownBy(() -> Scenario.builder().requestLogCapacity(-1).build()).hasMessageContaining("requestLogCapacity");
    assertThatThrownBy(() -> Scenario.builder().rateLimit(0, 10)).hasMessageContaining("rpm");
    assertThatThrownBy(() -> Scenario.builder().rateLimit(10, 0)).hasMessageContaining("tpm");
    assertThatThrownBy(() -> Scenario.builder().window("0s")).hasMessageContaining("window");
    assertThatThrownBy(() -> OutageWindow.of(Duration.ZERO, Duration.ZERO)).hasMessageContaining("outage length");
  }

  @Test
  void rpmTpmAndWindowCanBeSetSeparatelyAsTheCliFlagsDo() {
    Scenario s = Scenario.builder().tpm(5_000).window("10s").rpm(30).build();

    assertThat(s.rateLimit()).isEqualTo(new RateLimit(30, 5_000, Duration.ofSeconds(10)));
  }

  @Test
  void theDefaultModelIsListedFirstAndBuildingLeavesTheBuilderAlone() {
    Scenario.Builder builder = Scenario.builder().models(List.of("a", "gpt-4o-mini"));
    assertThat(builder.build().models()).containsExactly("gpt-4o-mini", "a");
    assertThat(builder.model("x").build().models()).containsExactly("x", "a", "gpt-4o-mini");
    assertThat(builder.model("y").build().models()).containsExactly("y", "a", "gpt-4o-mini");
    Scenario derived = builder.build().toBuilder().model("z").build();
    assertThat(derived.models()).containsExactly("z", "a", "gpt-4o-mini");
  }

  @Test
  void toBuilderDerivesAVariantWithoutChangingTheOriginal() {
    Scenario base = Scenario.builder().reply("a").script("503").build();

    Scenario variant = base.toBuilder().reply("b").build();

    assertThat(base.reply()).contains("a");
    assertThat(variant.reply()).contains("b");
    assertThat(variant.script()).isEqualTo(base.script());
  }
}
