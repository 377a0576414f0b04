package dev.backoff4j.openai.internal;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The iterator over a stream's items: {@code read} gives the next item, or {@code null} at the end,
 * and is not asked again once {@code ended} says the stream is done (closed, or read to its end).
 */
public final class ReadingIterator<T> implements Iterator<T> {

  private final Supplier<T> read;
  private final BooleanSupplier ended;
  private T next;

  public ReadingIterator(Supplier<T> read, BooleanSupplier ended) {
    this.read = read;
    this.ended = ended;
  }

  @Override
  public boolean hasNext() {
    if (next == null && !ended.getAsBoolean()) {
      next = read.get();
    }
    return next != null;
  }

  @Override
  public T next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    T item = next;
    next = null;
    return item;
  }
}
