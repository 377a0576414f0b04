package dev.backoff4j.langchain4j.internal;

import dev.langchain4j.http.client.FormDataFile;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * A {@code multipart/form-data} body (RFC 7578) from LangChain4j's form fields and files, as the
 * image-edit and audio-transcription endpoints are sent. Built once in memory, so every attempt
 * sends the same bytes.
 */
final class Multipart {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final String boundary;
  private final byte[] body;

  private Multipart(String boundary, byte[] body) {
    this.boundary = boundary;
    this.body = body;
  }

  static Multipart of(Map<String, String> fields, Map<String, FormDataFile> files) {
    byte[] random = new byte[12];
    RANDOM.nextBytes(random);
    String boundary = "backoff4j-" + HexFormat.of().formatHex(random);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    fields.forEach((name, value) -> {
      write(out, "--" + boundary + "\r\n");
      write(out, "Content-Disposition: form-data; name=\"" + quoted(name) + "\"\r\n\r\n");
      write(out, value);
      write(out, "\r\n");
    });
    files.forEach((name, file) -> {
      write(out, "--" + boundary + "\r\n");
      write(out, "Content-Disposition: form-data; name=\"" + quoted(name) + "\""
          + (file.fileName() == null ? "" : "; filename=\"" + quoted(file.fileName()) + "\"") + "\r\n");
      write(out, "Content-Type: " + (file.contentType() == null ? "application/octet-stream" : oneLine(file.contentType()))
          + "\r\n\r\n");
      out.writeBytes(file.content());
      write(out, "\r\n");
    });
    write(out, "--" + boundary + "--\r\n");
    return new Multipart(boundary, out.toByteArray());
  }

  /** The {@code Content-Type} header value naming this body's boundary. */
  String contentType() {
    return "multipart/form-data; boundary=" + boundary;
  }

  byte[] body() {
    return body;
  }

  // RFC 7578 4.2: in quoted names, '"' and line breaks are percent-encoded, as browsers do.
  private static String quoted(String text) {
    return text.replace("\"", "%22").replace("\r", "%0D").replace("\n", "%0A");
  }

  private static String oneLine(String text) {
    return text.replace("\r", "").replace("\n", "");
  }

  private static void write(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }
}
