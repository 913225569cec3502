package io.eventstreamer.core;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.lang.conditions.ArchConditions.be;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * The nevers inside core, checked on its compiled classes (tests excluded). See docs/plugins.md,
 * "What a plugin may depend on"; the rules about the other modules live in spi, client,
 * distribution (sources, the example plugin, and every module's use of core's internals) and
 * benchmarks.
 */
@AnalyzeClasses(packages = "io.eventstreamer.core", importOptions = ImportOption.DoNotIncludeTests.class)
class CoreArchitectureTest {
    private static final String INTERNAL_PACKAGE = "io.eventstreamer.core.internal";
    private static final String INTERNAL = INTERNAL_PACKAGE + "..";

    @ArchTest
    static final ArchRule the_engine_and_the_sessions_never_see_a_transport_or_http = noClasses()
            .that().resideInAnyPackage("io.eventstreamer.core.internal.fanout..",
                    "io.eventstreamer.core.internal.session..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.eventstreamer.core.internal.ws..",
                    "io.eventstreamer.core.internal.sse..",
                    "io.eventstreamer.core.internal.http..",
                    "org.eclipse.jetty..",
                    "jakarta.servlet..")
            .because("the fan-out engine and the session manager serve every transport: the engine hands a"
                    + " session's transport messages, which the transport's framing lays out and the transport"
                    + " writes");

    @ArchTest
    static final ArchRule sse_never_sees_websocket = noClasses()
            .that().resideInAPackage("io.eventstreamer.core.internal.sse..")
            .should().dependOnClassesThat().resideInAPackage("io.eventstreamer.core.internal.ws..")
            .because("a transport reaches subscriptions, capacity and the heartbeat through session; WebSocket's"
                    + " and SSE's code share nothing but the engine and the session layer");

    @ArchTest
    static final ArchRule websocket_never_sees_sse = noClasses()
            .that().resideInAPackage("io.eventstreamer.core.internal.ws..")
            .should().dependOnClassesThat().resideInAPackage("io.eventstreamer.core.internal.sse..")
            .because("each transport is its own package beside the session layer");

    @ArchTest
    static final ArchRule the_broker_never_sees_the_engine_or_a_transport = noClasses()
            .that().resideInAPackage("io.eventstreamer.core.internal.broker..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.eventstreamer.core.internal.fanout..",
                    "io.eventstreamer.core.internal.ws..",
                    "io.eventstreamer.core.internal.sse..",
                    "io.eventstreamer.core.internal.http..",
                    "org.eclipse.jetty..",
                    "jakarta.servlet..")
            .because("the engine reads the broker's logs through broker.LogReader; the broker knows no channel,"
                    + " session or connection");

    @ArchTest
    static final ArchRule the_public_api_of_core_is_four_classes = classes()
            .that().resideOutsideOfPackage(INTERNAL)
            .should(be(belongToAnyOf(EventStreamer.class, Main.class, HostStartException.class,
                    InvalidSettingsException.class)
                    .as("EventStreamer, Main, HostStartException or InvalidSettingsException (or nested in one)")))
            .because("plugins see only the SPI and embedders only io.eventstreamer.core: everything else of core"
                    + " lives in io.eventstreamer.core.internal, which is no API");

    @ArchTest
    static final ArchRule the_public_api_exposes_no_internal_type = classes()
            .that().resideOutsideOfPackage(INTERNAL)
            .should(exposeNoTypeOf(INTERNAL_PACKAGE))
            .because("a type of io.eventstreamer.core.internal in a public signature would make it API");

    @ArchTest
    static final ArchRule only_the_benchmarks_use_the_engine_fixture = noClasses()
            .that().resideOutsideOfPackage("io.eventstreamer.core.internal.bench..")
            .should().dependOnClassesThat().resideInAPackage("io.eventstreamer.core.internal.bench..")
            .because("EngineFixture is the benchmarks' entry point into the engine, not part of the host");

    /**
     * No public or protected member of a public class names a type of {@code packageName} (or of a
     * package below it) in its signature (raw types: return, parameters, throws, field type), and no
     * public class extends or implements one.
     */
    private static ArchCondition<JavaClass> exposeNoTypeOf(String packageName) {
        return new ArchCondition<>("expose no type of " + packageName + ".. in a public signature") {
            @Override
            public void check(JavaClass item, ConditionEvents events) {
                if (!item.getModifiers().contains(JavaModifier.PUBLIC)) {
                    return;
                }
                List<JavaClass> supertypes = new ArrayList<>(item.getRawInterfaces());
                item.getRawSuperclass().ifPresent(supertypes::add);
                for (JavaClass type : supertypes) {
                    report(item, item.getName(), type, events);
                }
                for (JavaMember member : item.getMembers()) {
                    if (!member.getModifiers().contains(JavaModifier.PUBLIC)
                            && !member.getModifiers().contains(JavaModifier.PROTECTED)) {
                        continue;
                    }
                    for (JavaClass type : signatureTypes(member)) {
                        report(item, member.getFullName(), type, events);
                    }
                }
            }

            private void report(JavaClass item, String where, JavaClass type, ConditionEvents events) {
                JavaClass base = type.getBaseComponentType();
                String p = base.getPackageName();
                if (p.equals(packageName) || p.startsWith(packageName + ".")) {
                    events.add(SimpleConditionEvent.violated(item, where + " exposes " + base.getName()));
                }
            }
        };
    }

    private static List<JavaClass> signatureTypes(JavaMember member) {
        List<JavaClass> types = new ArrayList<>();
        if (member instanceof JavaField) {
            types.add(((JavaField) member).getRawType());
        } else if (member instanceof JavaCodeUnit) {
            JavaCodeUnit unit = (JavaCodeUnit) member;
            types.add(unit.getRawReturnType());
            types.addAll(unit.getRawParameterTypes());
            types.addAll(unit.getThrowsClause().getTypes());
        }
        return types;
    }
}
