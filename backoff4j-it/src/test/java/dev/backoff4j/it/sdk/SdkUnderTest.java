package dev.backoff4j.it.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.jar.Manifest;

/**
 * The SDK this test JVM runs on. Each surefire execution of this module (see its pom) puts one SDK on
 * the class path and names it in {@code backoff4j.it.sdk.core} and {@code backoff4j.it.sdk.client-okhttp};
 * {@link #assertOnTheClassPath()} checks that the class path really holds it, so a test cannot pass on
 * the wrong SDK.
 */
final class SdkUnderTest {

  static final String CORE = System.getProperty("backoff4j.it.sdk.core");
  static final String CLIENT_OKHTTP = System.getProperty("backoff4j.it.sdk.client-okhttp");
  /** This build's version: the BOM the error message must name. */
  static final String BACKOFF4J = System.getProperty("backoff4j.it.version");
  static final String LOWEST = System.getProperty("backoff4j.it.sdk.lowest");
  static final String TESTED = System.getProperty("backoff4j.it.sdk.tested");

  private SdkUnderTest() {}

  /** The {@code Implementation-Version} of the jar that holds {@code className}. */
  static String manifestVersion(String className) throws ClassNotFoundException {
    return Class.forName(className, false, SdkUnderTest.class.getClassLoader()).getPackage()
        .getImplementationVersion();
  }

  static void assertOnTheClassPath() throws ClassNotFoundException {
    assertThat(CORE).as("system property backoff4j.it.sdk.core (set by the surefire execution)").isNotBlank();
    assertThat(manifestVersion("com.openai.core.ClientOptions")).as("openai-java-core on the class path")
        .isEqualTo(CORE);
    assertThat(manifestVersion("com.openai.client.okhttp.OpenAIOkHttpClient"))
        .as("openai-java-client-okhttp on the class path").isEqualTo(CLIENT_OKHTTP);
  }

  /**
   * A class loader over this JVM's test class path whose jars have no manifests, as after shading: every
   * class (backoff4j's, the SDK's, Jackson's, ...) is loaded anew from it, and
   * {@link Package#getImplementationVersion()} is null for all of them.
   */
  static URLClassLoader withoutManifests() {
    String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<URL> urls = new ArrayList<>();
    for (String entry : path.split(File.pathSeparator)) {
      if (!entry.isBlank()) {
        try {
          urls.add(new File(entry).toURI().toURL());
        } catch (MalformedURLException e) {
          throw new IllegalStateException(entry, e);
        }
      }
    }
    return new URLClassLoader("without-manifests", urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader()) {
      @Override
      protected Package definePackage(String name, Manifest manifest, URL url) {
        return definePackage(name, null, null, null, null, null, null, null);
      }
    };
  }

  /**
   * Calls the public no-argument or one-argument method {@code name} of {@code target}, through the public
   * type that declares it (the SDK's implementation classes are not all public).
   *
   * @throws Throwable what the method threw
   */
  static Object call(Object target, String name, Object... args) throws Throwable {
    Deque<Class<?>> types = new ArrayDeque<>(List.of(target.getClass()));
    while (!types.isEmpty()) {
      Class<?> type = types.poll();
      if (Modifier.isPublic(type.getModifiers())) {
        for (Method method : type.getMethods()) {
          if (method.getName().equals(name) && method.getParameterCount() == args.length
              && (args.length == 0 || method.getParameterTypes()[0].isInstance(args[0]))) {
            try {
              return method.invoke(target, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          }
        }
      }
      if (type.getSuperclass() != null) {
        types.add(type.getSuperclass());
      }
      types.addAll(Arrays.asList(type.getInterfaces()));
    }
    throw new NoSuchMethodException(target.getClass().getName() + "." + name);
  }

  /**
   * {@code Backoff4jOpenAI.builder().baseUrl(baseUrl).apiKey("sk-test").<build>()} inside {@code loader}.
   *
   * @throws Throwable what the builder threw
   */
  static Object buildIn(ClassLoader loader, String baseUrl, String build) throws Throwable {
    Object builder;
    try {
      builder = Class.forName("dev.backoff4j.openai.sdk.Backoff4jOpenAI", true, loader).getMethod("builder")
          .invoke(null);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
    call(builder, "baseUrl", baseUrl);
    call(builder, "apiKey", "sk-test");
    return call(builder, build);
  }
}
