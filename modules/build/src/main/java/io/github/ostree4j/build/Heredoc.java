package io.github.ostree4j.build;

/**
 * A heredoc attached to RUN, COPY or ADD: its delimiter name, its body (with leading tabs
 * already removed for {@code <<-}), whether variables in it are expanded (unquoted delimiter) and
 * the file descriptor it was attached to (0 unless written as {@code 3<<EOF}).
 */
public record Heredoc(String name, String content, boolean expand, boolean chompTabs, int fd) {}
