package ai.higress.responses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import ai.higress.config.ResponsesConfig;
import ai.higress.error.GatewayException;
import ai.higress.redis.RedisUnavailableException;
import ai.higress.schema.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** What is kept of a response, and how the request path lives with a store that fails. */
class StoredResponsesTest {
    private final List<String> events = new ArrayList<>();
    private final ResponseStoreListener listener = new ResponseStoreListener() {
        @Override
        public void stored() {
            events.add("stored");
        }

        @Override
        public void tooLarge() {
            events.add("too large");
        }

        @Override
        public void storeError(String operation) {
            events.add("error " + operation);
        }
    };
    private final LocalResponseStore local = new LocalResponseStore(1 << 20, () -> 0L);

    private StoredResponses stored(ResponseStore store, int maxBytes) {
        return new StoredResponses(new ResponsesConfig(Duration.ofDays(1), maxBytes, 1 << 20), store, listener);
    }

    private static JsonNode response(String id, String status) {
        return ResponsesRequestsTest.fixture("responses/completions/parallel-tools.response.json").deepCopy()
                .<ObjectNode>require().put("id", id).put("status", status);
    }

    private static ObjectNode user(String text) {
        return Json.object().put("type", "message").put("role", "user").put("content", text);
    }

    @Test
    void theConversationGrowsByTheResponsesOutput() {
        StoredResponses stored = stored(local, 1 << 20);
        stored.save("o", response("resp_a", "completed"), List.of(user("Weather?")));
        List<ObjectNode> conversation = stored.conversation("o", "resp_a").orElseThrow();
        assertEquals(3, conversation.size());
        assertEquals(user("Weather?"), conversation.get(0));
        assertEquals(Json.object().put("type", "function_call").put("call_id", "call_paris")
                .put("name", "get_weather").put("arguments", "{\"city\":\"Paris\"}"), conversation.get(1));
        assertEquals(response("resp_a", "completed"), stored.response("o", "resp_a"));
        assertEquals(List.of("stored"), events);
    }

    @Test
    void onlyFinishedResponsesWithAnIdAreKept() {
        StoredResponses stored = stored(local, 1 << 20);
        stored.save("o", response("resp_b", "failed"), List.of());
        stored.save("o", response("not an id!", "completed"), List.of());
        assertEquals(Optional.empty(), stored.conversation("o", "resp_b"));
        assertThrows(GatewayException.class, () -> stored.response("o", "not an id!"));
        assertEquals(List.of(), events);
    }

    @Test
    void aRecordOverTheBoundIsServedButNotStored() {
        StoredResponses stored = stored(local, 1024);
        stored.save("o", response("resp_c", "completed"), List.of(user("x".repeat(2000))));
        assertEquals(Optional.empty(), stored.conversation("o", "resp_c"));
        assertEquals(List.of("too large"), events);
    }

    @Test
    void anUnreachableStoreLosesTheCopyButFailsOnlyWhatNeedsIt() {
        ResponseStore down = new ResponseStore() {
            @Override
            public void put(String owner, String id, String record, Duration ttl) {
                throw new RedisUnavailableException("down", new RuntimeException());
            }

            @Override
            public Optional<String> get(String owner, String id) {
                throw new RedisUnavailableException("down", new RuntimeException());
            }

            @Override
            public boolean delete(String owner, String id) {
                throw new RedisUnavailableException("down", new RuntimeException());
            }

            @Override
            public void claim(String id, String owner, Duration ttl) {
                throw new RedisUnavailableException("down", new RuntimeException());
            }

            @Override
            public Optional<String> claimant(String id) {
                throw new RedisUnavailableException("down", new RuntimeException());
            }
        };
        StoredResponses stored = stored(down, 1 << 20);
        stored.save("o", response("resp_d", "completed"), List.of());
        GatewayException read = assertThrows(GatewayException.class, () -> stored.conversation("o", "resp_d"));
        assertEquals(503, read.status());
        assertEquals(Optional.of("response_store_unavailable"), read.code());
        assertEquals(503, assertThrows(GatewayException.class, () -> stored.delete("o", "resp_d")).status());
        assertEquals(503, assertThrows(GatewayException.class, () -> stored.claimedByAnother("o", "resp_d")).status());
        assertEquals(List.of("error claim", "error get", "error delete", "error claimant"), events,
                "a record whose claim failed is not written");
    }

    @Test
    void savingClaimsTheIdAndAClaimNeedsNoRecord() {
        StoredResponses stored = stored(local, 1 << 20);
        stored.save("a", response("resp_e", "completed"), List.of());
        stored.claim("a", response("resp_f", "completed"));
        for (String id : List.of("resp_e", "resp_f")) {
            assertEquals(true, stored.claimedByAnother("b", id), id);
            assertEquals(false, stored.claimedByAnother("a", id), id);
        }
        assertEquals(false, stored.claimedByAnother("b", "resp_never_seen"));
        assertEquals(Optional.empty(), stored.conversation("a", "resp_f"), "a claim keeps no conversation");
    }

    @Test
    void aMissingResponseIsA404() {
        GatewayException missing = assertThrows(GatewayException.class,
                () -> stored(local, 1024).response("o", "resp_x"));
        assertEquals(404, missing.status());
        assertEquals("Response with id 'resp_x' not found.", missing.getMessage());
    }
}
