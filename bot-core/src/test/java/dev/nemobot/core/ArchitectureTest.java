package dev.nemobot.core;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

@AnalyzeClasses(packages = "dev.nemobot.core", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule coreKnowsNoChatPlatformLibrary = noClasses().that().resideInAPackage("dev.nemobot.core..")
            .should().dependOnClassesThat().resideInAnyPackage("net.dv8tion..", "org.telegram..");

    @ArchTest
    static final ArchRule coreKnowsNoAdapterOrApp = noClasses().that().resideInAPackage("dev.nemobot.core..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.nemobot.telegram..", "dev.nemobot.discord..",
                    "dev.nemobot.app..", "dev.nemobot.simulator..");

    /** The platform ports are the bottom of the engine: they know nothing else of it. */
    @ArchTest
    static final ArchRule chatModelDependsOnNothingOfTheEngine = noClasses().that().resideInAPackage("dev.nemobot.core.chat..")
            .should().dependOnClassesThat(resideInAPackage("dev.nemobot.core..")
                    .and(not(resideInAPackage("dev.nemobot.core.chat.."))));

    /**
     * The port itself ({@code core.chat}: what a platform implements and calls) uses none of the tools beside it
     * ({@code core.chat.kit}: the catalogue, text splitting, rate budgets, file names, ...), which may use the port's
     * values (issue 23.2).
     */
    @ArchTest
    static final ArchRule thePortKnowsNothingOfTheKit = noClasses().that().resideInAPackage("dev.nemobot.core.chat")
            .should().dependOnClassesThat().resideInAPackage("dev.nemobot.core.chat.kit..");

    /**
     * What waits and what stops a call ({@code core.work}: {@code Pause}, {@code Cancellation}) is at the very
     * bottom: the lanes, the backend and the flow share it without knowing each other (issue 23.2).
     */
    @ArchTest
    static final ArchRule workKnowsNothingOfTheEngine = noClasses().that().resideInAPackage("dev.nemobot.core.work..")
            .should().dependOnClassesThat(resideInAPackage("dev.nemobot.core..")
                    .and(not(resideInAPackage("dev.nemobot.core.work.."))));

    /** intake, lane, conversation, export, backend, store, ... : each may use the ones below it, never back. */
    @ArchTest
    static final ArchRule corePackagesAreFreeOfCycles = slices().matching("dev.nemobot.core.(*)..")
            .should().beFreeOfCycles();

    /** The outbound ports sit at the bottom: the backend client and the store know nothing of the message's path. */
    @ArchTest
    static final ArchRule outboundPortsKnowNothingOfTheFlow = noClasses().that()
            .resideInAnyPackage("dev.nemobot.core.backend..", "dev.nemobot.core.store..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.nemobot.core.intake..", "dev.nemobot.core.lane..",
                    "dev.nemobot.core.conversation..", "dev.nemobot.core.export..", "dev.nemobot.core.identity..");

    /**
     * Intake and the conversation ask for an export only through the conversation's port
     * ({@code conversation.Exports}, which the export implements): none of the export's internals.
     */
    @ArchTest
    static final ArchRule theExportIsReachedThroughItsPort = noClasses().that()
            .resideInAnyPackage("dev.nemobot.core.intake..", "dev.nemobot.core.conversation..")
            .should().dependOnClassesThat().resideInAPackage("dev.nemobot.core.export..");

    /**
     * A lane runs a user's jobs in order, whatever they are: it knows nothing of intake, turns or exports, nor of the
     * backend the jobs call (its cancellation is {@code core.work}'s; issue 23.2).
     */
    @ArchTest
    static final ArchRule lanesKnowNothingOfTheirJobs = noClasses().that().resideInAPackage("dev.nemobot.core.lane..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.nemobot.core.intake..",
                    "dev.nemobot.core.conversation..", "dev.nemobot.core.export..", "dev.nemobot.core.identity..",
                    "dev.nemobot.core.backend..");

    /** Only the engine's entry point wires the path together: nothing below it reaches back to it. */
    @ArchTest
    static final ArchRule nothingOnThePathDependsOnTheEngine = noClasses().that()
            .resideInAnyPackage("dev.nemobot.core.intake..", "dev.nemobot.core.lane..",
                    "dev.nemobot.core.conversation..", "dev.nemobot.core.export..")
            .should().dependOnClassesThat().resideInAPackage("dev.nemobot.core");

    /**
     * The backend's JSON is the backend package's own: the message's path reads the typed project model
     * ({@code backend.ProjectState}, {@code Draft}, ...), never a field name. (The simulator, config and adapters
     * parse their own JSON; metrics and store need none either, but are not on the path.)
     */
    @ArchTest
    static final ArchRule onlyTheBackendReadsJson = noClasses().that()
            .resideInAnyPackage("dev.nemobot.core.chat..", "dev.nemobot.core.intake..", "dev.nemobot.core.lane..",
                    "dev.nemobot.core.conversation..", "dev.nemobot.core.export..", "dev.nemobot.core.text..",
                    "dev.nemobot.core.identity..")
            .should().dependOnClassesThat().resideInAPackage("com.fasterxml.jackson..");

    /** ... and the backend hands out none: its public methods (record accessors included) return no Jackson type. */
    @ArchTest
    static final ArchRule theBackendsApiShowsNoJson = noMethods().that().arePublic()
            .and().areDeclaredInClassesThat().resideInAPackage("dev.nemobot.core.backend..")
            .should().haveRawReturnType(resideInAPackage("com.fasterxml.jackson.."));

    /**
     * The flow takes the one store port it needs (identities, export jobs, turn claims, handled messages, the
     * ledger): only the engine holds the whole store, opens it and closes it; nothing else knows how it is kept.
     */
    @ArchTest
    static final ArchRule theFlowUsesNarrowStorePorts = noClasses().that()
            .resideInAnyPackage("dev.nemobot.core.intake..", "dev.nemobot.core.lane..",
                    "dev.nemobot.core.conversation..", "dev.nemobot.core.export..", "dev.nemobot.core.identity..")
            .should().dependOnClassesThat().haveFullyQualifiedName("dev.nemobot.core.store.Store")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.nemobot.core.store.StoreOptions")
            .orShould().dependOnClassesThat().resideInAPackage("dev.nemobot.core.store.memory..");

    /**
     * A package's assembly entry ({@code Exporter.wire}, {@code ConversationParts.wire}, {@code Intake.wire}) builds
     * its pieces together, so that the pieces stay package-private: it is the engine's to call, no one else's
     * (issue 23.2).
     */
    @ArchTest
    static final ArchRule onlyTheEngineWiresThePackages = methods().that().haveName("wire")
            .and().areDeclaredInClassesThat().resideInAPackage("dev.nemobot.core..")
            .should().onlyBeCalled().byClassesThat().resideInAPackage("dev.nemobot.core");

    /**
     * No method or constructor takes more than seven parameters: a class that needs more collaborators does more than
     * one thing (the old Dispatcher took sixteen), and a method that needs more wants a parameter object (the
     * package's {@code wire} took 21 before {@code ConversationParts.Peers}, {@code Stores} and
     * {@code lane.WorkContext}; issue 23). Records' canonical constructors are values, not collaborators, and are not
     * counted, nor are compiler-made methods (a lambda's captures). One exception, named: the platform port's
     * {@code finishWithVideo} (a video's eight facts, as every adapter implements it) and the meter that wraps it.
     */
    @ArchTest
    static final ArchRule noMethodOrConstructorTakesMoreThanSevenParameters = codeUnits()
            .that(new DescribedPredicate<JavaCodeUnit>("are written in the source, not a record's canonical "
                    + "constructor nor ChatPlatform.finishWithVideo") {
                @Override
                public boolean test(JavaCodeUnit c) {
                    boolean canonical = c.isConstructor() && c.getOwner().isRecord()
                            && c.getRawParameterTypes().size() == c.getOwner().getFields().stream()
                            .filter(f -> !f.getModifiers().contains(JavaModifier.STATIC)).count();
                    return !c.getModifiers().contains(JavaModifier.SYNTHETIC) && !canonical
                            && !c.getName().equals("finishWithVideo");
                }
            })
            .should(new ArchCondition<JavaCodeUnit>("take at most 7 parameters") {
                @Override
                public void check(JavaCodeUnit c, ConditionEvents events) {
                    if (c.getRawParameterTypes().size() > 7) {
                        events.add(SimpleConditionEvent.violated(c, c.getFullName() + " takes "
                                + c.getRawParameterTypes().size() + " parameters"));
                    }
                }
            });

    /**
     * bot-core's front door (issue 23.2): what the adapters, the launcher and the benchmark may use (their own
     * ArchitectureTests hold them to it). Everything else is the engine's inside.
     */
    private static final DescribedPredicate<JavaClass> FRONT_DOOR = resideInAnyPackage("dev.nemobot.core.chat..",
            "dev.nemobot.core.net..")
            .or(nameMatching("dev\\.nemobot\\.core\\.(Engine|EngineTimings|backend\\.NemoClient|metrics\\.EngineMetrics"
                    + "|metrics\\.MetricsServer|store\\.StoreException|metrics\\.MeteredBackend|backend\\.RenderJob)"))
            .as("bot-core's front door");

    /**
     * Public for the tests of other packages only, each for a reason: the store in memory that the engine specs run
     * on; the store's key, a component of {@code StoreOptions} (bot-app's tests open a store with a given key); the
     * generated media, a component of {@code ProjectState} that the tests' {@code MemoryBackend} builds.
     */
    private static final DescribedPredicate<JavaClass> PUBLIC_FOR_TESTS = resideInAPackage("dev.nemobot.core..")
            .and(nameMatching(
            "dev\\.nemobot\\.core\\.(store\\.memory\\.MemoryStore|store\\.TokenCipher|backend\\.GeneratedMedia)"))
            .as("public for the tests of other packages");

    /**
     * Behind the front door a type is public only because a class of another package uses it: one used only inside
     * its package is package-private, so the public types cannot creep back (issue 23.2: 114 of 174 before, see
     * docs). Tests do not count: a test in the type's own package reaches it anyway.
     */
    @ArchTest
    static final ArchRule aPublicTypeBehindTheFrontDoorIsUsedBeyondItsPackage = classes().that().arePublic()
            .and().areTopLevelClasses()
            .and(not(FRONT_DOOR)).and(not(PUBLIC_FOR_TESTS))
            .should(new ArchCondition<JavaClass>("be used by a class of another package (else be package-private)") {
                @Override
                public void check(JavaClass c, ConditionEvents events) {
                    boolean usedOutside = c.getDirectDependenciesToSelf().stream()
                            .anyMatch(d -> !d.getOriginClass().getPackageName().equals(c.getPackageName()));
                    if (!usedOutside) {
                        events.add(SimpleConditionEvent.violated(c, c.getName()
                                + " is public but nothing outside its package uses it"));
                    }
                }
            });
}
