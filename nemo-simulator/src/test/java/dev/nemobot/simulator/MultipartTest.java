package dev.nemobot.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultipartTest {
    record Part(String field, String file, byte[] bytes) {
    }

    private static List<Part> parse(byte[] body, String boundary) throws IOException {
        // one byte at a time at most: the boundary must be found across reads
        InputStream in = new ByteArrayInputStream(body) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 7));
            }
        };
        List<Part> parts = new ArrayList<>();
        Multipart.parse(in, boundary, (field, file, type) -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            return new Multipart.Sink() {
                @Override
                public void write(byte[] b, int off, int len) {
                    out.write(b, off, len);
                }

                @Override
                public void end() {
                    parts.add(new Part(field, file, out.toByteArray()));
                }
            };
        });
        return parts;
    }

    @Test
    void readsFieldsAndFilesSplitAcrossReads() throws IOException {
        String body = "preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a \\\"b\\\".png\"\r\n"
                + "Content-Type: image/png\r\n\r\n\r\n--Xy not yet\r\n--XyZ--\r\nepilogue";
        List<Part> parts = parse(body.getBytes(StandardCharsets.UTF_8), "XyZ");
        assertThat(parts).hasSize(2);
        assertThat(parts.get(0).field()).isEqualTo("note");
        assertThat(parts.get(0).file()).isNull();
        assertThat(new String(parts.get(0).bytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(parts.get(1).file()).isEqualTo("a \"b\".png");
        assertThat(new String(parts.get(1).bytes(), StandardCharsets.UTF_8)).isEqualTo("\r\n--Xy not yet");
    }

    @Test
    void truncatedBodyIsMalformed() {
        byte[] body = "--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"x\"\r\n\r\nabc"
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> parse(body, "b")).isInstanceOf(Multipart.MalformedException.class);
    }

    @Test
    void boundaryComesFromTheContentType() {
        assertThat(Multipart.boundary("multipart/form-data; boundary=\"abc def\"")).contains("abc def");
        assertThat(Multipart.boundary("multipart/form-data; charset=utf-8; boundary=q1")).contains("q1");
        assertThat(Multipart.boundary("application/json")).isEmpty();
    }
}
