package ai.higress.catalog;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import ai.higress.schema.Json;
import ai.higress.upstream.UpstreamClient;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A Gemini provider's own model list: {@code GET <base-url>/models}, paged by {@code pageToken}, each model named
 * {@code models/<id>} with the methods it supports. Only models that can answer the gateway's requests are listed
 * ({@code generateContent} for chat, {@code embedContent} for embeddings), without the {@code models/} prefix.
 */
final class GeminiModelList {
    /** The largest page Gemini serves. */
    private static final int PAGE_SIZE = 1000;
    /** Bounds a provider that keeps answering with a next page. */
    static final int MAX_PAGES = 20;
    private static final Set<String> SERVED_METHODS = Set.of("generateContent", "embedContent");

    private GeminiModelList() {
    }

    static List<String> fetch(UpstreamClient client, Duration timeout) {
        Set<String> names = new LinkedHashSet<>();
        String token = "";
        for (int page = 0; page < MAX_PAGES; page++) {
            String query = "?pageSize=" + PAGE_SIZE
                    + (token.isEmpty() ? "" : "&pageToken=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
            Page next = parse(client.get("/models" + query, timeout));
            names.addAll(next.models());
            if (next.nextPageToken().isEmpty()) {
                return List.copyOf(names);
            }
            token = next.nextPageToken();
        }
        throw new IllegalArgumentException("the model list has more than " + MAX_PAGES + " pages");
    }

    /**
     * One page of the list.
     *
     * @param models        servable model ids on this page
     * @param nextPageToken the next page's token, empty on the last page
     */
    record Page(List<String> models, String nextPageToken) {
    }

    static Page parse(byte[] body) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("the model list is not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the model list is not a JSON object");
        }
        List<String> models = new ArrayList<>();
        for (JsonNode model : root.path("models")) {
            String name = model.path("name").asText("");
            String id = name.startsWith("models/") ? name.substring("models/".length()) : name;
            if (!id.isBlank() && servable(model.path("supportedGenerationMethods"))) {
                models.add(id);
            }
        }
        return new Page(List.copyOf(models), root.path("nextPageToken").asText(""));
    }

    private static boolean servable(JsonNode methods) {
        for (JsonNode method : methods) {
            if (SERVED_METHODS.contains(method.asText())) {
                return true;
            }
        }
        return false;
    }
}
