package ai.higress;

import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

import ai.higress.testing.OpenAiChunks;
import ai.higress.testing.ScriptedUpstream;
import ai.higress.testing.Step;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static ai.higress.GatewayServerTest.chatBody;
import static ai.higress.GatewayServerTest.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The usage and audit views of the admin API over a real gateway: real chat requests (JSON, streaming, failing) through
 * a priced model, the request log they leave (exact rows, tokens and cost), its filters, pages and hourly totals,
 * per-key spend and budgets, the audit trail of admin changes, roles, and a graceful stop that loses no usage.
 *
 * <p>What is recorded: every {@code /v1/chat/completions} request that passed authentication, whatever its outcome,
 * including requests for unknown models (with an empty model and provider) and requests the upstream refused (with the
 * model but an empty provider: only a request that was served names its provider). Requests refused by
 * authentication (wrong key, spent budget) are not: they never reach the handler that names the route and caller.
 */
class AdminUsageAuditServerTest {
    private static final String CHAT = "/v1/chat/completions";
    private static final String ADMIN_TOKEN = "admin-token-0123456789abcdef";
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
    private static final BigDecimal INPUT_PRICE = new BigDecimal("2.5");
    private static final BigDecimal OUTPUT_PRICE = BigDecimal.TEN;

    private ScriptedUpstream upstream;
    private TestGateway gateway;

    @BeforeEach
    void upstream() {
        upstream = ScriptedUpstream.start();
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        upstream.close();
    }

    private void start(String extra) {
        gateway = TestGateway.start("""
                providers:
                  p: {type: openai, base-url: "%s", api-key: "sk-p-key-0123456789", models: [{name: m-p, input-price: 2.5, output-price: 10}]}
                models:
                  priced: {targets: [{provider: p, model: m-p}]}
                timeouts: {connect: PT1S, first-token: PT5S, idle: PT5S, request: PT10S, stream: PT10S}
                admin: {token: "%s"}
                usage: {flush-interval: PT0.05S}
                %s
                """.formatted(upstream.baseUri(), ADMIN_TOKEN, extra));
    }

    private static BigDecimal cost(long prompt, long completion) {
        return INPUT_PRICE.multiply(BigDecimal.valueOf(prompt)).add(OUTPUT_PRICE.multiply(BigDecimal.valueOf(completion)))
                .divide(MILLION);
    }

    @Test
    void everyChatRequestIsLoggedWithItsTokensAndCostAndCanBeFilteredPagedAndSummed() {
        start("");
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        upstream.enqueue(Step.json(200, OpenAiChunks.completion("m-p", "hello", 1000, 200)));
        upstream.enqueue(Step.sse(OpenAiChunks.streamOf("m-p", List.of("a", "b"), 400, 50)));
        upstream.enqueue(Step.json(400, OpenAiChunks.errorEnvelope("bad", "invalid_request_error", "invalid_value")));

        HttpResponse<String> json = gateway.post(CHAT, chatBody("priced", false, ""));
        TestGateway.StreamedResponse stream = gateway.stream(chatBody("priced", true, ""));
        HttpResponse<String> refused = gateway.post(CHAT, chatBody("priced", false, ""));
        HttpResponse<String> unknown = gateway.post(CHAT, chatBody("no-such-model", false, ""));
        HttpResponse<String> unauthenticated = gateway.send(HttpRequest.newBuilder(gateway.uri(CHAT))
                .header("Authorization", "Bearer sk-wrong-key-0123456789").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(chatBody("priced", false, ""))).build());

        assertEquals(200, json.statusCode(), json.body());
        assertEquals(200, stream.status(), stream.body());
        assertEquals(400, refused.statusCode(), refused.body());
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertEquals(401, unauthenticated.statusCode());
        assertEquals(3, upstream.callCount());

        JsonNode page = awaitUsage("/admin/api/usage", 4);
        assertEquals(4, page.path("total").asLong(), "the unauthenticated request is not logged: " + page);
        assertEquals(50, page.path("limit").asInt());
        assertEquals(0, page.path("offset").asInt());
        JsonNode rows = page.path("data");
        assertEquals(List.of(requestId(unknown), requestId(refused), requestId(stream.response()), requestId(json)),
                ids(rows), "newest first");

        JsonNode unknownRow = rows.path(0);
        assertRow(unknownRow, "", "", "", false, 404, "client_error", "model_not_found", 0, 0, "0");
        assertEquals(0, unknownRow.path("attempts").size());

