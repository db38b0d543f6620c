package dev.nemobot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NEMO_CA_FILE: the backend's own CA, trusted besides the JDK's; unset trusts the JDK's alone. */
class CaFileSettingsTest {
    @TempDir
    Path dir;

    @Test
    void unsetTrustsTheJdksCasAlone() {
        assertThat(SettingsLoader.load(Optional.empty(), Map.of()).nemo().caFile()).isEmpty();
    }

    @Test
    void aReadableFileIsKept() throws Exception {
        Path pem = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        assertThat(SettingsLoader.load(Optional.empty(), Map.of("NEMO_CA_FILE", pem.toString())).nemo().caFile())
                .contains(pem);
    }

    @Test
    void aMissingFileStopsTheStartNamingTheKey() {
        assertThatThrownBy(() -> SettingsLoader.load(Optional.empty(),
                Map.of("NEMO_CA_FILE", dir.resolve("nowhere.pem").toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("NEMO_CA_FILE");
        assertThatThrownBy(() -> SettingsLoader.load(Optional.empty(), Map.of("NEMO_CA_FILE", dir.toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("NEMO_CA_FILE");
    }
}
