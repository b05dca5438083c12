package ai.higress.mock;

/** Runs {@link MockUpstreamCommand} in a child JVM, as the gateway's {@code mock-upstream} subcommand would. */
public final class MockUpstreamCommandMain {

    private MockUpstreamCommandMain() {
    }

    public static void main(String[] args) {
        MockUpstreamCommand.run(args);
    }
}
