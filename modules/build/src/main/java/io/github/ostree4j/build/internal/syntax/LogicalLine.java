package io.github.ostree4j.build.internal.syntax;

/**
 * One instruction's text after continuation lines were joined, with the physical lines it spans.
 */
record LogicalLine(String text, int startLine, int endLine, PositionMap positions) {}
