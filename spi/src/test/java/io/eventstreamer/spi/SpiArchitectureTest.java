package io.eventstreamer.spi;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * What the SPI may depend on (docs/plugins.md, "What a plugin may depend on"): the JDK and, because
 * plugins receive their HOCON subtree, Typesafe Config. Nothing else of ours, nothing else at all.
 */
@AnalyzeClasses(packages = "io.eventstreamer.spi", importOptions = ImportOption.DoNotIncludeTests.class)
class SpiArchitectureTest {

    @ArchTest
    static final ArchRule spi_depends_only_on_the_jdk_and_typesafe_config = classes()
            .that().resideInAPackage("io.eventstreamer.spi..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("io.eventstreamer.spi..", "java..",
                    "com.typesafe.config..")
            .because("every plugin compiles against the SPI: what it depends on, every plugin gets");
}