        JsonNode refusedRow = rows.path(1);
        assertRow(refusedRow, "priced", "", "", false, 400, "client_error", "invalid_value", 0, 0, "0");
        assertEquals(1, refusedRow.path("attempts").size());
        assertEquals("p", refusedRow.path("attempts").path(0).path("provider").asText());
        assertEquals(400, refusedRow.path("attempts").path(0).path("status").asInt());

        JsonNode streamRow = rows.path(2);
        assertRow(streamRow, "priced", "p", "m-p", true, 200, "success", "", 400, 50, "0.0015");
        assertTrue(streamRow.path("ttft_ms").isIntegralNumber(), "a stream has a time to first token: " + streamRow);
        assertTrue(streamRow.path("ttft_ms").asInt() <= streamRow.path("duration_ms").asInt(), streamRow.toString());

        JsonNode jsonRow = rows.path(3);
        assertRow(jsonRow, "priced", "p", "m-p", false, 200, "success", "", 1000, 200, "0.0045");
        assertTrue(jsonRow.path("ttft_ms").isNull(), jsonRow.toString());
        JsonNode attempt = jsonRow.path("attempts").path(0);
        assertEquals(1, jsonRow.path("attempts").size());
        assertEquals("p", attempt.path("provider").asText());
        assertEquals("m-p", attempt.path("model").asText());
        assertEquals(200, attempt.path("status").asInt());
        assertEquals(cost(1000, 200), new BigDecimal("0.0045"));
        assertEquals(cost(400, 50), new BigDecimal("0.0015"));

        // filters
        assertEquals(3, total("/admin/api/usage?model=priced"));
        assertEquals(2, total("/admin/api/usage?provider=p"), "only served requests name their provider");
        assertEquals(2, total("/admin/api/usage?outcome=success"));
        assertEquals(2, total("/admin/api/usage?outcome=client_error"));
        assertEquals(1, total("/admin/api/usage?model=priced&outcome=client_error"));
        assertEquals(4, total("/admin/api/usage?key=config:test"));
        assertEquals(0, total("/admin/api/usage?key=key_nobody"));
        Instant after = Instant.now().plusSeconds(1);
        assertEquals(4, total("/admin/api/usage?from=" + before + "&to=" + after));
        assertEquals(0, total("/admin/api/usage?from=" + after));
        assertEquals(0, total("/admin/api/usage?to=" + before));
        Instant jsonCreated = Instant.parse(jsonRow.path("created_at").asText());
        assertEquals(1, total("/admin/api/usage?to=" + jsonCreated.plusNanos(1000)), "to is exclusive, from inclusive");
        assertEquals(4, total("/admin/api/usage?from=" + jsonCreated));

        // pagination
        JsonNode second = adminJson("/admin/api/usage?limit=1&offset=1");
        assertEquals(4, second.path("total").asLong());
        assertEquals(1, second.path("limit").asInt());
        assertEquals(1, second.path("offset").asInt());
        assertEquals(List.of(requestId(refused)), ids(second.path("data")));
        JsonNode beyond = adminJson("/admin/api/usage?limit=10&offset=10");
        assertEquals(4, beyond.path("total").asLong());
        assertEquals(0, beyond.path("data").size());

