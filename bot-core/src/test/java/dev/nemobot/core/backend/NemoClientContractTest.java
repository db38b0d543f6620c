package dev.nemobot.core.backend;

import dev.nemobot.config.NemoSettings;
import dev.nemobot.config.Secret;
import dev.nemobot.simulator.NemoSimulator;
import dev.nemobot.simulator.SimulatorConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** The backend contract on the real client against nemo-simulator (its fast test settings), over HTTP on 127.0.0.1. */
class NemoClientContractTest extends NemoBackendContract {
    private final List<AutoCloseable> opened = new ArrayList<>();
    NemoSimulator sim;

    @Override
    NemoBackend open(int startCredits) {
        sim = NemoSimulator.start(SimulatorConfig.fast().withStartCredits(startCredits));
        opened.add(sim);
        NemoClient client = NemoClient.builder(NemoSettings.at(sim.baseUrl())).reconnectDelay(Duration.ofMillis(10))
                .callTimeout(Duration.ofSeconds(20)).streamReadTimeout(Duration.ofSeconds(20)).build();
        opened.add(client);
        return client;
    }

    @Override
    void expire(Secret token) {
        sim.faults().expireToken(token.reveal());
    }

    @Override
    void hangNextTurn() {
        sim.faults().heartbeatsOnlyNextTurn();
    }

    @Override
    void failNextRender() {
        sim.faults().failNextRender();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : opened.reversed()) {
            c.close();
        }
    }
}
