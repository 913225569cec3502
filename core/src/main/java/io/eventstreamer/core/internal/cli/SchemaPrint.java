package io.eventstreamer.core.internal.cli;

import com.typesafe.config.Config;
import io.eventstreamer.core.InvalidSettingsException;
import io.eventstreamer.core.internal.config.Settings;
import io.eventstreamer.core.internal.plugin.SourceRegistry;
import io.eventstreamer.core.internal.schema.SchemaFormat;

/**
 * {@code --print-schema}: the schema of the events of the sources a start would load, rendered
 * without starting anything (no source, no broker, no port).
 */
public final class SchemaPrint {
    private SchemaPrint() {
    }

    /**
     * Validates the settings as a start does, discovers the sources on the context class loader and
     * in the plugin folders as a start does, and renders the catalogs of those that are not disabled.
     *
     * @throws InvalidSettingsException listing every invalid setting
     */
    public static String run(Config applicationConfig, SchemaFormat format) {
        Settings settings = Settings.from(applicationConfig);
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        SourceRegistry sources = SourceRegistry.discover(loader == null ? SchemaPrint.class.getClassLoader() : loader,
                settings.pluginsDirectory(), settings.config());
        return format.render(sources.enabledCatalogs());
    }
}
