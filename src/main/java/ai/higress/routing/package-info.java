/**
 * Where a request goes: the {@link ai.higress.routing.Router} turns the requested model into an ordered plan of
 * targets, the {@link ai.higress.routing.Failover} loop tries them in order within the attempt and deadline bounds,
 * moving on only for retryable error kinds, and the {@link ai.higress.routing.ChatDispatcher} runs each attempt
 * through the provider adapter, the upstream client and, for streams, the relay.
 */
package ai.higress.routing;
