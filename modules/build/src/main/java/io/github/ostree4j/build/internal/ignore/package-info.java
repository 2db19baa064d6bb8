/**
 * {@code .containerignore} / {@code .dockerignore} matching as moby's {@code patternmatcher} and
 * {@code ignorefile} do it, with the Go path functions they rely on. Not API.
 */
package io.github.ostree4j.build.internal.ignore;
