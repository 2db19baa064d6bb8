package io.github.ostree4j.build.internal.instructions;

import io.github.ostree4j.build.ContainerfileException;
import io.github.ostree4j.build.Heredoc;
import io.github.ostree4j.build.Instruction;
import io.github.ostree4j.build.VariableExpansionException;
import io.github.ostree4j.build.internal.syntax.HeredocOpeners;
import io.github.ostree4j.build.internal.syntax.SyntaxNode;
import java.util.ArrayList;
import java.util.List;

/**
 * COPY and ADD: sources and destination (the last argument); a source written as a heredoc
 * opener ({@code <<EOF}) is a file whose content follows the instruction.
 */
final class CopyInstructions {

  private CopyInstructions() {}

  /** Sources split into paths and heredoc files, plus the destination. */
  private record Sources(List<String> paths, List<Heredoc> heredocs, String destination) {}

  static Instruction.Copy copy(NodeContext ctx) throws ContainerfileException {
    atLeastTwo(ctx);
    BuilderFlags.Values flags = new BuilderFlags().string("chown").string("from")
        .string("chmod").bool("link").bool("parents").strings("exclude").parse(ctx);
    Sources s = sources(ctx);
    return new Instruction.Copy(ctx.location(), ctx.node().original(), s.paths(),
        s.destination(), flags.get("from"), flags.get("chown"), flags.get("chmod"),
        flags.isTrue("link"), flags.isTrue("parents"), flags.all("exclude"), s.heredocs());
  }

  static Instruction.Add add(NodeContext ctx) throws ContainerfileException {
    atLeastTwo(ctx);
    BuilderFlags.Values flags = new BuilderFlags().string("chown").string("chmod")
        .bool("link").bool("keep-git-dir").string("checksum").bool("unpack")
        .strings("exclude").parse(ctx);
    Sources s = sources(ctx);
    return new Instruction.Add(ctx.location(), ctx.node().original(), s.paths(),
        s.destination(), flags.get("chown"), flags.get("chmod"), flags.isTrue("link"),
        flags.isTrue("keep-git-dir"), flags.get("checksum"), flags.get("unpack"),
        flags.all("exclude"), s.heredocs());
  }

  private static void atLeastTwo(NodeContext ctx) throws ContainerfileException {
    if (ctx.args().size() < 2) {
      throw ctx.atKeyword(ctx.name() + " requires at least two arguments, but only "
          + (ctx.args().isEmpty() ? "none was" : "one was")
          + " provided. Destination could not be determined.");
    }
  }

  private static Sources sources(NodeContext ctx) throws ContainerfileException {
    List<String> args = ctx.args();
    String destination = args.get(args.size() - 1);
    if (opener(destination) != null) {
      throw ctx.atArg(destination, ctx.name() + " cannot accept a heredoc as a destination");
    }
    List<String> paths = new ArrayList<>();
    List<Heredoc> heredocs = new ArrayList<>();
    for (String src : args.subList(0, args.size() - 1)) {
      HeredocOpeners.Opener o = ctx.node().json() ? null : opener(src);
      if (o == null) {
        paths.add(src);
        continue;
      }
      String content = "";
      for (SyntaxNode.HeredocBody body : ctx.heredocs()) {
        if (body.name().equals(o.name())) {
          content = new SyntaxNode.HeredocBody(o.name(), body.content(), o.expand(), o.chomp(),
              o.fd(), body.line()).effectiveContent();
        }
      }
      heredocs.add(new Heredoc(o.name(), content, o.expand(), o.chomp(), o.fd()));
    }
    return new Sources(paths, heredocs, destination);
  }

  private static HeredocOpeners.Opener opener(String word) {
    try {
      return HeredocOpeners.parse(word);
    } catch (VariableExpansionException e) {
      return null;
    }
  }
}
