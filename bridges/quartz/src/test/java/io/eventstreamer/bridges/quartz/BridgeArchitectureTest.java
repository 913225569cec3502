package io.eventstreamer.bridges.quartz;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "io.eventstreamer.bridges.quartz", importOptions = ImportOption.DoNotIncludeTests.class)
class BridgeArchitectureTest {
    @ArchTest
    static final ArchRule sees_the_spi_and_its_category_but_not_the_host = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage("io.eventstreamer.core..", "io.eventstreamer.client..")
            .because("a bridge emits through its category's typed emitter, which any host (embedded or not) provides");
}
