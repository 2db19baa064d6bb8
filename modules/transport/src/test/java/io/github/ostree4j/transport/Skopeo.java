package io.github.ostree4j.transport;

import io.github.ostree4j.testing.Cmd;
import io.github.ostree4j.testing.CmdResult;
import io.github.ostree4j.testing.Peers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs skopeo with a private policy (accept anything) and no inherited auth files. */
final class Skopeo {

  private final Path skopeo;
  private final Path policy;
  private final Path emptyAuth;

  Skopeo(Path tmp) throws IOException {
    this.skopeo = Peers.require("skopeo");
    this.policy = Files.writeString(tmp.resolve("policy.json"),
        "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
    this.emptyAuth = Files.writeString(tmp.resolve("skopeo-auth.json"), "{}");
  }

  /** Runs {@code skopeo --policy P ARGS} and insists on success. */
  CmdResult run(Map<String, String> env, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(skopeo.toString());
    cmd.add("--policy");
    cmd.add(policy.toString());
    cmd.addAll(List.of(args));
    Cmd c = Cmd.of(cmd).timeout(Duration.ofMinutes(2));
    c.env("REGISTRY_AUTH_FILE", emptyAuth.toString());
    c.env(env);
    return c.run().checkSuccess();
  }

  CmdResult run(String... args) {
    return run(Map.of(), args);
  }
}
