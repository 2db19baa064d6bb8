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
 *   <li>{@link io.github.ostree4j.transport.SigstoreSigner} signs images as cosign does, with
 *       keys in cosign's files ({@link io.github.ostree4j.transport.CosignKeys}); {@link
 *       io.github.ostree4j.transport.PolicyVerifier} checks images against a containers-policy.json
 *       ({@link io.github.ostree4j.transport.SignaturePolicy}) and registries.d ({@link
 *       io.github.ostree4j.transport.RegistriesConfig}).
 * </ul>
 *
 * <p>Failures are checked exceptions with one-line messages of the form "what was being done:
 * why"; registry failures are {@link io.github.ostree4j.transport.RegistryException}s.
 */
package io.github.ostree4j.transport;
