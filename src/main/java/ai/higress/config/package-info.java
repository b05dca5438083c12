/**
 * Typed, validated configuration. Each {@code <Thing>Config} record is built from Helidon {@code Config} by its
 * {@code create(Config)} method, takes its defaults from {@code higress-defaults.yaml} in the jar, and fails fast with
 * a {@link ai.higress.config.ConfigException} that names the offending key. Secrets are wrapped in
 * {@link ai.higress.config.Secret} so they never appear in logs or {@code toString()}.
 */
package ai.higress.config;
