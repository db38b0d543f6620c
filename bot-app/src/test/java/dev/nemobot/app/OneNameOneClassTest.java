package dev.nemobot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * No two main classes of the bot share a simple name, whatever module they are in (issue 23.5): a name says which
 * one is meant. bot-app's test class path holds every module (bot-core, the adapters, the simulator, config), so this
 * is where they can all be seen at once; the engine's test fixtures are left out.
 */
class OneNameOneClassTest {
    @Test
    void everyTopLevelMainClassHasANameOfItsOwn() {
        Map<String, List<String>> byName = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // in a reactor build the adapters' test classes come as their test jars, not test-classes folders
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("dev.nemobot").stream()
                .filter(JavaClass::isTopLevelClass)
                .filter(c -> !c.getPackageName().startsWith("dev.nemobot.core.testing")
                        && !c.getPackageName().equals("dev.nemobot.testing"))
                .filter(c -> !c.getSimpleName().equals("package-info"))
                .collect(Collectors.groupingBy(JavaClass::getSimpleName, TreeMap::new,
                        Collectors.mapping(JavaClass::getName, Collectors.toList())));
        assertThat(byName).as("every module is seen").containsKeys("Engine", "TelegramPlatform", "DiscordPlatform",
                "NemoSimulator", "Settings", "Main");
        byName.values().removeIf(names -> names.size() < 2);
        assertThat(byName).as("main classes sharing a simple name").isEmpty();
    }
}
