package dev.nemobot.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

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
}
