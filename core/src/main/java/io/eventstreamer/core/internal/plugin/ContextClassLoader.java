package io.eventstreamer.core.internal.plugin;

/**
 * Runs a call into a plugin with the plugin's class loader as the thread's context class loader,
 * as libraries that look things up by name (ServiceLoader, JAXB, logging bridges, Typesafe Config's
 * {@code ConfigFactory.load()}) expect; threads the plugin starts meanwhile inherit it.
 */
final class ContextClassLoader {
    /** A call into a plugin. */
    @FunctionalInterface
    interface Call<E extends Exception> {
        void run() throws E;
    }

    private ContextClassLoader() {
    }

    /** Runs {@code call} with {@code loader} as the context class loader, or as it is when null. */
    static <E extends Exception> void run(ClassLoader loader, Call<E> call) throws E {
        if (loader == null) {
            call.run();
            return;
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            call.run();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
