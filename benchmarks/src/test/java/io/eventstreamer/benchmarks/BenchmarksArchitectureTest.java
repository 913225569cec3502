package io.eventstreamer.benchmarks;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.eventstreamer.core.internal.bench.EngineFixture;

/**
 * The benchmarks (the JMH microbenchmarks, the load generator and their tests) reach core's
 * internals only through {@link EngineFixture} (docs/benchmarks.md, "Microbenchmarks"): when the
 * engine changes, the fixture is the one place to adapt.
 */
@AnalyzeClasses(packages = "io.eventstreamer.benchmarks")
class BenchmarksArchitectureTest {

    @ArchTest
    static final ArchRule benchmarks_reach_core_internals_only_through_the_engine_fixture = noClasses()
            .that().resideInAPackage("io.eventstreamer.benchmarks..")
            .should().dependOnClassesThat(resideInAPackage("io.eventstreamer.core.internal..")
                    .and(not(belongToAnyOf(EngineFixture.class))))
            .because("io.eventstreamer.core.internal is no API; EngineFixture is the benchmarks' documented entry"
                    + " point into the engine");
}
