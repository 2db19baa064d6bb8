/**
 * The syntax level of Containerfile parsing, as BuildKit's {@code frontend/dockerfile/parser}
 * does it: physical lines, parser directives, comments, line continuations, heredoc bodies, the
 * split of each logical line into keyword, flags and arguments. Produces {@link
 * io.github.ostree4j.build.internal.syntax.SyntaxNode}s without judging whether instructions
 * make sense; {@code internal.instructions} does that. Not API.
 */
package io.github.ostree4j.build.internal.syntax;
