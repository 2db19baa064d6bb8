package io.github.ostree4j.build;

/**
 * One pair of ENV, LABEL or ARG. The key and value are raw (quotes and escapes as written);
 * {@code legacyForm} is true for {@code ENV key value} written without '='.
 */
public record KeyValue(String key, String value, boolean legacyForm) {}
