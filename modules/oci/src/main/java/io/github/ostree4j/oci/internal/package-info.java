/**
 * Implementation helpers of the OCI module (atomic file writes, tar entry checks, random access to
 * tar files, reproducible gzip). Not API: may change without notice.
 */
package io.github.ostree4j.oci.internal;
