package dev.backoff4j.bench.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Counting a server port's connections in the text of /proc/net/tcp. */
class ConnectionCounterTest {

  // Port 41202 = 0xA0F2. Rows: the listening socket, two accepted connections (local port 41234,
  // established), one in TIME_WAIT, and the client ends of the connections (remote port 41234).
  private static final String TABLE = String.join("\n",
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
      "   0: 0100007F:A0F2 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1001 1 0 100 0 0 10 0",
      "   1: 0100007F:A0F2 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 1002 1 0 20 4 30 10 -1",
      "   2: 0100007F:A0F2 0100007F:C351 01 00000000:00000000 00:00000000 00000000     0        0 1003 1 0 20 4 30 10 -1",
      "   3: 0100007F:A0F2 0100007F:C352 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0",
      "   4: 0100007F:C350 0100007F:A0F2 01 00000000:00000000 00:00000000 00000000     0        0 1004 1 0 20 4 30 10 -1",
      "   5: 0100007F:C351 0100007F:A0F2 01 00000000:00000000 00:00000000 00000000     0        0 1005 1 0 20 4 30 10 -1",
      "");

  @Test
  void countsEstablishedSocketsOnTheServersPortOnly() {
    assertThat(ConnectionCounter.count(TABLE, 41202)).isEqualTo(2);
    assertThat(ConnectionCounter.count(TABLE, 50000)).isEqualTo(1); // 0xC350: one client end, counted by its own port
    assertThat(ConnectionCounter.count(TABLE, 80)).isZero();
    assertThat(ConnectionCounter.count("", 41202)).isZero();
  }

  @Test
  void aPortOfFewerThanFourHexDigitsIsPadded() {
    String row = "   0: 0100007F:0050 0100007F:C350 01 00000000:00000000 00:00000000 00000000 0 0 1 1";
    assertThat(ConnectionCounter.count(row, 80)).isEqualTo(1);
    assertThat(ConnectionCounter.count(row, 0x1050)).isZero();
  }
}
