package io.eventstreamer.distribution;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.Dependency.Predicates.dependency;
import static com.tngtech.archunit.core.domain.Dependency.Predicates.dependencyTarget;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.lang.conditions.ArchConditions.onlyHaveDependenciesWhere;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The nevers between modules, checked here because this module's tests see them all: the compiled
 * classes of the SPI, the client, the standard sources and the example plugin (from their jars),
 * and this module's own tests. See docs/plugins.md, "What a plugin may depend on". Core checks its
 * own packages (CoreArchitectureTest), the SPI its dependencies (SpiArchitectureTest), the client
 * that it never sees core (ClientArchitectureTest), the benchmarks that they reach core's internals
 * only through EngineFixture (BenchmarksArchitectureTest).
 *
 * <p>Run by failsafe with the other ITs; it starts nothing.
 */
@AnalyzeClasses(packages = {"io.eventstreamer.spi", "io.eventstreamer.client", "io.eventstreamer.sources",
        "io.eventstreamer.examples", "io.eventstreamer.distribution"})
class ModuleBoundariesIT {
    private static final String[] WHAT_A_PLUGIN_GETS = {"io.eventstreamer.spi..", "java..", "org.slf4j..",
        "com.typesafe.config.."};

    /**
     * Tests of this module that use core's internals, each for a reason; nothing else outside core
     * may. Add to this list only with a reason. (Named by string, so that this class itself uses no
     * internal class.)
     */
    private static final DescribedPredicate<Dependency> ALLOWED_TEST_USES_OF_INTERNALS =
            dependency(belongToAnyOf(SchemaIT.class), resideInAPackage("io.eventstreamer.core.internal.schema"))
                    .as("SchemaIT using core.internal.schema (it compares --print-schema and GET /api/schema with"
                            + " the generator itself, and uses core's test helpers CatalogPayloads and"
                            + " JsonSchemaCheck)")
            .or(dependency(belongToAnyOf(RollingRestartIT.class), name("io.eventstreamer.core.internal.broker.StreamIds"))
                    .as("RollingRestartIT using broker.StreamIds (it orders the Redis broker's event ids as the"
                            + " broker does)"));

    @ArchTest
    static final ArchRule sources_depend_only_on_the_spi_the_jdk_slf4j_and_typesafe_config = classes()
            .that().resideInAPackage("io.eventstreamer.sources..")
            .should().onlyDependOnClassesThat().resideInAnyPackage(with("io.eventstreamer.sources.."))
            .because("a source is a plugin: it gets the SPI (provided scope), the JDK, SLF4J and its HOCON"
                    + " subtree, and never core");

    @ArchTest
    static final ArchRule the_example_plugin_depends_only_on_the_spi_the_jdk_slf4j_and_typesafe_config = classes()
            .that().resideInAPackage("io.eventstreamer.examples..")
            .should().onlyDependOnClassesThat().resideInAnyPackage(with("io.eventstreamer.examples.."))
            .because("it shows plugin authors what a plugin may use");

    @ArchTest
    static final ArchRule sources_do_not_depend_on_each_other = slices()
            .matching("io.eventstreamer.sources.(*)..")
            .should().notDependOnEachOther()
            .because("each source is a plugin jar of its own, deployed or left out alone");

    @ArchTest
    static final ArchRule nothing_outside_core_uses_core_internals = classes()
            .that().resideOutsideOfPackage("io.eventstreamer.core..")
            .should(onlyHaveDependenciesWhere(
                    dependencyTarget(not(resideInAPackage("io.eventstreamer.core.internal..")))
                            .or(ALLOWED_TEST_USES_OF_INTERNALS)))
            .because("io.eventstreamer.core.internal is no API: plugins see the SPI, embedders"
                    + " io.eventstreamer.core");

    private static String[] with(String ownPackage) {
        String[] packages = new String[WHAT_A_PLUGIN_GETS.length + 1];
        System.arraycopy(WHAT_A_PLUGIN_GETS, 0, packages, 0, WHAT_A_PLUGIN_GETS.length);
        packages[WHAT_A_PLUGIN_GETS.length] = ownPackage;
        return packages;
    }
}
