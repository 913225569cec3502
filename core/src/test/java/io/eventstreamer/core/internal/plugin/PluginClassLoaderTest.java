package io.eventstreamer.core.internal.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import io.eventstreamer.core.it.fixtures.GreeterPlugins;
import io.eventstreamer.core.it.fixtures.TestJar;
import io.eventstreamer.spi.EventSource;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

/**
 * The class loader of a plugin folder, with two plugins that bundle conflicting versions of one
 * library ({@link GreeterPlugins}).
 */
class PluginClassLoaderTest {
    private static final ClassLoader CORE = PluginClassLoaderTest.class.getClassLoader();

    @TempDir
    static Path plugins;

    private static List<URL> one;
    private static List<URL> two;

    private final List<URLClassLoader> opened = new ArrayList<>();

    @BeforeAll
    static void buildPlugins() throws IOException {
        one = urls(GreeterPlugins.pluginOne(plugins));
        two = urls(GreeterPlugins.pluginTwo(plugins));
    }

    @AfterEach
    void close() throws IOException {
        for (URLClassLoader loader : opened) {
            loader.close();
        }
    }

    @Test
    @DisplayName("each plugin runs against its own version of the library, in one JVM")
    void eachPluginSeesItsOwnLibrary() throws Exception {
        PluginClassLoader loaderOne = open("greeter-one", one);
        PluginClassLoader loaderTwo = open("greeter-two", two);

        assertThat(greeting(loaderOne, GreeterPlugins.ONE_CLASS)).isEqualTo("Hello, Ada");
        assertThat(greeting(loaderTwo, GreeterPlugins.TWO_CLASS)).isEqualTo("Hello again, Ada! Hello again, Ada!");
        Class<?> greeterOne = loaderOne.loadClass("com.example.greeting.Greeter");
        Class<?> greeterTwo = loaderTwo.loadClass("com.example.greeting.Greeter");
        assertThat(greeterOne).isNotSameAs(greeterTwo);
        assertThat(greeterOne.getMethod("version").invoke(null)).isEqualTo("1.0");
        assertThat(greeterTwo.getMethod("version").invoke(null)).isEqualTo("2.0");
    }

    @Test
    @DisplayName("on one flat class path the same two plugins clash: one of them gets NoSuchMethodError")
    void flatClassPathClashes() throws Exception {
        List<URL> flat = new ArrayList<>(one);
        flat.addAll(two);
        URLClassLoader loader = new URLClassLoader(flat.toArray(new URL[0]), CORE);
        opened.add(loader);

        assertThat(greeting(loader, GreeterPlugins.ONE_CLASS)).isEqualTo("Hello, Ada");
        assertThatThrownBy(() -> greeting(loader, GreeterPlugins.TWO_CLASS))
                .isInstanceOf(InvocationTargetException.class)
                .cause().isInstanceOf(NoSuchMethodError.class);
    }

    @Test
    @DisplayName("the SPI, Typesafe Config and SLF4J are the host's classes, not copies")
    void sharedPackagesComeFromTheHost() throws Exception {
        PluginClassLoader loader = open("greeter-one", one);

        assertThat(loader.loadClass(EventSource.class.getName())).isSameAs(EventSource.class);
        assertThat(loader.loadClass(Config.class.getName())).isSameAs(Config.class);
        assertThat(loader.loadClass(Logger.class.getName())).isSameAs(Logger.class);
        assertThat(loader.loadClass(GreeterPlugins.ONE_CLASS).getInterfaces()).containsExactly(EventSource.class);
        assertThat(loader.loadClass(String.class.getName())).isSameAs(String.class);
    }

    @Test
    @DisplayName("a copy of a shared class bundled in a plugin jar is ignored")
    void bundledCopiesOfSharedClassesAreIgnored() throws Exception {
        Path jar = TestJar.create()
                .java("org.slf4j.LoggerFactory", "package org.slf4j; public final class LoggerFactory { }")
                .writeTo(Files.createDirectories(plugins.resolve("bundles-slf4j")).resolve("fake-slf4j.jar"));
        PluginClassLoader loader = open("bundles-slf4j", List.of(jar.toUri().toURL()));

        assertThat(loader.loadClass("org.slf4j.LoggerFactory")).isSameAs(org.slf4j.LoggerFactory.class);
    }

    @Test
    @DisplayName("nothing else of the host is visible: not core, not Jackson, not Jetty")
    void hostClassesAreInvisible() {
        PluginClassLoader loader = open("greeter-one", one);

        for (String hostClass : List.of("io.eventstreamer.core.EventStreamer",
                "com.fasterxml.jackson.databind.ObjectMapper", "org.eclipse.jetty.server.Server")) {
            assertThatThrownBy(() -> loader.loadClass(hostClass)).as(hostClass)
                    .isInstanceOf(ClassNotFoundException.class);
        }
    }

    @Test
    @DisplayName("resources come from the plugin's jars only, so ServiceLoader finds its sources and no others")
    void resourcesAreThePlugins() throws IOException {
        PluginClassLoader loader = open("greeter-one", one);
        String services = "META-INF/services/" + EventSource.class.getName();

        assertThat(CORE.getResources(services).hasMoreElements()).as("core's tests register sources").isTrue();
        List<URL> found = Collections.list(loader.getResources(services));
        assertThat(found).singleElement().asString().contains("greeter-one-plugin.jar");
        assertThat(Collections.list(loader.getResources("reference.conf"))).singleElement().asString()
                .contains("greeter-one-plugin.jar");
        assertThat(loader.getResource("logback-test.xml")).as("a resource of the host's class path").isNull();
    }

    private PluginClassLoader open(String name, List<URL> jars) {
        PluginClassLoader loader = new PluginClassLoader(name, jars, CORE);
        opened.add(loader);
        return loader;
    }

    private static String greeting(ClassLoader loader, String sourceClass) throws Exception {
        Method greeting = Class.forName(sourceClass, true, loader).getMethod("greeting", String.class);
        return (String) greeting.invoke(null, "Ada");
    }

    private static List<URL> urls(Path folder) throws IOException {
        List<URL> urls = new ArrayList<>();
        for (Path jar : PluginFolder.list(folder.getParent()).stream()
                .filter(f -> f.directory().equals(folder)).findFirst().orElseThrow().jars()) {
            urls.add(jar.toUri().toURL());
        }
        return urls;
    }
}
