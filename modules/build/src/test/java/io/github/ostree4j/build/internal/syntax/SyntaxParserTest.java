package io.github.ostree4j.build.internal.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.build.ContainerfileException;
import io.github.ostree4j.build.VariableExpansionException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyntaxParserTest {

  private static SyntaxTree parse(String text) throws ContainerfileException {
    return SyntaxParser.parse(text, "Containerfile");
  }

  private static SyntaxNode.HeredocBody body(String name, String content, boolean expand,
      boolean chomp, int fd, int line) {
    return new SyntaxNode.HeredocBody(name, content, expand, chomp, fd, line);
  }

  /** BuildKit's parser_heredoc_test.go scenario: what each instruction gets attached. */
  @Test
  void heredocBodies() throws ContainerfileException {
    String text = "\nFROM alpine:3.6\n\nENV NAME=me\n\nRUN ls\n\nUSER <<INVALID\nINVALID\n\n"
        + "RUN <<EMPTY\nEMPTY\n\nRUN 3<<EMPTY2\nEMPTY2\n\nRUN \"<<NOHEREDOC\"\n\n"
        + "RUN <<INDENT\n\tfoo\n\tbar\nINDENT\n\nRUN <<-UNINDENT\n\tbaz\n\tquux\nUNINDENT\n\n"
        + "RUN <<-UNINDENT2\n\tbaz\n\tquux\n\tUNINDENT2\n\n"
        + "RUN <<-EXPAND\n\texpand $NAME\nEXPAND\n\n"
        + "RUN <<-'NOEXPAND'\n\tdon't expand $NAME\nNOEXPAND\n\n"
        + "RUN <<COPY\necho hello world\necho foo bar\nCOPY\n\n"
        + "RUN <<COMMENT\n# internal comment\necho hello world\necho foo bar # trailing comment\n"
        + "COMMENT\n\nRUN --mount=type=cache,target=/foo <<MOUNT\necho hello\nMOUNT\n\n"
        + "COPY <<FILE1 <<FILE2 /dest\ncontent 1\nFILE1\ncontent 2\nFILE2\n\n"
        + "COPY <<X <<Y /dest\nY\nX\nX\nY\n\t";
    List<SyntaxNode> nodes = parse(text).nodes();
    assertEquals(18, nodes.size());
    assertEquals(List.of(), nodes.get(1).heredocs()); // ENV
    assertEquals(List.of(), nodes.get(3).heredocs()); // USER <<INVALID
    assertEquals("INVALID", nodes.get(4).keyword());
    assertEquals(List.of(body("EMPTY", "", true, false, 0, 11)), nodes.get(5).heredocs());
    assertEquals(List.of(body("EMPTY2", "", true, false, 3, 14)), nodes.get(6).heredocs());
    assertEquals(List.of(), nodes.get(7).heredocs()); // RUN "<<NOHEREDOC"
    assertEquals(List.of(body("INDENT", "\tfoo\n\tbar\n", true, false, 0, 19)),
        nodes.get(8).heredocs());
    SyntaxNode.HeredocBody unindent = nodes.get(9).heredocs().get(0);
    assertEquals(body("UNINDENT", "\tbaz\n\tquux\n", true, true, 0, 24), unindent);
    assertEquals("baz\nquux\n", unindent.effectiveContent());
    assertEquals("\tbaz\n\tquux\n", nodes.get(10).heredocs().get(0).content());
    assertEquals(body("EXPAND", "\texpand $NAME\n", true, true, 0, 34),
        nodes.get(11).heredocs().get(0));
    assertEquals(body("NOEXPAND", "\tdon't expand $NAME\n", false, true, 0, 38),
        nodes.get(12).heredocs().get(0));
    assertEquals("echo hello world\necho foo bar\n", nodes.get(13).heredocs().get(0).content());
    assertEquals("# internal comment\necho hello world\necho foo bar # trailing comment\n",
        nodes.get(14).heredocs().get(0).content());
    assertEquals("echo hello\n", nodes.get(15).heredocs().get(0).content());
    assertEquals(List.of(body("FILE1", "content 1\n", true, false, 0, 57),
        body("FILE2", "content 2\n", true, false, 0, 57)), nodes.get(16).heredocs());
    assertEquals(List.of(body("X", "Y\n", true, false, 0, 63),
        body("Y", "X\n", true, false, 0, 63)), nodes.get(17).heredocs());
    assertEquals(63, nodes.get(17).startLine());
    assertEquals(67, nodes.get(17).endLine());
  }

  @Test
  void jsonFormHasNoHeredocs() throws ContainerfileException {
    List<SyntaxNode> nodes =
        parse("FROM alpine\nRUN [\"whoami\"]\nRUN [\"<<EOF\"]\nRUN [\"<<'EOF'\"]\n").nodes();
    assertEquals(4, nodes.size());
    for (SyntaxNode n : nodes) {
      assertEquals(List.of(), n.heredocs());
    }
  }

  @Test
  void heredocOpeners() throws VariableExpansionException {
    for (String valid : List.of("<<EOF", "<<'EOF'", "<<\"EOF\"", "<<-EOF", "<<-'EOF'",
        "<<-\"EOF\"", "<< EOF", "<<\tEOF")) {
      assertEquals("EOF", HeredocOpeners.parse(valid).name(), valid);
    }
    for (String notHeredoc : List.of("", "EOF", "<<", "<<-", "<EOF", "<<<EOF", "<<one two")) {
      assertNull(HeredocOpeners.parse(notHeredoc), notHeredoc);
    }
    for (String quotedDelimiter : List.of("<<'EOF", "<<\"EOF", "<<EOF'", "<<EOF\"")) {
      try {
        HeredocOpeners.parse(quotedDelimiter);
        throw new AssertionError("accepted " + quotedDelimiter);
      } catch (VariableExpansionException expected) {
        assertTrue(expected.getMessage().contains("unexpected end of statement"));
      }
    }
    assertTrue(HeredocOpeners.parse("<<eo\\'f").expand());
    assertEquals("eo'f", HeredocOpeners.parse("<<eo\\'f").name());
    assertFalse(HeredocOpeners.parse("<<eo'f'").expand());
    assertEquals("eof", HeredocOpeners.parse("<<eo'f'").name());
    assertEquals("one two", HeredocOpeners.parse("<<'one two'").name());
    assertEquals("$EOF", HeredocOpeners.parse("<<$EOF").name());
    assertEquals(4, HeredocOpeners.parse("4<<EOF").fd());
  }

  @Test
  void heredocOpenersInLines() throws ContainerfileException {
    assertEquals(List.of("EOF", "EOF2"), names("RUN <<EOF <<EOF2"));
    assertEquals(List.of("EOF"), names("RUN 4<<-EOF"));
    assertEquals(List.of("EOF"), names("RUN cat << EOF > /x"));
    assertEquals(List.of(), names("RUN '<<EOF'"));
    assertEquals(List.of(), names("RUN \"<<EOF\""));
    assertEquals(List.of(), names("RUN <<- EOF"));
  }

  private static List<String> names(String line) throws ContainerfileException {
    SyntaxTree t = parse("FROM a\n" + line + "\nEOF\nEOF2\n");
    return t.nodes().get(1).heredocs().stream().map(SyntaxNode.HeredocBody::name).toList();
  }

  /** In the style of BuildKit's testfile-line: ranges span continuations, blank and comment lines. */
  @Test
  void lineRanges() throws ContainerfileException {
    String text = "# ignore this\n\n\n\nFROM brimstone/ubuntu:14.04\n\n\n# TORUN -v /var/run/docker.sock"
        + ":/var/run/docker.sock\n\nENV GOPATH \\\n/go\n\n\n\n# Install the packages we need, "
        + "clean up after them and us\nRUN apt-get update \\\n\t&& dpkg -l | awk '/^ii/ "
        + "{print $2}' > /tmp/dpkg.clean \\\n\n\n    && apt-get install -y --no-install-recommends"
        + " git golang ca-certificates \\\n    && apt-get clean \\\n    && rm -rf "
        + "/var/lib/apt/lists/* \\\n\n\t&& go get -v github.com/brimstone/consuldock \\\n    "
        + "&& mv $GOPATH/bin/consuldock /usr/local/bin/consuldock \\\n\n\t&& dpkg -l | awk "
        + "'/^ii/ {print $2}' > /tmp/dpkg.dirty \\\n\t&& apt-get remove --purge -y $(diff "
        + "/tmp/dpkg.clean /tmp/dpkg.dirty | awk '/^>/ {print $2}') \\\n\t&& rm /tmp/dpkg.* "
        + "\\\n\t&& rm -rf $GOPATH\n\n\n\n\n";
    List<SyntaxNode> nodes = parse(text).nodes();
    assertEquals(3, nodes.size());
    assertEquals(List.of(5, 5), List.of(nodes.get(0).startLine(), nodes.get(0).endLine()));
    assertEquals(List.of(10, 11), List.of(nodes.get(1).startLine(), nodes.get(1).endLine()));
    assertEquals(List.of(16, 30), List.of(nodes.get(2).startLine(), nodes.get(2).endLine()));
  }

  @Test
  void positionsFollowContinuations() throws ContainerfileException {
    SyntaxNode run = parse("FROM a\n  RUN --mount=x \\\n   --network=y \\\n\tmake\n")
        .nodes().get(1);
    assertEquals(3, run.columnAt(run.keywordOffset()));
    assertEquals(2, run.lineAt(run.keywordOffset()));
    SyntaxNode.Flag network = run.flags().get(1);
    assertEquals("--network=y", network.text());
    assertEquals(3, run.lineAt(network.offset()));
    assertEquals(4, run.columnAt(network.offset()));
    assertEquals(4, run.lineAt(run.argsOffset()));
    assertEquals(2, run.columnAt(run.argsOffset()));
    assertEquals("make", run.argsText());
  }

  @Test
  void continuationEdgeCases() throws ContainerfileException {
    List<SyntaxNode> nodes = parse("FROM a\nRUN a \\  \t\nb\nRUN c\\\\\nRUN d\n\\\nRUN e \\").nodes();
    assertEquals(List.of("a b"), nodes.get(1).args());
    assertEquals(List.of("c\\\\"), nodes.get(2).args());
    assertEquals(List.of("d"), nodes.get(3).args());
    assertEquals("RUN", nodes.get(4).keyword());
    assertEquals(List.of("e"), nodes.get(4).args());
  }

  @Test
  void directivesOnlyAtTheTop() throws ContainerfileException {
    assertEquals('`', parse("#escape=`\nFROM a\n").escape());
    assertEquals('`', parse("  # escape = `  \nFROM a\n").escape());
    assertEquals('\\', parse("\n# escape=`\nFROM a\n").escape());
    assertEquals('\\', parse("# unknown=x\n# escape=`\nFROM a\n").escape());
    assertEquals('\\', parse("FROM a\n# escape=`\n").escape());
    SyntaxTree t = parse("# syntax=docker/dockerfile:1\n# escape=\\\nFROM a\n");
    assertEquals("docker/dockerfile:1", t.directives().get("syntax"));
    assertEquals("\\", t.directives().get("escape"));
  }

  @Test
  void flagsAreUnquoted() throws ContainerfileException {
    SyntaxNode copy = parse("FROM a\nCOPY --chown=\"my user\" --from='st age' --x=a\\ b s d\n")
        .nodes().get(1);
    assertEquals(List.of("--chown=my user", "--from=st age", "--x=a b"),
        copy.flags().stream().map(SyntaxNode.Flag::text).toList());
    assertEquals(List.of("s", "d"), copy.args());
  }
}
