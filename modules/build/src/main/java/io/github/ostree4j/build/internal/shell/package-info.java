/**
 * BuildKit's shell lexer ({@code frontend/dockerfile/shell}) in Java: variable substitution,
 * quoting, escapes and word splitting, plus the Go text helpers it depends on. Not API.
 */
package io.github.ostree4j.build.internal.shell;
