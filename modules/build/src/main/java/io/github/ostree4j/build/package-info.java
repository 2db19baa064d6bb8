/**
 * Daemonless Containerfile builds: the Containerfile lexer and parser (pure, no I/O), the build
 * engine (stages, instructions, cache) and RUN steps executed through an OCI runtime with the
 * changes captured as layers.
 */
package io.github.ostree4j.build;
