package ai.higress.responses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import ai.higress.config.ResponsesConfig;
import ai.higress.error.GatewayException;
import ai.higress.redis.RedisUnavailableException;
import ai.higress.schema.Json;
import ai.higress.testing.OpenAiSchema;

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
        assertEquals(user("Weather?"), ItemResources.anonymous(conversation.get(0)));
        assertTrue(conversation.get(0).path("id").asText().startsWith("msg_"), "an input item gets an id");
        assertEquals(Json.object().put("type", "function_call").put("call_id", "call_paris")
                .put("name", "get_weather").put("arguments", "{\"city\":\"Paris\"}").put("id", "fc_0002"),
                conversation.get(1), "a replayed output item keeps its output id");
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

    private static final InputItemPage ALL_ASCENDING = new InputItemPage(100, false, "", "");

    private static List<String> ids(JsonNode list) {
        return list.path("data").valueStream().map(item -> item.path("id").asText()).toList();
    }

    @Test
    void theInputItemsAreWhatWentInWithIdsThatLastAcrossAChain() {
        StoredResponses stored = stored(local, 1 << 20);
        stored.save("o", response("resp_a", "completed"), List.of(user("Weather?")));
        JsonNode first = stored.inputItems("o", "resp_a", ALL_ASCENDING);
        OpenAiSchema.assertResponseItemList(first);
        assertEquals(1, first.path("data").size(), "the response's own output is not its input");
        JsonNode message = first.at("/data/0");
        assertEquals(Json.object().put("id", message.path("id").asText()).put("type", "message").put("role", "user")
                .set("content", Json.MAPPER.createArrayNode().add(Json.object().put("type", "input_text")
                        .put("text", "Weather?"))), message);
        assertEquals(first, stored.inputItems("o", "resp_a", ALL_ASCENDING), "ids are stored, not made per read");

        List<ObjectNode> next = new ArrayList<>(stored.conversation("o", "resp_a").orElseThrow());
        next.add(Json.object().put("type", "function_call_output").put("call_id", "call_paris").put("output", "Sun"));
        stored.save("o", response("resp_b", "completed"), next);
        JsonNode second = stored.inputItems("o", "resp_b", ALL_ASCENDING);
        OpenAiSchema.assertResponseItemList(second);
        List<String> ids = ids(second);
        assertEquals(List.of(message.path("id").asText(), "fc_0002", "fc_0003"), ids.subList(0, 3),
                "the earlier turn's items keep their ids, its output items the ids they had as output");
        assertTrue(ids.get(3).startsWith("fco_"), ids.toString());
        assertEquals("completed", second.at("/data/1/status").asText());
        assertEquals("Sun", second.at("/data/3/output").asText());
    }

    @Test
    void aRecordWrittenBeforeItemsHadIdsIsListedByPlace() {
        ObjectNode record = Json.object();
        record.set("response", response("resp_old", "completed"));
        // no "inputs" count, no ids; the last two items replay the response's two function calls
        record.putArray("conversation").add(user("Weather?"))
                .add(Json.object().put("type", "message").put("role", "assistant").put("content", "Earlier."))
                .add(user("And now?"))
                .add(Json.object().put("type", "function_call").put("call_id", "call_paris")
                        .put("name", "get_weather").put("arguments", "{}"))
                .add(Json.object().put("type", "function_call").put("call_id", "call_rome")
                        .put("name", "get_weather").put("arguments", "{}"));
        local.put("o", "resp_old", Json.text(record), Duration.ofDays(1));
        JsonNode list = stored(local, 1 << 20).inputItems("o", "resp_old", new InputItemPage(2, true, "", ""));
        OpenAiSchema.assertResponseItemList(list);
        assertEquals(List.of("item_2_resp_old", "item_1_resp_old"), ids(list), "the two output calls are left out");
        assertTrue(list.path("has_more").asBoolean());
        assertEquals("Earlier.", list.at("/data/1/content/0/text").asText());
        assertEquals("output_text", list.at("/data/1/content/0/type").asText());
    }

    @Test
    void anotherKeysOrAMissingResponseHasNoInputItems() {
        StoredResponses stored = stored(local, 1 << 20);
        stored.save("o", response("resp_g", "completed"), List.of(user("Hi")));
        for (String[] ask : new String[][] {{"other", "resp_g"}, {"o", "resp_none"}, {"o", "not an id!"}}) {
            GatewayException missing = assertThrows(GatewayException.class,
                    () -> stored.inputItems(ask[0], ask[1], ALL_ASCENDING));
            assertEquals(404, missing.status());
        }
    }

    @Test
    void aMissingResponseIsA404() {
        GatewayException missing = assertThrows(GatewayException.class,
                () -> stored(local, 1024).response("o", "resp_x"));
        assertEquals(404, missing.status());
        assertEquals("Response with id 'resp_x' not found.", missing.getMessage());
    }
}
