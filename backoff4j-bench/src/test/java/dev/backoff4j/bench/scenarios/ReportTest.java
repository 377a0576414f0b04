package dev.backoff4j.bench.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The markdown tables: every field of any row, dashes for missing values, no exponents. */
class ReportTest {

  @Test
  void aTableHasTheUnionOfItsRowsFieldsAndADashWhereARowHasNone() {
    List<Row> rows = List.of(
        new Row("S5-jvm", "backoff4j-paced").put("failed", 0).put("recovery_s", 0.0000171).put("error_sample", "x"),
        new Row("S5-jvm", "backoff4j-paced+redis").put("not_run", "no | store"));
    String md = Report.tables(rows, Map.of("S5-jvm", "fleet"));
    assertThat(md).contains("**S5-jvm** — fleet")
        .contains("|scenario | contender | failed | recovery_s | not_run|")
        .contains("|---|---|---:|---:|---|")
        .contains("|S5-jvm | backoff4j-paced | 0 | 0.0000171 | —|")
        .contains("|S5-jvm | backoff4j-paced+redis | — | — | no \\| store|")
        .doesNotContain("error_sample");
  }
}
