/**
 * Test support for ostree4j: locating and running the real peer programs (the {@code ostree} CLI,
 * skopeo, umoci, a registry, runc, ...), generating deterministic file-tree corpora, comparing
 * directory trees, serving directories over HTTP, and finding the shared conformance data.
 *
 * <p>Conventions shared by all helpers:
 *
 * <ul>
 *   <li>A missing peer, missing shared data or missing privileges <em>skips</em> the test through
 *       JUnit {@code Assumptions}, except when the environment variable {@code CI} is {@code true},
 *       where a missing peer or missing data fails the test instead.
 *   <li>Failures of external commands are reported as {@link java.lang.AssertionError}s carrying
 *       the command line, the exit code and the tail of standard error.
 *   <li>Nothing here follows symbolic links unless it says so.
 * </ul>
 */
package io.github.ostree4j.testing;
