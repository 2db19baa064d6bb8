/**
 * Image references, registry credentials and a registry client.
 *
 * <ul>
 *   <li>{@link io.github.ostree4j.transport.ImageReference} parses the containers-image syntax
 *       ({@code docker://}, {@code oci:}, {@code oci-archive:}, {@code docker-archive:}) and
 *       {@link io.github.ostree4j.transport.OstreeImageReference} the ostree-ext forms ({@code
 *       ostree-unverified-registry:}, {@code ostree-image-signed:}, {@code ostree-remote-image:},
 *       …).
 *   <li>{@link io.github.ostree4j.transport.CredentialResolver} finds credentials as skopeo and
 *       podman do ({@code --creds}, {@code --authfile}, {@code REGISTRY_AUTH_FILE}, {@code
 *       containers/auth.json}, {@code ~/.docker/config.json} with credential helpers), or as
 *       ostree does on nodes ({@link io.github.ostree4j.transport.AuthFiles#forNode()}).
 *   <li>{@link io.github.ostree4j.transport.RegistryClient} talks to one registry: raw manifests
 *       with verified digests, streamed and verified blobs, uploads with cross-repository mounts.
 * </ul>
 *
 * <p>Failures are checked exceptions with one-line messages of the form "what was being done:
 * why"; registry failures are {@link io.github.ostree4j.transport.RegistryException}s.
 */
package io.github.ostree4j.transport;
