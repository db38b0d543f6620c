package dev.nemobot.app;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "dev.nemobot.app", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    /** The simulator and jcodec ride in the jar for --demo only: nothing but Demo may reach them. */
    @ArchTest
    static final ArchRule onlyTheDemoUsesTheSimulator = noClasses().that().resideInAPackage("dev.nemobot.app..")
            .and().doNotHaveSimpleName("Demo")
            .should().dependOnClassesThat().resideInAnyPackage("dev.nemobot.simulator..", "org.jcodec..");

    /**
     * bot-core's front door for the launcher (issue 23.2): the port and its tools ({@code core.chat..}), the engine
     * and its timings, the backend client, the metrics and their server, and the store's one exception. The rest of
     * bot-core is the engine's inside.
     */
    private static final DescribedPredicate<JavaClass> BOT_CORE_INSIDE = resideInAPackage("dev.nemobot.core..")
            .and(not(resideInAPackage("dev.nemobot.core.chat..")))
            .and(not(nameMatching("dev\\.nemobot\\.core\\.(Engine|EngineTimings|backend\\.NemoClient"
                    + "|metrics\\.EngineMetrics|metrics\\.MetricsServer|store\\.StoreException)(\\$.*)?")))
            .as("bot-core's inside (not core.chat.., Engine, EngineTimings, NemoClient, EngineMetrics, MetricsServer"
                    + " or StoreException)");

    @ArchTest
    static final ArchRule theAppUsesOnlyTheEnginesFrontDoor = noClasses().that().resideInAPackage("dev.nemobot.app..")
            .should().dependOnClassesThat(BOT_CORE_INSIDE);

    /** The console is an adapter like the Telegram and Discord ones: the port, its tools and the engine, no more. */
    @ArchTest
    static final ArchRule theConsoleIsAnAdapter = noClasses()
            .that().haveNameMatching("dev\\.nemobot\\.app\\.ConsoleChat(\\$.*)?")
            .should().dependOnClassesThat(resideInAPackage("dev.nemobot.core..")
                    .and(not(resideInAnyPackage("dev.nemobot.core.chat..")))
                    .and(not(nameMatching("dev\\.nemobot\\.core\\.Engine(\\$.*)?")))
                    .as("bot-core beyond core.chat.. and Engine"));
}
