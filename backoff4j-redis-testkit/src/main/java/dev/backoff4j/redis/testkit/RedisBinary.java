package dev.backoff4j.redis.testkit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import redis.embedded.core.ExecutableProvider;
import redis.embedded.model.OsArchitecture;

/**
 * Finds a {@code redis-server} executable: the first one on {@code PATH}, else the binary for this
 * OS and CPU that {@code com.github.codemonstur:embedded-redis} ships inside its jar.
 *
 * <p>The jar's binary is extracted once into {@code java.io.tmpdir/backoff4j-redis-bin/} and reused
 * by later runs (and by parallel JVMs: each writes a private copy and moves it into place
 * atomically), so a hard-killed test JVM leaves no fresh 10 MB copy behind. We use embedded-redis
 * only for its binaries and its OS/CPU table, not its {@code RedisServer}: that one writes a config
 * file per start, keeps Redis's default save points (a {@code dump.rdb} on shutdown) and cleans up
 * only in a shutdown hook, which a killed JVM never runs.
 */
public final class RedisBinary {

  private static final String EXECUTABLE = "redis-server";

  /** Where the executable came from, for test output and for a clear failure message. */
  public enum Origin {
    PATH,
    EMBEDDED_JAR
  }

  private final Path path;
  private final Origin origin;

  private RedisBinary(Path path, Origin origin) {
    this.path = path;
    this.origin = origin;
  }

  public Path path() {
    return path;
  }

  public Origin origin() {
    return origin;
  }

  private static volatile RedisBinary cached;

  /** The executable to run; looked up once per JVM. */
  public static RedisBinary find() {
    RedisBinary found = cached;
    if (found == null) {
      synchronized (RedisBinary.class) {
        found = cached;
        if (found == null) {
          found = lookUp();
          cached = found;
        }
      }
    }
    return found;
  }

  private static RedisBinary lookUp() {
    Path onPath = findOnPath(System.getenv("PATH"));
    if (onPath != null) {
      return new RedisBinary(onPath, Origin.PATH);
    }
    return new RedisBinary(extractFromJar(), Origin.EMBEDDED_JAR);
  }

  /** The first executable {@code redis-server} in the directories of {@code pathVariable}, or null. */
  public static Path findOnPath(String pathVariable) {
    if (pathVariable == null || pathVariable.isBlank()) {
      return null;
    }
    for (String directory : pathVariable.split(File.pathSeparator)) {
      if (directory.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(directory, EXECUTABLE);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate.toAbsolutePath();
      }
    }
    return null;
  }

  private static Path extractFromJar() {
    OsArchitecture platform = OsArchitecture.detectOSandArchitecture();
    Map<OsArchitecture, String> resources = ExecutableProvider.newProvidedVersionsMap();
    String resource = resources.get(platform);
    if (resource == null) {
      throw new IllegalStateException(
          "embedded-redis ships no redis-server for " + platform
              + "; put a redis-server on PATH or set BACKOFF4J_REDIS_URL");
    }
    Path directory = Path.of(System.getProperty("java.io.tmpdir"), "backoff4j-redis-bin");
    Path target = directory.resolve(resource.substring(resource.lastIndexOf('/') + 1));
    try {
      long expectedSize = resourceSize(resource);
      if (Files.isRegularFile(target) && Files.size(target) == expectedSize && Files.isExecutable(target)) {
        return target;
      }
      Files.createDirectories(directory);
      Path partial = Files.createTempFile(directory, target.getFileName().toString(), ".partial");
      try {
        try (InputStream in = RedisBinary.class.getResourceAsStream(resource)) {
          if (in == null) {
            throw new IllegalStateException("resource " + resource + " missing from embedded-redis");
          }
          Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
        }
        if (!partial.toFile().setExecutable(true, false)) {
          throw new IOException("cannot make " + partial + " executable");
        }
        try {
          Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(partial);
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract " + resource + " to " + directory, e);
    }
  }

  private static long resourceSize(String resource) throws IOException {
    try (InputStream in = RedisBinary.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("resource " + resource + " missing from embedded-redis");
      }
      return in.transferTo(java.io.OutputStream.nullOutputStream());
    }
  }

  @Override
  public String toString() {
    return path + " (" + origin + ")";
  }
}
