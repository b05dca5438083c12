/**
 * The Anthropic Messages protocol ({@code POST <base-url>/messages}, {@code x-api-key}, {@code anthropic-version}).
 * Requests from Anthropic clients are relayed natively; every other request is translated from the canonical OpenAI
 * chat form through an explicit parameter table that refuses, with a 400 naming the parameter, whatever Anthropic
 * cannot honour, and the answers, stream events and errors are translated back. All translators are pure and
 * I/O-free; the mapping tables are documented in {@code docs/providers.md}.
 */
package ai.higress.provider.anthropic;
