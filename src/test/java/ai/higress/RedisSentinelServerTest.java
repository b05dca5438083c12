package ai.higress;

import static ai.higress.GatewayServerTest.chatBody;
import static ai.higress.GatewayServerTest.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import ai.higress.testing.LocalRedisSentinel;
import ai.higress.testing.OpenAiChunks;
import ai.higress.testing.ScriptedUpstream;
import ai.higress.testing.Step;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** A gateway on a real Sentinel deployment of this test's own keeps its sessions through a failover. */
class RedisSentinelServerTest {
    private static final String CHAT = "/v1/chat/completions";

    private LocalRedisSentinel sentinel;
    private ScriptedUpstream upstream;

    @BeforeEach
    void start() {
        sentinel = LocalRedisSentinel.start();
        upstream = ScriptedUpstream.start();
        upstream.otherwise(Step.json(200, OpenAiChunks.completion("m", "fine", 3, 1)));
    }

    @AfterEach
    void stop() {
        upstream.close();
        sentinel.close();
    }

    private HttpResponse<String> chat(TestGateway gateway, String session) {
        return gateway.send(HttpRequest.newBuilder(gateway.uri(CHAT)).header("Authorization", "Bearer " + TestGateway.KEY)
                .header("Content-Type", "application/json").header("X-Session-Id", session)
                .POST(HttpRequest.BodyPublishers.ofString(chatBody("m", false, ""))).build());
    }

    private HttpResponse<String> session(TestGateway gateway, String id) {
        return gateway.send(HttpRequest.newBuilder(gateway.uri("/v1/sessions/" + id))
                .header("Authorization", "Bearer " + TestGateway.KEY).build());
    }

    @Test
    void sessionsSurviveAFailoverOfThePrimary() throws Exception {
        String config = """
                providers:
                  p: {type: openai, base-url: "%s", api-key: "sk-upstream-0123456789", models: [m]}
                redis:
                  mode: sentinel
                  timeout: PT0.3S
                  sentinel: {master-name: %s, nodes: %s}
                """.formatted(upstream.baseUri(), LocalRedisSentinel.MASTER_NAME,
                sentinel.sentinels().stream().map(node -> "\"" + node + "\"").toList());
        try (TestGateway gateway = TestGateway.start(config)) {
            assertEquals(200, chat(gateway, "kept").statusCode());
            HttpResponse<String> ready = gateway.get("/health/ready");
            assertTrue(ready.body().contains("\"mode\":\"sentinel\""), ready.body());
            try (Jedis primary = new Jedis("127.0.0.1", sentinel.primaryPort())) {
                assertEquals(1, primary.waitReplicas(1, 5000), "the snippet reached the replica");
            }

            sentinel.killPrimary();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (sentinel.currentPrimaryPort() != sentinel.replicaPort()) {
                assertTrue(System.nanoTime() < deadline, "the sentinel never promoted the replica");
                Thread.sleep(100);
            }
            HttpResponse<String> view = session(gateway, "kept");
            while (view.statusCode() != 200) {
                assertTrue(System.nanoTime() < deadline, "the gateway never followed the failover: " + view.body());
                Thread.sleep(100);
                view = session(gateway, "kept");
            }
            assertEquals(1, parse(view.body()).path("snippets").size(), view.body());
            assertEquals(200, chat(gateway, "kept").statusCode());
            assertEquals(2, parse(session(gateway, "kept").body()).path("snippets").size(),
                    "new snippets go to the promoted primary");
        }
    }
}
