package ai.higress.mock;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** The {@code mock-upstream} subcommand: runs a {@link MockUpstream} on its own until the JVM is stopped. */
public final class MockUpstreamCommand {

    static final int BAD_ARGUMENTS_EXIT_CODE = 2;
    static final String USAGE = "usage: mock-upstream [--host 127.0.0.1] [--port 0] [--first-token-delay PT0.2S]"
            + " [--token-interval PT0.03S] [--extra-latency PT0S] [--failure-rate 0.0] [--seed 42]"
            + " [--models demo,other] [--api-key KEY]";
    private static final Set<String> FLAGS = Set.of("--host", "--port", "--first-token-delay", "--token-interval",
            "--extra-latency", "--failure-rate", "--seed", "--models", "--api-key");

    private MockUpstreamCommand() {
    }

    /**
     * Starts the mock from the arguments that follow {@code mock-upstream}, prints where it listens and blocks until
     * the JVM stops. Bad arguments print a message naming the flag and exit with status 2.
     */
    public static void run(String[] args) {
        if (Arrays.asList(args).contains("--help")) {
            System.out.println(USAGE);
            return;
        }
        MockUpstreamConfig config;
        try {
            config = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("mock-upstream: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(BAD_ARGUMENTS_EXIT_CODE);
            return;
        }
        serveUntilStopped(config);
    }

    private static void serveUntilStopped(MockUpstreamConfig config) {
        MockUpstream upstream;
        try {
            upstream = MockUpstream.start(config);
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            System.exit(BAD_ARGUMENTS_EXIT_CODE);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            upstream.close();
            stopped.countDown();
        }, "mock-upstream-shutdown"));
        System.out.println("mock-upstream listening on " + upstream.baseUri());
        System.out.println("mock-upstream serves OpenAI and Anthropic Messages under " + upstream.baseUri()
                + ", Gemini under " + upstream.geminiBaseUri());
        System.out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The configuration the arguments describe, starting from {@link MockUpstreamConfig#defaults()}. */
    static MockUpstreamConfig parse(String[] args) {
        MockUpstreamConfig config = MockUpstreamConfig.defaults();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            String value;
            int equals = flag.indexOf('=');
            if (flag.startsWith("--") && equals > 0) {
                value = flag.substring(equals + 1);
                flag = flag.substring(0, equals);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                value = null;
            }
            if (!FLAGS.contains(flag)) {
                throw new IllegalArgumentException("unknown option '" + flag + "'");
            }
            if (value == null) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            config = apply(config, flag, value);
        }
        return config;
    }

    private static MockUpstreamConfig apply(MockUpstreamConfig config, String flag, String value) {
        return switch (flag) {
            case "--host" -> config.withHost(nonBlank(flag, value));
            case "--port" -> config.withPort((int) integer(flag, value, 0, 65_535));
            case "--first-token-delay" -> config.withFirstTokenDelay(duration(flag, value));
            case "--token-interval" -> config.withTokenInterval(duration(flag, value));
            case "--extra-latency" -> config.withExtraLatency(duration(flag, value));
            case "--failure-rate" -> config.withFailureRate(rate(flag, value));
            case "--seed" -> config.withSeed(integer(flag, value, Long.MIN_VALUE, Long.MAX_VALUE));
            case "--models" -> config.withModels(models(flag, value));
            case "--api-key" -> config.withApiKey(nonBlank(flag, value));
            default -> throw new IllegalArgumentException("unknown option '" + flag + "'");
        };
    }

    private static String nonBlank(String flag, String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException(flag + " must not be blank");
        }
        return value;
    }

    private static long integer(String flag, String value, long min, long max) {
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below with the accepted range
        }
        throw new IllegalArgumentException(flag + " expects an integer from " + min + " to " + max + ", got '"
                + value + "'");
    }

    private static Duration duration(String flag, String value) {
        try {
            Duration parsed = Duration.parse(value.trim());
            if (!parsed.isNegative()) {
                return parsed;
            }
        } catch (DateTimeParseException e) {
            // reported below with an example of the expected format
        }
        throw new IllegalArgumentException(flag + " expects a non-negative ISO-8601 duration such as PT0.2S, got '"
                + value + "'");
    }

    private static double rate(String flag, String value) {
        try {
            double parsed = Double.parseDouble(value.trim());
            if (parsed >= 0 && parsed <= 1) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below with the accepted range
        }
        throw new IllegalArgumentException(flag + " expects a number from 0 to 1, got '" + value + "'");
    }

    private static List<String> models(String flag, String value) {
        List<String> models = Arrays.stream(value.split(",")).map(String::strip).filter(id -> !id.isEmpty()).toList();
        if (models.isEmpty()) {
            throw new IllegalArgumentException(flag + " expects a comma-separated list of model ids, got '" + value
                    + "'");
        }
        return models;
    }
}
