package dev.backoff4j.retry;

/**
 * One try of a synchronous operation that wants to see its {@link AttemptContext}.
 *
 * @param <T> the result type
 * @param <X> the checked exception the operation may throw; the caller of
 *     {@link RetryPolicy#execute} receives it unchanged, so {@code catch (X e)} keeps working
 */
@FunctionalInterface
public interface Attempt<T, X extends Exception> {

  T run(AttemptContext context) throws X;
}
