/**
 * Wire formats shared by the backoff4j client and the mock server: header names, OpenAI's Go-style
 * durations and the error body. Nothing here performs I/O.
 */
package dev.backoff4j.openai.protocol;
