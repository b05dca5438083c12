package ai.higress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import ai.higress.schema.Json;
import ai.higress.testing.OpenAiChunks;
import ai.higress.testing.OpenAiSchema;
import ai.higress.testing.ScriptedUpstream;
import ai.higress.testing.Step;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/responses/{id}/input_items} through a real gateway: the stored conversation that went into a
 * response, paged both ways, each answer checked against the official {@code ResponseItemList} schema; another key's
 * response is as missing as an unknown one.
 */
class ResponsesInputItemsServerTest {
    private static final String OTHER_KEY = "sk-test-other-key-9876543210";

    private ScriptedUpstream upstream;
    private TestGateway gateway;

    @BeforeEach
    void start() {
        upstream = ScriptedUpstream.start();
        gateway = TestGateway.start("""
                providers:
                  chat: {type: openai, base-url: "%s", models: [m]}
                auth:
                  api-keys: [{name: "mine", key: "%s"}, {name: "other", key: "%s"}]
                """.formatted(upstream.baseUri(), TestGateway.KEY, OTHER_KEY));
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    private HttpResponse<String> get(String key, String path) {
        return gateway.send(HttpRequest.newBuilder(gateway.uri(path)).header("Authorization", "Bearer " + key)
                .GET().build());
    }

    private JsonNode list(String path) throws Exception {
        HttpResponse<String> response = get(TestGateway.KEY, path);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode list = Json.MAPPER.readTree(response.body());
        OpenAiSchema.assertResponseItemList(list);
        return list;
    }

    private static List<String> texts(JsonNode list) {
        List<String> texts = new ArrayList<>();
        list.path("data").forEach(item -> texts.add(item.at("/content/0/text").asText()));
        return texts;
    }

    /** A second turn continuing a first one: five input items, oldest first u1, a1, u2, u3, u4. */
    private String chained() throws Exception {
        upstream.enqueue(Step.json(200, OpenAiChunks.completion("m", "a1", 5, 1)))
                .enqueue(Step.json(200, OpenAiChunks.completion("m", "a2", 9, 1)));
        String first = Json.MAPPER.readTree(gateway.post("/v1/responses", """
                {"model":"m","input":"u1"}""").body()).path("id").asText();
        HttpResponse<String> second = gateway.post("/v1/responses", """
                {"model":"m","previous_response_id":"%s","input":[
                 {"role":"user","content":"u2"},{"role":"developer","content":"u3"},
                 {"role":"user","content":[{"type":"input_text","text":"u4"}]}]}""".formatted(first));
        assertEquals(200, second.statusCode(), second.body());
        return Json.MAPPER.readTree(second.body()).path("id").asText();
    }

    @Test
    void listsTheConversationThatWentInNewestFirstByDefault() throws Exception {
        String id = chained();
        JsonNode list = list("/v1/responses/" + id + "/input_items");
        assertEquals(List.of("u4", "u3", "u2", "a1", "u1"), texts(list));
        assertFalse(list.path("has_more").asBoolean());
        assertEquals(list.at("/data/0/id").asText(), list.path("first_id").asText());
        assertEquals(list.at("/data/4/id").asText(), list.path("last_id").asText());
        JsonNode assistant = list.at("/data/3");
        assertEquals("assistant", assistant.path("role").asText());
        assertEquals("output_text", assistant.at("/content/0/type").asText());
        assertEquals("developer", list.at("/data/1/role").asText());
        assertEquals(list, list("/responses/" + id + "/input_items"), "the path without /v1 answers the same");
    }

    @Test
    void pagesForwardInBothOrdersAndBackWithBefore() throws Exception {
        String path = "/v1/responses/" + chained() + "/input_items";
        JsonNode page = list(path + "?order=asc&limit=2");
        assertEquals(List.of("u1", "a1"), texts(page));
        assertTrue(page.path("has_more").asBoolean());
        page = list(path + "?order=asc&limit=2&after=" + page.path("last_id").asText());
        assertEquals(List.of("u2", "u3"), texts(page));
        String u3 = page.path("last_id").asText();
        page = list(path + "?order=asc&limit=2&after=" + u3);
        assertEquals(List.of("u4"), texts(page));
        assertFalse(page.path("has_more").asBoolean());

        page = list(path + "?limit=3");
        assertEquals(List.of("u4", "u3", "u2"), texts(page));
        assertTrue(page.path("has_more").asBoolean());
        page = list(path + "?limit=3&after=" + page.path("last_id").asText());
        assertEquals(List.of("a1", "u1"), texts(page));
        assertFalse(page.path("has_more").asBoolean());

        JsonNode all = list(path + "?order=asc");
        page = list(path + "?after=" + all.at("/data/4/id").asText() + "&before=" + all.at("/data/0/id").asText());
        assertEquals(List.of("u3", "u2", "a1"), texts(page), "newest first, between the two cursors");
        page = list(path + "?order=asc&limit=2&before=" + u3);
        assertEquals(List.of("a1", "u2"), texts(page), "the items just before the cursor");
        assertTrue(page.path("has_more").asBoolean());
    }

    @Test
    void aBadQueryIsA400NamingTheParameter() throws Exception {
        String path = "/v1/responses/" + chained() + "/input_items";
        for (String[] query : new String[][] {{"limit=0", "limit"}, {"limit=101", "limit"}, {"order=newest", "order"},
                {"after=msg_unknown", "after"}, {"before=msg_unknown", "before"}}) {
            HttpResponse<String> response = get(TestGateway.KEY, path + "?" + query[0]);
            assertEquals(400, response.statusCode(), query[0]);
            JsonNode error = Json.MAPPER.readTree(response.body());
            OpenAiSchema.assertError(error);
            assertEquals(query[1], error.at("/error/param").asText(), query[0]);
        }
        assertEquals(5, list(path + "?limit=100").path("data").size());
    }

    @Test
    void anUnknownIdAndAnotherKeysResponseAreNotFound() throws Exception {
        String id = chained();
        for (HttpResponse<String> response : List.of(get(TestGateway.KEY, "/v1/responses/resp_unknown/input_items"),
                get(OTHER_KEY, "/v1/responses/" + id + "/input_items"))) {
            assertEquals(404, response.statusCode(), response.body());
            assertEquals("not_found", Json.MAPPER.readTree(response.body()).at("/error/code").asText());
        }
        assertEquals(200, get(TestGateway.KEY, "/v1/responses/" + id + "/input_items").statusCode());
    }
}
