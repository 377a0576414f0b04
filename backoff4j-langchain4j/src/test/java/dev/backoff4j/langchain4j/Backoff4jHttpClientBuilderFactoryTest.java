package dev.backoff4j.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpClientBuilderFactory;
import dev.langchain4j.http.client.HttpClientBuilderLoader;
import dev.langchain4j.http.client.jdk.JdkHttpClientBuilder;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LangChain4j's service loader with and without the opt-in registration. An application's
 * registration is stood in for by a class loader that sees one more {@code META-INF/services} file.
 */
class Backoff4jHttpClientBuilderFactoryTest {

  @TempDir
  Path application;

  @AfterEach
  void clearProperty() {
    System.clearProperty(Backoff4jHttpClientBuilderFactory.SYSTEM_PROPERTY);
  }

  @Test
  void theModuleRegistersNoFactorySoLangChain4jKeepsItsOwnClient() {
    assertThat(ServiceLoader.load(HttpClientBuilderFactory.class).stream().map(ServiceLoader.Provider::type))
        .noneMatch(type -> type.getName().startsWith("dev.backoff4j"));
    assertThat(HttpClientBuilderLoader.loadHttpClientBuilder()).isInstanceOf(JdkHttpClientBuilder.class);
  }

  @Test
  void registeredByTheApplicationAndChosenByThePropertyItIsLangChain4jsClient() throws Exception {
    System.setProperty(Backoff4jHttpClientBuilderFactory.SYSTEM_PROPERTY,
        Backoff4jHttpClientBuilderFactory.class.getName());

    HttpClientBuilder loaded = withApplicationRegistration(HttpClientBuilderLoader::loadHttpClientBuilder);

    assertThat(loaded).isInstanceOf(Backoff4jHttpClientBuilder.class);
  }

  @Test
  void registeredWithoutThePropertyLangChain4jRefusesTwoClients() {
    assertThatThrownBy(() -> withApplicationRegistration(HttpClientBuilderLoader::loadHttpClientBuilder))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("multiple HTTP clients")
        .hasMessageContaining("langchain4j.http.clientBuilderFactory");
  }

  private <T> T withApplicationRegistration(Callable<T> action) throws Exception {
    Path services = application.resolve("META-INF/services");
    Files.createDirectories(services);
    Files.writeString(services.resolve(HttpClientBuilderFactory.class.getName()),
        Backoff4jHttpClientBuilderFactory.class.getName() + "\n");
    Thread thread = Thread.currentThread();
    ClassLoader original = thread.getContextClassLoader();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {application.toUri().toURL()}, original)) {
      thread.setContextClassLoader(loader);
      return action.call();
    } finally {
      thread.setContextClassLoader(original);
    }
  }
}
