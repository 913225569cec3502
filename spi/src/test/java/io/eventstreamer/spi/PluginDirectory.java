package io.eventstreamer.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A plugin laid out in a directory, as a source jar would be: the source class, its
 * {@code META-INF/services} registration and its {@code reference.conf}, loaded child-first by a
 * class loader of its own.
 *
 * <p>The SPI's tests of the contract kit use it so that no registration or reference.conf sits
 * in {@code target/test-classes}, where Maven's reactor would hand it to the source modules that
 * use the kit's test-jar.
 */
final class PluginDirectory {
    private final ClassLoader loader;
    private final String sourceClassName;

    private PluginDirectory(ClassLoader loader, String sourceClassName) {
        this.loader = loader;
        this.sourceClassName = sourceClassName;
    }

    /** Lays out {@code sourceClass} as a plugin under {@code dir}, with that reference.conf. */
    static PluginDirectory install(Path dir, Class<? extends EventSource> sourceClass, String referenceConf) {
        try {
            String classFile = sourceClass.getName().replace('.', '/') + ".class";
            Path target = dir.resolve(classFile);
            Files.createDirectories(target.getParent());
            try (InputStream bytes = sourceClass.getClassLoader().getResourceAsStream(classFile)) {
                Files.copy(bytes, target);
            }
            Path services = dir.resolve("META-INF/services/" + EventSource.class.getName());
            Files.createDirectories(services.getParent());
            Files.writeString(services, sourceClass.getName() + "\n");
            Files.writeString(dir.resolve("reference.conf"), referenceConf);
            return new PluginDirectory(new ChildFirstLoader(dir.toUri().toURL(), sourceClass.getClassLoader()),
                    sourceClass.getName());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new instance of the source, loaded from the plugin directory. */
    EventSource newSource() {
        try {
            return (EventSource) loader.loadClass(sourceClassName).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Loads the classes of its own directory itself, everything else (the SPI above all) from its parent. */
    private static final class ChildFirstLoader extends URLClassLoader {
        ChildFirstLoader(URL dir, ClassLoader parent) throws MalformedURLException {
            super(new URL[] {dir}, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null && findResource(name.replace('.', '/') + ".class") != null) {
                    loaded = findClass(name);
                }
                if (loaded == null) {
                    return super.loadClass(name, resolve);
                }
                if (resolve) {
                    resolveClass(loaded);
                }
                return loaded;
            }
        }
    }
}
