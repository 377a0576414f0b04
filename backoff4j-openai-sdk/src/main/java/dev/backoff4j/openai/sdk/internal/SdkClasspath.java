package dev.backoff4j.openai.sdk.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a class loader holds of the official SDK, read without linking anything a release may lack:
 * the two jars the bridge runs on, whether the SDK's OkHttp client links against that core, and which
 * of the SDK members the bridge calls are missing.
 *
 * <p>Versions come from each jar's manifest ({@code Implementation-Title} and
 * {@code Implementation-Version}), the only place the SDK records them. A shaded or repackaged jar
 * has no manifest of the SDK's (or its own application's, whose title is not the SDK's): the version
 * is then unknown, and the probes alone tell whether the bridge can run.
 *
 * @param core {@code com.openai:openai-java-core}
 * @param clientOkHttp {@code com.openai:openai-java-client-okhttp}
 * @param okHttpLinkFailure why the SDK's {@code com.openai.client.okhttp.OkHttpClient} does not load
 *     (a client-okhttp newer than core names core types that core lacks), or null
 * @param missingMembers SDK members the bridge calls that are not there, e.g.
 *     {@code com.openai.core.http.HttpRequest.url()}
 */
record SdkClasspath(Jar core, Jar clientOkHttp, LinkageError okHttpLinkFailure, List<String> missingMembers) {

  static final String CORE = "openai-java-core";
  static final String CLIENT_OKHTTP = "openai-java-client-okhttp";

  /** A class of each jar that every 4.x release has and that links whatever the other jar's version. */
  private static final String CORE_CLASS = "com.openai.core.ClientOptions";
  private static final String CLIENT_OKHTTP_CLASS = "com.openai.client.okhttp.OpenAIOkHttpClient";
  /** The SDK's transport, which the bridge builds: it implements core interfaces of its own release. */
  private static final String OKHTTP_CLIENT = "com.openai.client.okhttp.OkHttpClient";

  /** SDK members the bridge calls, by class: {@code name(parameter types)}. Not in 4.0.0: {@code url()}. */
  private static final List<Member> USED = List.of(
      new Member("com.openai.core.http.HttpRequest", "url"),
      new Member("com.openai.core.http.HttpRequestBody", "repeatable"),
      new Member("com.openai.core.RequestOptions", "applyDefaults", "com.openai.core.RequestOptions"),
      new Member("com.openai.core.ClientOptions$Builder", "httpClient", "com.openai.core.http.HttpClient"));

  SdkClasspath {
    Objects.requireNonNull(core, "core");
    Objects.requireNonNull(clientOkHttp, "clientOkHttp");
    missingMembers = List.copyOf(missingMembers);
  }

  /** One of the SDK's jars: whether its classes are there, and the version its manifest states. */
  record Jar(String artifact, boolean present, Optional<String> version) {
    Jar {
      Objects.requireNonNull(artifact, "artifact");
      Objects.requireNonNull(version, "version");
    }

    static Jar absent(String artifact) {
      return new Jar(artifact, false, Optional.empty());
    }

    static Jar of(String artifact, String version) {
      return new Jar(artifact, true, Optional.ofNullable(version));
    }

    /** {@code openai-java-core 4.49.0}, or {@code openai-java-core (version unknown)}. */
    String describe() {
      return artifact + " " + version.orElse("(version unknown)");
    }
  }

  private record Member(String owner, String name, String... parameters) {
    @Override
    public String toString() {
      return owner.replace('$', '.') + "." + name + "(" + String.join(", ", parameters) + ")";
    }
  }

  /** What {@code loader} holds. */
  static SdkClasspath of(ClassLoader loader) {
    Jar core = jar(CORE, CORE_CLASS, loader);
    Jar clientOkHttp = jar(CLIENT_OKHTTP, CLIENT_OKHTTP_CLASS, loader);
    LinkageError linkFailure = null;
    if (core.present() && clientOkHttp.present()) {
      try {
        Class.forName(OKHTTP_CLIENT, false, loader);
      } catch (LinkageError e) {
        linkFailure = e;
      } catch (ClassNotFoundException e) {
        linkFailure = new NoClassDefFoundError(OKHTTP_CLIENT.replace('.', '/'));
      }
    }
    List<String> missing = new ArrayList<>();
    if (core.present()) {
      for (Member member : USED) {
        if (!exists(member, loader)) {
          missing.add(member.toString());
        }
      }
    }
    return new SdkClasspath(core, clientOkHttp, linkFailure, missing);
  }

  private static Jar jar(String artifact, String className, ClassLoader loader) {
    Class<?> type;
    try {
      type = Class.forName(className, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      return Jar.absent(artifact);
    }
    Package pkg = type.getPackage();
    // A shaded jar's manifest is the application's: its version says nothing about the SDK.
    boolean ours = pkg != null && artifact.equals(pkg.getImplementationTitle());
    return Jar.of(artifact, ours ? pkg.getImplementationVersion() : null);
  }

  private static boolean exists(Member member, ClassLoader loader) {
    try {
      Class<?> owner = Class.forName(member.owner(), false, loader);
      Class<?>[] parameters = new Class<?>[member.parameters().length];
      for (int i = 0; i < parameters.length; i++) {
        parameters[i] = Class.forName(member.parameters()[i], false, loader);
      }
      owner.getMethod(member.name(), parameters);
      return true;
    } catch (ClassNotFoundException | NoSuchMethodException | LinkageError e) {
      return false;
    }
  }
}
