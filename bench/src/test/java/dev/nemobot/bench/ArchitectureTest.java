package dev.nemobot.bench;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "dev.nemobot.bench", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    /**
     * bot-core's front door (issue 23.2: the port and its tools in {@code core.chat..}, the engine and its timings,
     * the backend client, the metrics and their server, the store's one exception, the proxy routing), and the two
     * things the benchmark reads beyond it: {@code metrics.MeteredBackend}, which counts every backend call for it,
     * and {@code backend.RenderJob}, the submitted render it takes the delivery delay's start from.
     */
    private static final DescribedPredicate<JavaClass> BOT_CORE_INSIDE = resideInAPackage("dev.nemobot.core..")
            .and(not(resideInAPackage("dev.nemobot.core.chat..")))
            .and(not(nameMatching("dev\\.nemobot\\.core\\.(Engine|EngineTimings|backend\\.NemoClient"
                    + "|metrics\\.EngineMetrics|metrics\\.MetricsServer|store\\.StoreException"
                    + "|net\\.ProxyRouting|net\\.ProxyRefused"
                    + "|metrics\\.MeteredBackend|backend\\.RenderJob)(\\$.*)?")))
            .as("bot-core's inside (not its front door, MeteredBackend or RenderJob)");

    @ArchTest
    static final ArchRule theBenchUsesTheFrontDoorAndTwoMore = noClasses()
            .that().resideInAPackage("dev.nemobot.bench..")
            .should().dependOnClassesThat(BOT_CORE_INSIDE);
}
