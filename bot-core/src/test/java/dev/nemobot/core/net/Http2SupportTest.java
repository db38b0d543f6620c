package dev.nemobot.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import org.junit.jupiter.api.Test;

/** HTTP/2 is offered on Java 24+ only (the wire: NemoHttpStreamPoolsTest, over the TLS simulator as on Java 21). */
class Http2SupportTest {
    @Test
    void beforeJava24TheClientsOfferHttp11Only() {
        assertThat(Http2Support.protocols(21)).containsExactly(Protocol.HTTP_1_1);
        assertThat(Http2Support.protocols(23)).containsExactly(Protocol.HTTP_1_1);
        assertThat(Http2Support.apply(new OkHttpClient.Builder(), 21).build().protocols())
                .containsExactly(Protocol.HTTP_1_1);
    }

    @Test
    void fromJava24OkHttpsOwnChoiceStands() {
        assertThat(Http2Support.protocols(24)).isNull();
        assertThat(Http2Support.protocols(25)).isNull();
        assertThat(Http2Support.apply(new OkHttpClient.Builder(), 25).build().protocols())
                .isEqualTo(new OkHttpClient().protocols()).contains(Protocol.HTTP_2);
    }
}
