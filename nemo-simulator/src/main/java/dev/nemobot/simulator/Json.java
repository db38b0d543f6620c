package dev.nemobot.simulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/** The one ObjectMapper and small helpers. */
final class Json {
    // buffers from a small shared pool: Jackson's default keeps a set per thread, and every request and every turn
    // here has a virtual thread of its own (thousands at once in the benchmark)
    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.newBoundedPool(64)).build());

    private Json() {
    }

    static ObjectNode obj() {
        return MAPPER.createObjectNode();
    }

    static ArrayNode arr() {
        return MAPPER.createArrayNode();
    }

    static ObjectNode envelope(int code, String message, JsonNode data) {
        ObjectNode n = obj();
        n.put("code", code);
        n.put("message", message);
        n.set("data", data == null ? NullNode.getInstance() : data);
        return n;
    }

    static String write(JsonNode n) {
        try {
            return MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses a request body; a body that is not a JSON object answers code 400. */
    static JsonNode parseObject(byte[] body) {
        if (body.length == 0) {
            return obj();
        }
        try {
            JsonNode n = MAPPER.readTree(body);
            if (n == null || !n.isObject()) {
                throw new ApiException(400, "the body must be a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new ApiException(400, "the body is not valid JSON");
        }
    }
}
