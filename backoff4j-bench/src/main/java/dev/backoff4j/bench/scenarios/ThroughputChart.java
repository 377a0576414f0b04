package dev.backoff4j.bench.scenarios;

import java.util.List;
import java.util.Locale;

/**
 * An SVG line chart of successful completions per second over time, one polyline per contender, with
 * a dashed reference rate (S1's limit, S2's offered rate) and optionally a shaded interval (S2's outage).
 */
final class ThroughputChart {

  private static final String[] COLOURS = {"#d62728", "#1f77b4", "#9467bd", "#ff7f0e", "#2ca02c", "#8c564b"};
  private static final int WIDTH = 900;
  private static final int HEIGHT = 420;
  private static final int LEFT = 60;
  private static final int RIGHT = 180;
  private static final int TOP = 40;
  private static final int BOTTOM = 50;

  private ThroughputChart() {}

  /** S1's chart: the limit as the reference line, nothing shaded. */
  static String svg(List<Row> rows, double binSeconds, double limitPerSecond, String title) {
    return svg(rows, binSeconds, limitPerSecond, String.format(Locale.ROOT, "limit %.0f/s", limitPerSecond), null, title);
  }

  /**
   * @param rows rows with their throughput series
   * @param binSeconds width of a series bin
   * @param limitPerSecond the reference rate, drawn as a dashed line labelled {@code referenceLabel}
   * @param shaded {@code {from, to, ...}} seconds to shade (and label "outage"), or null
   */
  static String svg(List<Row> rows, double binSeconds, double limitPerSecond, String referenceLabel, double[] shaded,
      String title) {
    double maxT = binSeconds;
    double maxY = limitPerSecond * 1.2;
    for (Row row : rows) {
      double[] s = row.throughput();
      maxT = Math.max(maxT, s.length * binSeconds);
      for (double v : s) {
        maxY = Math.max(maxY, v);
      }
    }
    maxT = niceCeil(maxT);
    maxY = niceCeil(maxY);
    double plotW = WIDTH - LEFT - RIGHT;
    double plotH = HEIGHT - TOP - BOTTOM;
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
            + "font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
    svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"14\">%s</text>%n", LEFT, escape(title)));
    for (int i = 0; i <= 5; i++) {
      double y = TOP + plotH - plotH * i / 5;
      double x = LEFT + plotW * i / 5;
      svg.append(String.format(Locale.ROOT,
          "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
              + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.0f</text>%n",
          LEFT, y, LEFT + plotW, y, LEFT - 6, y + 4, maxY * i / 5));
      svg.append(String.format(Locale.ROOT,
          "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
              + "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>%n",
          x, TOP, x, TOP + plotH, x, TOP + plotH + 16, trim(maxT * i / 5)));
    }
    svg.append(String.format(Locale.ROOT,
        "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">seconds since start</text>%n", LEFT + plotW / 2, HEIGHT - 12));
    svg.append(String.format(Locale.ROOT,
        "<text x=\"16\" y=\"%.1f\" transform=\"rotate(-90 16 %.1f)\" text-anchor=\"middle\">successful "
            + "completions / s</text>%n", TOP + plotH / 2, TOP + plotH / 2));
    if (shaded != null) {
      double x0 = LEFT + plotW * Math.min(shaded[0], maxT) / maxT;
      double x1 = LEFT + plotW * Math.min(shaded[1], maxT) / maxT;
      svg.append(String.format(Locale.ROOT,
          "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"#f2c9c9\" fill-opacity=\"0.5\"/>"
              + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">outage</text>%n",
          x0, TOP, Math.max(0, x1 - x0), plotH, (x0 + x1) / 2, TOP + 14));
    }
    double limitY = TOP + plotH - plotH * limitPerSecond / maxY;
    svg.append(String.format(Locale.ROOT,
        "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#444\" stroke-dasharray=\"6 4\"/>"
            + "<text x=\"%.1f\" y=\"%.1f\">%s</text>%n",
        LEFT, limitY, LEFT + plotW, limitY, LEFT + plotW + 8, limitY + 4, escape(referenceLabel)));
    for (int r = 0; r < rows.size(); r++) {
      String colour = COLOURS[r % COLOURS.length];
      double[] s = rows.get(r).throughput();
      StringBuilder points = new StringBuilder();
      for (int i = 0; i < s.length; i++) {
        double t = (i + 0.5) * binSeconds;
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", LEFT + plotW * t / maxT, TOP + plotH - plotH * s[i] / maxY));
      }
      svg.append(String.format(Locale.ROOT,
          "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n", colour, points.toString().trim()));
      double ly = TOP + 30 + 20 * r;
      svg.append(String.format(Locale.ROOT,
          "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"3\"/>"
              + "<text x=\"%.1f\" y=\"%.1f\">%s</text>%n",
          LEFT + plotW + 8, ly, LEFT + plotW + 28, ly, colour, LEFT + plotW + 34, ly + 4,
          escape(rows.get(r).contender())));
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  private static double niceCeil(double v) {
    double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
    for (double step : new double[] {1, 2, 2.5, 5, 10}) {
      if (step * magnitude >= v) {
        return step * magnitude;
      }
    }
    return 10 * magnitude;
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
