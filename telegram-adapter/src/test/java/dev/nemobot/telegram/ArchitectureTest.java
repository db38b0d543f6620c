package dev.nemobot.telegram;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.nemobot.core.Engine;

@AnalyzeClasses(packages = "dev.nemobot.telegram", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /**
     * The adapter talks to the engine only through its front door (issue 23.2): the platform port
     * ({@code core.chat}, {@code core.chat.options}), the tools beside it ({@code core.chat.kit}: catalogue, text
     * splitting, rate budget, file names and types) and the engine's entry point; its HTTP clients go through the
     * proxy by the one shared routing ({@code core.net}).
     */
    @ArchTest
    static final ArchRule usesOnlyTheChatPortsAndTheEngine = noClasses().that().resideInAPackage("dev.nemobot.telegram..")
            .should().dependOnClassesThat(resideInAPackage("dev.nemobot.core..")
                    .and(not(resideInAPackage("dev.nemobot.core.chat..")))
                    .and(not(resideInAPackage("dev.nemobot.core.net..")))
                    .and(not(belongToAnyOf(Engine.class))));

    @ArchTest
    static final ArchRule knowsNoOtherAdapterNorTheApp = noClasses().that().resideInAPackage("dev.nemobot.telegram..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.nemobot.discord..", "dev.nemobot.app..",
                    "dev.nemobot.simulator..");
}
