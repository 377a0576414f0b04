package dev.backoff4j.openai.internal;

/** Byte counts as people read them in messages: {@code 512 bytes}, {@code 64 KiB}, {@code 256 MiB}, {@code 1.5 MiB}. */
public final class ByteSizes {

  private static final String[] UNITS = {"KiB", "MiB", "GiB"};

  private ByteSizes() {}

  public static String format(long bytes) {
    if (bytes < 1024) {
      return bytes + (bytes == 1 ? " byte" : " bytes");
    }
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < UNITS.length - 1) {
      value /= 1024;
      unit++;
    }
    String number = value == Math.rint(value) ? Long.toString((long) value) : String.format(java.util.Locale.ROOT, "%.1f", value);
    return number + " " + UNITS[unit];
  }
}