        // hourly and daily totals, computed independently from the rows (robust across an hour boundary)
        for (String bucket : List.of("hour", "day")) {
            ChronoUnit unit = bucket.equals("hour") ? ChronoUnit.HOURS : ChronoUnit.DAYS;
            Map<Instant, long[]> expected = new TreeMap<>();
            Map<Instant, BigDecimal> expectedCost = new TreeMap<>();
            for (JsonNode row : rows) {
                Instant start = Instant.parse(row.path("created_at").asText()).truncatedTo(unit);
                long[] sums = expected.computeIfAbsent(start, key -> new long[4]);
                sums[0]++;
                sums[1] += row.path("outcome").asText().equals("success") ? 0 : 1;
                sums[2] += row.path("prompt_tokens").asLong();
                sums[3] += row.path("completion_tokens").asLong();
                expectedCost.merge(start, row.path("cost_usd").decimalValue(), BigDecimal::add);
            }
            JsonNode summary = adminJson("/admin/api/usage/summary?bucket=" + bucket);
            assertEquals("usage_summary", summary.path("object").asText());
            assertEquals(bucket, summary.path("bucket").asText());
            assertEquals(expected.size(), summary.path("data").size(), summary.toString());
            int i = 0;
            for (Map.Entry<Instant, long[]> entry : expected.entrySet()) {
                JsonNode node = summary.path("data").path(i++);
                assertEquals(entry.getKey().toString(), node.path("start").asText());
                assertEquals(entry.getKey().plus(1, unit).toString(), node.path("end").asText());
                assertEquals(entry.getValue()[0], node.path("requests").asLong());
                assertEquals(entry.getValue()[1], node.path("errors").asLong());
                assertEquals(entry.getValue()[2], node.path("prompt_tokens").asLong());
                assertEquals(entry.getValue()[3], node.path("completion_tokens").asLong());
                assertEquals(0, expectedCost.get(entry.getKey()).compareTo(node.path("cost_usd").decimalValue()));
            }
            JsonNode totals = summary.path("totals");
            assertEquals(4, totals.path("requests").asLong());
            assertEquals(2, totals.path("errors").asLong());
            assertEquals(1400, totals.path("prompt_tokens").asLong());
            assertEquals(250, totals.path("completion_tokens").asLong());
            assertEquals(1650, totals.path("total_tokens").asLong());
            assertEquals("0.006", totals.path("cost_usd").decimalValue().toPlainString());
        }
        JsonNode served = adminJson("/admin/api/usage/summary?provider=p&bucket=day");
        assertEquals(2, served.path("totals").path("requests").asLong());
        assertEquals(0, served.path("totals").path("errors").asLong());
        assertEquals(adminJson("/admin/api/usage/summary").path("bucket").asText(), "hour", "hour is the default");
        JsonNode none = adminJson("/admin/api/usage/summary?from=" + after);
        assertEquals(0, none.path("data").size());
        assertEquals(0, none.path("totals").path("requests").asLong());
        assertEquals("0", none.path("totals").path("cost_usd").asText());
    }

    @Test
    void badParametersAreRejectedNamingTheParameter() {
        start("");
        assertBadParameter("/admin/api/usage?outcome=exploded", "outcome");
        assertBadParameter("/admin/api/usage?from=yesterday", "from");
        assertBadParameter("/admin/api/usage?to=2027-01-31", "to");
        assertBadParameter("/admin/api/usage?from=2027-02-01T00:00:00Z&to=2027-01-01T00:00:00Z", "from");
        assertBadParameter("/admin/api/usage?limit=0", "limit");
        assertBadParameter("/admin/api/usage?limit=1001", "limit");
        assertBadParameter("/admin/api/usage?limit=ten", "limit");
        assertBadParameter("/admin/api/usage?offset=-1", "offset");
        assertBadParameter("/admin/api/usage/summary?bucket=week", "bucket");
        assertBadParameter("/admin/api/usage/summary?outcome=nope", "outcome");
        assertBadParameter("/admin/api/usage/summary?from=2027-02-01T00:00:00Z&to=2027-01-01T00:00:00Z", "from");
        assertBadParameter("/admin/api/audit?from=last-week", "from");
        assertBadParameter("/admin/api/audit?limit=5000", "limit");
        assertEquals(0, total("/admin/api/usage?from=2027-01-01T00:00:00Z&to=2027-01-01T00:00:00Z"),
                "an empty window is valid");
    }

    @Test
    void keySpendIsShownAndABudgetRefusesTheKeyOnceSpentAndEveryChangeIsAudited() {
        start("");
        upstream.otherwise(Step.json(200, OpenAiChunks.completion("m-p", "hello", 1000, 200)));

        HttpResponse<String> created = admin("POST", "/admin/api/keys", "{\"name\":\"tiny\",\"budget_usd\":0.00001}");
        assertEquals(201, created.statusCode(), created.body());
        String id = parse(created.body()).path("id").asText();
        String key = parse(created.body()).path("key").asText();
        assertEquals("0", parse(created.body()).path("spent_usd").asText());
        assertFalse(adminJson("/admin/api/keys/" + id).has("key"), "the secret is shown once only");

        assertEquals(200, chat(key).statusCode(), "nothing is spent yet, so the first request is served");
        JsonNode shown = adminJson("/admin/api/keys/" + id);
        assertEquals("0.0045", shown.path("spent_usd").asText(), shown.toString());
        assertEquals(0, new BigDecimal("0.00001").compareTo(shown.path("budget_usd").decimalValue()));

        HttpResponse<String> refused = chat(key);
        assertEquals(429, refused.statusCode(), refused.body());
        assertEquals("insufficient_quota", parse(refused.body()).path("error").path("code").asText());
        assertEquals(1, upstream.callCount(), "refused before any upstream call");

        JsonNode logged = awaitUsage("/admin/api/usage?key=" + id, 1);
        assertEquals(1, logged.path("total").asLong(), "the refused request is not in the request log: " + logged);
        assertEquals(id, logged.path("data").path(0).path("key_id").asText());
        assertEquals("0.0045", logged.path("data").path(0).path("cost_usd").asText());

        HttpResponse<String> raised = admin("PATCH", "/admin/api/keys/" + id, "{\"budget_usd\":1}");
        assertEquals(200, raised.statusCode(), raised.body());
        assertEquals("0.0045", parse(raised.body()).path("spent_usd").asText());
        assertEquals(200, chat(key).statusCode(), "a raised budget lets the key through again");
        assertEquals("0.009", adminJson("/admin/api/keys/" + id).path("spent_usd").asText());
        awaitUsage("/admin/api/usage?key=" + id, 2);
        JsonNode keySummary = adminJson("/admin/api/usage/summary?bucket=day&key=" + id);
        assertEquals(2, keySummary.path("totals").path("requests").asLong());
        assertEquals("0.009", keySummary.path("totals").path("cost_usd").asText());

        assertEquals(204, admin("DELETE", "/admin/api/keys/" + id, null).statusCode());
        assertEquals(401, chat(key).statusCode(), "a deleted key stops working at once");

        JsonNode audit = adminJson("/admin/api/audit?actor=break-glass&resource_type=api_key");
        assertEquals(3, audit.path("total").asLong(), audit.toString());
        List<String> actions = new ArrayList<>();
        for (JsonNode entry : audit.path("data")) {
            actions.add(entry.path("action").asText());
            assertEquals("break-glass", entry.path("actor").asText());
            assertEquals("api_key", entry.path("resource_type").asText());
            assertEquals(id, entry.path("resource_id").asText());
            assertFalse(entry.toString().contains(key), "the audit log never holds a secret");
        }
        assertEquals(List.of("delete", "update", "create"), actions, "newest first");
        assertEquals("tiny", audit.path("data").path(2).path("details").path("name").asText());
        JsonNode oldest = adminJson("/admin/api/audit?actor=break-glass&resource_type=api_key&limit=1&offset=2");
        assertEquals(3, oldest.path("total").asLong());
        assertEquals("create", oldest.path("data").path(0).path("action").asText());
        Instant createdAt = Instant.parse(oldest.path("data").path(0).path("created_at").asText());
        assertEquals(0, adminJson("/admin/api/audit?to=" + createdAt).path("total").asLong());
        assertEquals(3, adminJson("/admin/api/audit?from=" + createdAt).path("total").asLong());
        assertEquals(0, adminJson("/admin/api/audit?actor=someone-else").path("total").asLong());
    }

    @Test
    void theSpendOfAKeyWithoutABudgetSurvivesARestart() throws SQLException {
        String url = "jdbc:h2:mem:adminua-spend-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
        try {
            start("database: {url: \"" + url + "\"}");
            upstream.otherwise(Step.json(200, OpenAiChunks.completion("m-p", "hello", 1000, 200)));
            HttpResponse<String> created = admin("POST", "/admin/api/keys", "{\"name\":\"unlimited\"}");
            String id = parse(created.body()).path("id").asText();
            assertEquals(200, chat(parse(created.body()).path("key").asText()).statusCode());
            awaitUsage("/admin/api/usage?key=" + id, 1);
            assertEquals("0.0045", adminJson("/admin/api/keys/" + id).path("spent_usd").asText());
            gateway.close();
            gateway = null;

            start("database: {url: \"" + url + "\"}");

            assertEquals("0.0045", adminJson("/admin/api/keys/" + id).path("spent_usd").asText(),
                    "the spend comes from the request log, not only from what this process served");
            assertEquals("0.0045", adminJson("/admin/api/keys?name=unlimited").path("data").path(0).path("spent_usd")
                    .asText());
        } finally {
            if (gateway != null) {
                gateway.close();
                gateway = null;
            }
            drop(url);
        }
    }

    @Test
    void moneyIsAlwaysAPlainNumberEvenBelowAMillionth() {
        start("");
        HttpResponse<String> created = admin("POST", "/admin/api/keys", "{\"name\":\"micro\",\"budget_usd\":1E-7}");
        assertEquals(201, created.statusCode(), created.body());
        assertTrue(created.body().contains("\"budget_usd\":0.0000001,"), created.body());
        String id = parse(created.body()).path("id").asText();
        String shown = admin("GET", "/admin/api/keys/" + id, null).body();
        assertTrue(shown.contains("\"budget_usd\":0.0000001,"), shown);
        assertTrue(shown.contains("\"spent_usd\":0,"), shown);
    }

    @Test
    void viewersReadUsageAndAuditButChangeNothing() {
        start("");
        HttpResponse<String> user = admin("POST", "/admin/api/users",
                "{\"username\":\"vera\",\"password\":\"vera-password-0123\",\"role\":\"viewer\"}");
        assertEquals(201, user.statusCode(), user.body());
        HttpResponse<String> login = gateway.send(HttpRequest.newBuilder(gateway.uri("/admin/api/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"vera\",\"password\":\"vera-password-0123\"}")).build());
        assertEquals(200, login.statusCode(), login.body());
        String session = parse(login.body()).path("token").asText();
        assertEquals("viewer", parse(login.body()).path("role").asText());

        for (String path : List.of("/admin/api/usage", "/admin/api/usage/summary?bucket=day", "/admin/api/audit",
                "/admin/api/keys", "/admin/api/me")) {
            assertEquals(200, as(session, "GET", path, null).statusCode(), path);
        }
        HttpResponse<String> write = as(session, "POST", "/admin/api/keys", "{\"name\":\"nope\"}");
        assertEquals(403, write.statusCode(), write.body());
        assertEquals("insufficient_role", parse(write.body()).path("error").path("code").asText());

        JsonNode audit = parse(as(session, "GET", "/admin/api/audit", null).body());
        assertEquals(2, audit.path("total").asLong(), audit.toString());
        assertEquals("login", audit.path("data").path(0).path("action").asText());
        assertEquals("vera", audit.path("data").path(0).path("actor").asText());
        assertEquals("create", audit.path("data").path(1).path("action").asText());
        assertEquals("break-glass", audit.path("data").path(1).path("actor").asText());
        assertEquals("admin_user", audit.path("data").path(1).path("resource_type").asText());
        assertEquals("viewer", audit.path("data").path(1).path("details").path("role").asText());
        assertFalse(audit.toString().contains("vera-password"), "no secret in the audit log");

        assertEquals(401, gateway.send(HttpRequest.newBuilder(gateway.uri("/admin/api/usage")).build()).statusCode());
        assertEquals(401, gateway.get("/admin/api/usage").statusCode(), "a client key is no admin credential");
        assertEquals(401, gateway.get("/admin/api/audit").statusCode());
        assertEquals(204, as(session, "POST", "/admin/api/logout", null).statusCode());
        assertEquals(401, as(session, "GET", "/admin/api/usage", null).statusCode(), "logged out");
    }

    /**
     * A failed login costs the same PBKDF2 work whether or not the user exists (it used to answer an unknown user in
     * about 5 ms and a wrong password in about 200 ms, which told anyone which usernames exist).
     */
    @Test
    void aFailedLoginTakesAsLongForAnUnknownUserAsForAWrongPassword() {
        start("");
        assertEquals(201, admin("POST", "/admin/api/users",
                "{\"username\":\"carol\",\"password\":\"carol-password-0123\",\"role\":\"admin\"}").statusCode());
        login("nobody", "wrong-password-000");
        long known = Long.MAX_VALUE;
        long unknown = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            known = Math.min(known, login("carol", "wrong-password-000"));
            unknown = Math.min(unknown, login("nobody", "wrong-password-000"));
        }
        assertTrue(unknown * 3 > known, "unknown user " + unknown / 1_000_000 + " ms, wrong password "
                + known / 1_000_000 + " ms");
    }

    /** Nanoseconds a failed login took. */
    private long login(String username, String password) {
        long start = System.nanoTime();
        HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri("/admin/api/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}")).build());
        long took = System.nanoTime() - start;
        assertEquals(401, response.statusCode(), response.body());
        assertEquals("invalid_credentials", parse(response.body()).path("error").path("code").asText());
        return took;
    }

    @Test
    void aGracefulStopLosesNoUsageOfRequestsInFlight() throws Exception {
        String url = "jdbc:h2:mem:adminua-stop-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
        start("database: {url: \"" + url + "\"}\nserver: {shutdown-grace: PT10S}\n"
                + "usage: {flush-interval: PT0.05S, batch-size: 7}");
        assertEquals(url, gateway.gateway().config().database().url(), "the test's database is the gateway's");
        int requests = 40;
        upstream.otherwise(Step.delayed(Duration.ofMillis(400), Step.json(200,
                OpenAiChunks.completion("m-p", "hello", 10, 5))));

        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < requests; i++) {
                answers.add(clients.submit(() -> gateway.post(CHAT, chatBody("priced", false, ""))));
            }
            assertTrue(upstream.awaitCallCount(requests, Duration.ofSeconds(10)), "all requests are in flight");
            gateway.close();
            gateway = null;
        }

        Set<String> answered = new HashSet<>();
        for (Future<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.get();
            assertEquals(200, response.statusCode(), response.body());
            answered.add(requestId(response));
        }
        assertEquals(requests, answered.size());
        Set<String> logged = new HashSet<>();
        BigDecimal cost = BigDecimal.ZERO;
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT request_id, cost_usd FROM request_log")) {
            while (rows.next()) {
                logged.add(rows.getString(1));
                cost = cost.add(rows.getBigDecimal(2));
            }
        } finally {
            drop(url);
        }
        assertEquals(answered, logged, "every request answered before the stop is in the request log");
        assertEquals(0, cost.compareTo(cost(10, 5).multiply(BigDecimal.valueOf(requests))));
    }

    private static void drop(String url) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement()) {
            statement.execute("SHUTDOWN");
        }
    }

    private static void assertRow(JsonNode row, String model, String provider, String upstreamModel, boolean stream,
                                  int status, String outcome, String errorCode, long prompt, long completion,
                                  String cost) {
        assertEquals("config:test", row.path("key_id").asText(), row.toString());
        assertEquals("chat.completions", row.path("route").asText(), row.toString());
        assertEquals(model, row.path("model").asText(), row.toString());
        assertEquals(provider, row.path("provider").asText(), row.toString());
        assertEquals(upstreamModel, row.path("upstream_model").asText(), row.toString());
        assertEquals(stream, row.path("stream").asBoolean(), row.toString());
        assertEquals(status, row.path("status").asInt(), row.toString());
        assertEquals(outcome, row.path("outcome").asText(), row.toString());
        assertEquals(errorCode, row.path("error_code").asText(), row.toString());
        assertTrue(row.path("duration_ms").asInt() >= 0, row.toString());
        assertEquals(prompt, row.path("prompt_tokens").asLong(), row.toString());
        assertEquals(completion, row.path("completion_tokens").asLong(), row.toString());
        assertEquals(0, row.path("cached_tokens").asLong(), row.toString());
        assertTrue(row.path("cost_usd").isNumber(), "cost is a plain JSON number: " + row);
        assertEquals(cost, row.path("cost_usd").asText(), row.toString());
        assertTrue(row.path("attempts").isArray(), row.toString());
        Instant.parse(row.path("created_at").asText());
    }

    private void assertBadParameter(String path, String param) {
        HttpResponse<String> response = admin("GET", path, null);
        assertEquals(400, response.statusCode(), path + ": " + response.body());
        JsonNode error = parse(response.body()).path("error");
        assertEquals(param, error.path("param").asText(), response.body());
        assertEquals("invalid_request_error", error.path("type").asText(), response.body());
        assertTrue(error.path("message").asText().contains("'" + param + "'"), response.body());
    }

    private HttpResponse<String> chat(String key) {
        return gateway.send(HttpRequest.newBuilder(gateway.uri(CHAT)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(chatBody("priced", false, ""))).build());
    }

    private static String requestId(HttpResponse<?> response) {
        return response.headers().firstValue("x-request-id").orElseThrow();
    }

    private static List<String> ids(JsonNode rows) {
        List<String> ids = new ArrayList<>();
        rows.forEach(row -> ids.add(row.path("request_id").asText()));
        return ids;
    }

    private long total(String path) {
        return adminJson(path).path("total").asLong();
    }

    /** Polls (bounded) until the request log answers {@code path} with at least {@code count} rows. */
    private JsonNode awaitUsage(String path, int count) {
        return await(path, page -> page.path("total").asLong() >= count);
    }

    private JsonNode await(String path, Predicate<JsonNode> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = adminJson(path);
            if (done.test(last)) {
                return last;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return fail("the request log did not reach the expected state: " + last);
    }

    private JsonNode adminJson(String path) {
        HttpResponse<String> response = admin("GET", path, null);
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return parse(response.body());
    }

    private HttpResponse<String> admin(String method, String path, String body) {
        return as(ADMIN_TOKEN, method, path, body);
    }

    private HttpResponse<String> as(String token, String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path)).header("Authorization", "Bearer " + token);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return gateway.send(request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build());
    }
}
