package dev.backoff4j.openai.batch.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Every {@code custom_id} of a batch input, by a 128-bit digest of it (the first half of its SHA-256),
 * with its input line and what the output file already holds for it. About 50 bytes per id whatever
 * the ids' length: a million ids take about 50 MB, where the ids themselves as Java strings in a
 * hash map would take two to four times that. Two different ids share a digest with a probability
 * of about n²/2¹²⁹ (10⁻²⁷ for a million ids): far below the odds of a disk or memory error.
 *
 * <p>Open addressing with linear probing; a slot is empty when its input line is 0 (lines start at
 * 1). Not thread-safe: the batch runner reads and writes it from the thread that runs the batch.
 */
final class IdTable {

  /** The output has no line for the id. */
  static final byte ABSENT = 0;
  /** The output has a successful line for it. */
  static final byte SUCCEEDED = 1;
  /** The output has an error line that is final (a 4xx, a quota error). */
  static final byte FINAL_ERROR = 2;
  /** The output has an error line whose error was recoverable (5xx, connection, timeout, rate limit, deadline). */
  static final byte RETRYABLE_ERROR = 3;

  private final MessageDigest sha256;
  private long[] high;
  private long[] low;
  private int[] inputLine;
  private int[] outputLine;
  private byte[] state;
  private int size;
  private long digestHigh;
  private long digestLow;

  IdTable() {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
    allocate(1024);
  }

  /** How many ids were added. */
  int size() {
    return size;
  }

  /**
   * Adds {@code customId}, first seen on {@code line} (1 or more).
   *
   * @return 0 if it is new, else the line it was first seen on
   */
  int add(String customId, int line) {
    digest(customId);
    int slot = probe();
    if (inputLine[slot] != 0) {
      return inputLine[slot];
    }
    high[slot] = digestHigh;
    low[slot] = digestLow;
    inputLine[slot] = line;
    size++;
    if (size > high.length / 10 * 6) {
      grow();
    }
    return 0;
  }

  /** The slot of {@code customId}, or -1 if it was never added. */
  int find(String customId) {
    digest(customId);
    int slot = probe();
    return inputLine[slot] == 0 ? -1 : slot;
  }

  int inputLine(int slot) {
    return inputLine[slot];
  }

  byte state(int slot) {
    return state[slot];
  }

  /** The output line holding the id's result, 0 if none. */
  int outputLine(int slot) {
    return outputLine[slot];
  }

  void setOutput(int slot, byte newState, int line) {
    state[slot] = newState;
    outputLine[slot] = line;
  }

  /** The slot holding the current digest, or the empty slot where it belongs. */
  private int probe() {
    int mask = high.length - 1;
    int slot = (int) (digestLow ^ (digestLow >>> 32)) & mask;
    while (inputLine[slot] != 0 && (high[slot] != digestHigh || low[slot] != digestLow)) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  private void digest(String customId) {
    byte[] hash = sha256.digest(customId.getBytes(StandardCharsets.UTF_8));
    long h = 0;
    long l = 0;
    for (int i = 0; i < 8; i++) {
      h = h << 8 | (hash[i] & 0xff);
      l = l << 8 | (hash[i + 8] & 0xff);
    }
    digestHigh = h;
    digestLow = l;
  }

  private void grow() {
    long[] oldHigh = high;
    long[] oldLow = low;
    int[] oldInput = inputLine;
    int[] oldOutput = outputLine;
    byte[] oldState = state;
    allocate(oldHigh.length * 2);
    for (int i = 0; i < oldHigh.length; i++) {
      if (oldInput[i] != 0) {
        digestHigh = oldHigh[i];
        digestLow = oldLow[i];
        int slot = probe();
        high[slot] = oldHigh[i];
        low[slot] = oldLow[i];
        inputLine[slot] = oldInput[i];
        outputLine[slot] = oldOutput[i];
        state[slot] = oldState[i];
      }
    }
  }

  private void allocate(int capacity) {
    high = new long[capacity];
    low = new long[capacity];
    inputLine = new int[capacity];
    outputLine = new int[capacity];
    state = new byte[capacity];
  }

  @Override
  public String toString() {
    return "IdTable[" + size + " ids]";
  }
}
