package dev.backoff4j.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reference point for {@link SuccessPathOverhead}: the price of one {@link System#nanoTime()} on this
 * machine. backoff4j reads the clock once before the first attempt (through
 * {@code TimeSource.system()}), so that a failed first attempt has an exact start and duration in
 * the history, events and deadline; that read is the floor of its success-path overhead.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 3, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
public class ClockRead {

  @Benchmark
  public long nanoTime() {
    return System.nanoTime();
  }
}
