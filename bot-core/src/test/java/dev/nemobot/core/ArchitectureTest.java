package dev.nemobot.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "dev.nemobot.core", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule coreKnowsNoChatPlatformLibrary = noClasses().that().resideInAPackage("dev.nemobot.core..")
            .should().dependOnClassesThat().resideInAnyPackage("net.dv8tion..", "org.telegram..");

    @ArchTest
    static final ArchRule coreKnowsNoAdapterOrApp = noClasses().that().resideInAPackage("dev.nemobot.core..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.nemobot.telegram..", "dev.nemobot.discord..",
                    "dev.nemobot.app..", "dev.nemobot.simulator..");

    @ArchTest
    static final ArchRule chatModelDependsOnNothingOfTheEngine = noClasses().that().resideInAPackage("dev.nemobot.core.chat..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.nemobot.core.identity..", "dev.nemobot.core.conversation..",
                    "dev.nemobot.core.export..", "dev.nemobot.core.store..", "dev.nemobot.core.support..");
}
