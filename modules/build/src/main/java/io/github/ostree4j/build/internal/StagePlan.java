package io.github.ostree4j.build.internal;

import io.github.ostree4j.build.Containerfile;
import io.github.ostree4j.build.ContainerfileException;
import io.github.ostree4j.build.Instruction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A Containerfile cut into its global {@code ARG}s and its stages, each starting at a {@code
 * FROM}. Stages are found by name (case-insensitive) or by index.
 */
public final class StagePlan {

  /**
   * One stage.
   *
   * @param index its position, from 0
   * @param name its name ({@code AS name}, lower-cased), if any
   * @param from its FROM instruction
   * @param instructions the instructions after FROM
   */
  public record Stage(int index, Optional<String> name, Instruction.From from,
      List<Instruction> instructions) {

    /** @return the name, or the index as text */
    public String displayName() {
      return name.orElse(Integer.toString(index));
    }
  }

  private final List<Instruction.Arg> globalArgs;
  private final List<Stage> stages;
  private final Map<String, Stage> byName;

  private StagePlan(List<Instruction.Arg> globalArgs, List<Stage> stages,
      Map<String, Stage> byName) {
    this.globalArgs = globalArgs;
    this.stages = stages;
    this.byName = byName;
  }

  /**
   * Cuts a Containerfile into stages.
   *
   * @param cf the parsed file
   * @return the plan
   * @throws ContainerfileException when there is no FROM, an instruction other than ARG comes
   *     before the first FROM, or two stages have the same name
   */
  public static StagePlan of(Containerfile cf) throws ContainerfileException {
    List<Instruction.Arg> global = new ArrayList<>();
    List<Stage> stages = new ArrayList<>();
    Map<String, Stage> byName = new HashMap<>();
    Instruction.From from = null;
    List<Instruction> body = new ArrayList<>();
    for (Instruction i : cf.instructions()) {
      if (i instanceof Instruction.From) {
        if (from != null) {
          add(stages, byName, from, body);
        }
        from = (Instruction.From) i;
        body = new ArrayList<>();
      } else if (from == null) {
        if (!(i instanceof Instruction.Arg)) {
          throw new ContainerfileException(i.location(), keyword(i) + " before the first FROM"
              + " (only ARG may come before FROM)");
        }
        global.add((Instruction.Arg) i);
      } else {
        body.add(i);
      }
    }
    if (from == null) {
      throw new ContainerfileException(cf.fileName(), 0, 0, "no FROM instruction");
    }
    add(stages, byName, from, body);
    return new StagePlan(List.copyOf(global), List.copyOf(stages), byName);
  }

  private static void add(List<Stage> stages, Map<String, Stage> byName, Instruction.From from,
      List<Instruction> body) throws ContainerfileException {
    Optional<String> name = from.stageName().map(n -> n.toLowerCase(Locale.ROOT));
    Stage s = new Stage(stages.size(), name, from, List.copyOf(body));
    if (name.isPresent()) {
      if (byName.containsKey(name.get())) {
        throw new ContainerfileException(from.location(), "duplicate stage name '"
            + from.stageName().get() + "'");
      }
      if (name.get().matches("[0-9]+")) {
        throw new ContainerfileException(from.location(), "invalid stage name '" + name.get()
            + "': a number would be taken as a stage index");
      }
      byName.put(name.get(), s);
    }
    stages.add(s);
  }

  /** The keyword of an instruction, from its original text. */
  public static String keyword(Instruction i) {
    String o = i.original().strip();
    int sp = 0;
    while (sp < o.length() && !Character.isWhitespace(o.charAt(sp))) {
      sp++;
    }
    return o.substring(0, sp).toUpperCase(Locale.ROOT);
  }

  /** @return the ARGs before the first FROM */
  public List<Instruction.Arg> globalArgs() {
    return globalArgs;
  }

  /** @return the stages in file order */
  public List<Stage> stages() {
    return stages;
  }

  /** @return the last stage */
  public Stage last() {
    return stages.get(stages.size() - 1);
  }

  /**
   * A stage by name (any case) or index.
   *
   * @param ref the name or index
   * @return the stage, if there is one
   */
  public Optional<Stage> find(String ref) {
    Stage s = byName.get(ref.toLowerCase(Locale.ROOT));
    if (s != null) {
      return Optional.of(s);
    }
    if (ref.matches("[0-9]{1,9}")) {
      int i = Integer.parseInt(ref);
      if (i < stages.size()) {
        return Optional.of(stages.get(i));
      }
    }
    return Optional.empty();
  }

  /**
   * A stage that an instruction of stage {@code current} may refer to: one before it.
   *
   * @param ref the name or index
   * @param current the referring stage's index
   * @return the stage, if it is defined before
   */
  public Optional<Stage> findBefore(String ref, int current) {
    return find(ref).filter(s -> s.index() < current);
  }
}
