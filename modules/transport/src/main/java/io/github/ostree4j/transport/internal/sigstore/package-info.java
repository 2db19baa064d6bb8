/**
 * Implementation of cosign-compatible signatures: PEM blocks, the scrypt + NaCl secretbox envelope
 * of cosign private keys, the simple-signing payload, the {@code sha256-<hex>.sig} attachment
 * manifests and the policy's scope and identity rules. Not API: may change without notice.
 */
package io.github.ostree4j.transport.internal.sigstore;
