/**
 * The control plane: the admin REST API under {@code /admin/api/} (admin users and sessions, roles, the break-glass
 * token), the services that manage providers, models, client keys, usage and the audit log, and the
 * {@link ai.higress.admin.ControlPlane} that merges configuration-file entities with database entities and applies
 * every change live, on every replica, by polling the configuration version.
 */
package ai.higress.admin;
