package io.github.ostree4j.build.internal.instructions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.ostree4j.build.RunMount;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RunMountParserTest {

  @Test
  void bindIsTheDefaultAndReadOnly() throws RunMountParser.MountException {
    RunMount m = RunMountParser.parse("target=/src");
    assertEquals(RunMount.Type.BIND, m.type());
    assertEquals(Map.of("target", "/src", "readonly", "true"), m.options());
    assertEquals("true", m.option("readonly"));
  }

  @Test
  void keysAreCanonical() throws RunMountParser.MountException {
    RunMount m = RunMountParser.parse("TYPE=Bind,SRC=a,Destination=/b,from=builder,ro=false");
    assertEquals(RunMount.Type.BIND, m.type());
    assertEquals(Map.of("source", "a", "target", "/b", "from", "builder", "readonly", "false"),
        m.options());
    assertEquals(Map.of("target", "/c", "readonly", "true"),
        RunMountParser.parse("dst=/c,readwrite=0").options());
    assertEquals(Map.of("target", "/c", "readonly", "false"),
        RunMountParser.parse("dst=/c,rw=True").options());
    assertEquals(Map.of("target", "/c", "readonly", "true"),
        RunMountParser.parse("dst=/c,rw,readonly").options());
  }

  @Test
  void cacheTmpfsSecretSsh() throws RunMountParser.MountException {
    assertEquals(Map.of("target", "/root/.cache", "id", "pip", "sharing", "private",
        "mode", "0755", "uid", "1000", "gid", "1000", "readonly", "false"),
        RunMountParser.parse("type=cache,target=/root/.cache,id=pip,sharing=PRIVATE,mode=0755,"
            + "uid=1000,gid=1000").options());
    RunMount tmpfs = RunMountParser.parse("type=tmpfs,target=/tmp,size=64m");
    assertEquals(RunMount.Type.TMPFS, tmpfs.type());
    assertEquals(Map.of("target", "/tmp", "size", "64m", "readonly", "false"), tmpfs.options());
    RunMount secret = RunMountParser.parse("type=secret,id=aws,env=AWS_KEY,required=true");
    assertEquals(RunMount.Type.SECRET, secret.type());
    assertEquals(Map.of("id", "aws", "env", "AWS_KEY", "required", "true", "readonly", "true"),
        secret.options());
    RunMount ssh = RunMountParser.parse("type=ssh,required");
    assertEquals(RunMount.Type.SSH, ssh.type());
    assertEquals(Map.of("required", "true", "readonly", "true"), ssh.options());
  }

  @Test
  void variablesAreCheckedLater() throws RunMountParser.MountException {
    assertEquals(Map.of("target", "$DIR", "mode", "$MODE", "readonly", "$RO"),
        RunMountParser.parse("type=cache,target=$DIR,mode=$MODE,ro=$RO").options());
    assertEquals(Map.of("target", "/x", "readwrite", "${RW}"),
        RunMountParser.parse("target=/x,rw=${RW}").options());
  }

  @Test
  void csvQuoting() throws RunMountParser.MountException {
    assertEquals(List.of("type=bind", "target=/a,b", "source=say \"hi\""),
        RunMountParser.csvRecord("type=bind,\"target=/a,b\",\"source=say \"\"hi\"\"\""));
    assertEquals(List.of("a", "", "b"), RunMountParser.csvRecord("a,,b"));
    assertEquals(Map.of("target", "/with,comma", "readonly", "true"),
        RunMountParser.parse("\"target=/with,comma\"").options());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "|failed to parse csv mounts: EOF",
      "target=a\"b|failed to parse csv mounts: bare \" in non-quoted-field",
      "\"target=a\"x|failed to parse csv mounts: extraneous or missing \" in quoted-field",
      "type=secret,from=x,id=a|secret mount should not have a from",
      "type=secret,source=a,id=b|both source and id can't be set",
      "type=bind,target=/a,size=1m|unexpected key 'size' for mount type 'bind'",
      "type=cache,target=/a,env=X|unexpected key 'env' for mount type 'cache'",
      "type=bind,target=/a,mode=0644|mode not allowed for \"bind\" type mounts",
      "type=cache,target=/a,uid=-1|invalid value -1 for uid",
      "type=cache,target=/a,gid=4294967296|invalid value 4294967296 for gid",
      "type=cache,target=/a,mode=0o7|invalid value 0o7 for mode",
      "type=$T,target=/a|mount type $T must be written literally",
      "required,type=secret,id=x|unexpected key 'required' for mount type 'bind'",
  })
  void rejected(String value, String message) {
    RunMountParser.MountException e = assertThrows(RunMountParser.MountException.class,
        () -> RunMountParser.parse(value == null ? "" : value));
    assertEquals(message, e.getMessage());
  }
}
