/**
 * Entry point and composition root of AI-Higress Gateway. {@link ai.higress.Main} reads the command line and the
 * configuration sources; {@link ai.higress.Gateway} builds every component from the typed configuration and owns
 * their lifecycle, with {@code SharedState} building the part that lives in Redis when it is configured (else in this
 * process). Everything else lives in flat, mostly package-private packages beside it.
 */
package ai.higress;
