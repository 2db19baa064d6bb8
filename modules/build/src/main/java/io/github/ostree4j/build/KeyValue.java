package io.github.ostree4j.build;

/**
 * One pair of ENV, LABEL or ARG. The key and value are raw (quotes and escapes as written);
 * {@code legacyForm} is true for {@code ENV key value} (or {@code LABEL key value}) written
 * without '=', where the value is the rest of the line. For an ARG declared without a default
 * ({@code ARG NAME}) the value is null; {@code ARG NAME=} has the empty default.
 */
public record KeyValue(String key, String value, boolean legacyForm) {}
