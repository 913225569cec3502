package io.eventstreamer.client;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The Java client never sees core (docs/plugins.md, "What a plugin may depend on"): it speaks the
 * protocol as any other client does. Its tests may start a host; its compiled classes may not
 * depend on one.
 */
@AnalyzeClasses(packages = "io.eventstreamer.client", importOptions = ImportOption.DoNotIncludeTests.class)
class ClientArchitectureTest {

    @ArchTest
    static final ArchRule the_client_never_depends_on_core = noClasses()
            .that().resideInAPackage("io.eventstreamer.client..")
            .should().dependOnClassesThat().resideInAPackage("io.eventstreamer.core..")
            .because("the client talks to any host over the wire protocol (docs/protocol.md), not through core's"
                    + " classes");
}
