/**
 * Client authentication: API keys presented as {@code Authorization: Bearer} or {@code X-API-Key}, looked up by their
 * SHA-256 digest and compared in constant time, producing the {@link ai.higress.auth.Caller} a request runs as.
 */
package ai.higress.auth;
