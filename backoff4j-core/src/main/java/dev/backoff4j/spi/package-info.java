/**
 * Service-provider support shared by backoff4j's modules and by anyone writing a pipeline step or a
 * transport: cancellation that reaches the work, and failures without their wrappers. Stable, but not
 * what an application calling backoff4j needs.
 */
package dev.backoff4j.spi;
