package ai.higress.mock;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MockUpstreamCommandTest {

    private static final Duration CHILD_JVM_WAIT = Duration.ofSeconds(60);

    @Test
    void parsesEveryFlagInBothSpellings() {
        MockUpstreamConfig config = MockUpstreamCommand.parse(new String[] {"--host", "0.0.0.0", "--port=8099",
                "--first-token-delay", "PT1S", "--token-interval=PT0.01S", "--extra-latency", "PT0.5S",
                "--failure-rate", "0.25", "--seed", "-3", "--models", "a, b", "--api-key", "sk-x"});

        assertEquals(new MockUpstreamConfig("0.0.0.0", 8099, Duration.ofSeconds(1), Duration.ofMillis(10),
                Duration.ofMillis(500), 0.25, -3, List.of("a", "b"), Optional.of("sk-x")), config);
        assertEquals(MockUpstreamConfig.defaults(), MockUpstreamCommand.parse(new String[0]));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--port abc                  | --port expects an integer from 0 to 65535, got 'abc'",
        "--port 70000                | --port expects an integer",
        "--failure-rate 1.5          | --failure-rate expects a number from 0 to 1",
        "--token-interval 5s         | --token-interval expects a non-negative ISO-8601 duration",
        "--first-token-delay PT-1S   | --first-token-delay expects a non-negative ISO-8601 duration",
        "--seed x                    | --seed expects an integer",
        "--models ,                  | --models expects a comma-separated list",
        "--models                    | --models needs a value",
        "--host --port 1             | --host needs a value",
        "--bogus 1                   | unknown option '--bogus'",
        "8080                        | unknown option '8080'"})
    void badArgumentsAreRejectedNamingTheFlag(String args, String expectedMessage) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> MockUpstreamCommand.parse(args.strip().split(" +")));
        assertTrue(error.getMessage().startsWith(expectedMessage), error.getMessage());
    }

    @Test
    void badArgumentsExitWithStatusTwo() throws Exception {
        Process child = childJvm("--port", "nope").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String stderr = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

        assertTrue(child.waitFor(CHILD_JVM_WAIT.toSeconds(), TimeUnit.SECONDS), "the child exits");
        assertEquals(2, child.exitValue());
        assertTrue(stderr.contains("mock-upstream: --port expects an integer"), stderr);
    }

    @Test
    void runPrintsWhereItListensAndServesUntilStopped() throws Exception {
        Process child = childJvm("--port", "0", "--models", "alpha,beta", "--api-key", "sk-cli")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader stdout = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8));
            String line = stdout.readLine();
            assertTrue(line != null && line.matches("mock-upstream listening on http://127\\.0\\.0\\.1:\\d+/v1"),
                    String.valueOf(line));
            String protocols = stdout.readLine();
            assertTrue(protocols != null && protocols.matches("mock-upstream serves OpenAI and Anthropic Messages "
                    + "under http://127\\.0\\.0\\.1:\\d+/v1, Gemini under http://127\\.0\\.0\\.1:\\d+/v1beta"),
                    String.valueOf(protocols));
            URI models = URI.create(line.substring("mock-upstream listening on ".length()) + "/models");
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(models)
                    .header("Authorization", "Bearer sk-cli").timeout(CHILD_JVM_WAIT).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertTrue(response.body().contains("\"alpha\"") && response.body().contains("\"beta\""),
                    response.body());
            assertTrue(child.isAlive(), "the command blocks while serving");
        } finally {
            child.destroy();
            assertTrue(child.waitFor(CHILD_JVM_WAIT.toSeconds(), TimeUnit.SECONDS), "SIGTERM stops the child");
        }
    }

    private static ProcessBuilder childJvm(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx64m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(MockUpstreamCommandMain.class.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }
}
