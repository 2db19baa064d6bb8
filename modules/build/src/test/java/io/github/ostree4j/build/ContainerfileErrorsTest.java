package io.github.ostree4j.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rejection is one line naming file, line and (where it makes sense) column. */
class ContainerfileErrorsTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("FROM scratch\nFRM x\n", "2:1: unknown instruction: FRM"),
        Arguments.of("FROM scratch\n  runn x\n", "2:3: unknown instruction: runn"),
        Arguments.of("RUN x\nFROM scratch\n",
            "1:1: RUN before the first FROM: only ARG may come before it"),
        Arguments.of("ARG A\n", ": file contains no stages to build (no FROM instruction)"),
        Arguments.of("", ": file with no instructions"),
        Arguments.of("# only\n\n  # comments\n", ": file with no instructions"),
        Arguments.of("FROM scratch\nENV PATH\n", "2:5: ENV must have two arguments"),
        Arguments.of("FROM scratch\nENV\n", "2:1: ENV requires at least one argument"),
        Arguments.of("FROM scratch\nENV =x\n", "2:5: ENV names can not be blank"),
        Arguments.of("FROM scratch\nENV a=1 b\n",
            "2:9: Syntax error - can't find = in \"b\". Must be of the form: name=value"),
        Arguments.of("FROM scratch\nLABEL\n", "2:1: LABEL requires at least one argument"),
        Arguments.of("FROM scratch\nARG =x\n", "2:5: ARG names can not be blank"),
        Arguments.of("FROM scratch\nCOPY --form=x a b\n", "2:6: unknown flag for COPY: --form"),
        Arguments.of("FROM scratch\nUSER --foo root\n",
            "2:6: unknown flag for USER: --foo (it takes no flags)"),
        Arguments.of("FROM scratch\nCOPY --from a b\n", "2:6: missing a value on flag: --from"),
        Arguments.of("FROM scratch\nCOPY --link=maybe a b\n",
            "2:6: expecting boolean value for flag --link, not: maybe"),
        Arguments.of("FROM scratch\nCOPY --link= a b\n", "2:6: missing a value on flag: --link"),
        Arguments.of("FROM scratch\nCOPY --from=a \\\n  --from=b x y\n",
            "3:3: duplicate flag specified: --from"),
        Arguments.of("FROM scratch\nCOPY onlyone\n", "2:1: COPY requires at least two arguments,"
            + " but only one was provided. Destination could not be determined."),
        Arguments.of("FROM scratch\nCOPY a <<EOF\nx\nEOF\n",
            "2:8: COPY cannot accept a heredoc as a destination"),
        Arguments.of("FROM scratch\nRUN --mount=type=nfs,target=/x make\n",
            "2:5: --mount: unsupported mount type \"nfs\" (bind, cache, tmpfs, secret or ssh)"),
        Arguments.of("FROM scratch\nRUN --mount=target=/x,colour=red make\n",
            "2:5: --mount: unexpected key 'colour' in 'colour=red'"),
        Arguments.of("FROM scratch\nRUN --mount=type=bind,sharing=locked,target=/x make\n",
            "2:5: --mount: invalid cache sharing set for bind mount"),
        Arguments.of("FROM scratch\nRUN --mount=type=cache,sharing=always,target=/x make\n",
            "2:5: --mount: unsupported sharing value \"always\""),
        Arguments.of("FROM scratch\nRUN --mount=type=secret make\n",
            "2:5: --mount: invalid secret mount. one of source, target required"),
        Arguments.of("FROM scratch\nRUN --mount=type=tmpfs,target=/t,uid=0 make\n",
            "2:5: --mount: uid not allowed for \"tmpfs\" type mounts"),
        Arguments.of("FROM scratch\nRUN --mount=type=cache,target=/c,mode=9 make\n",
            "2:5: --mount: invalid value 9 for mode"),
        Arguments.of("FROM scratch\nRUN --mount=type=bind,required make\n",
            "2:5: --mount: unexpected key 'required' for mount type 'bind'"),
        Arguments.of("FROM scratch\nRUN --mount=target make\n",
            "2:5: --mount: invalid field 'target' must be a key=value pair"),
        Arguments.of("FROM scratch\nRUN --mount=type=bind,target=/a --mount=ro=maybe,target=/b x\n",
            "2:33: --mount: invalid value for ro: maybe"),
        Arguments.of("FROM scratch\nRUN --mount=from=$STAGE,target=/a x\n",
            "2:5: --mount: 'from' doesn't support variable expansion, define alias stage instead"),
        Arguments.of("FROM scratch\nRUN --network=bridge make\n",
            "2:5: unsupported network mode \"bridge\" (default, none or host)"),
        Arguments.of("FROM scratch\nRUN --security=privileged make\n",
            "2:5: unsupported security mode \"privileged\" (sandbox or insecure)"),
        Arguments.of("FROM scratch\nRUN\n", "2:1: RUN requires at least one argument"),
        Arguments.of("FROM scratch\nRUN []\n", "2:1: RUN requires at least one argument"),
        Arguments.of("FROM scratch\nSHELL /bin/bash -c\n",
            "2:7: SHELL requires the arguments to be in JSON form"),
        Arguments.of("FROM scratch\nSHELL []\n", "2:1: SHELL requires at least one argument"),
        Arguments.of("FROM scratch\nONBUILD FROM x\n",
            "2:9: FROM isn't allowed as an ONBUILD trigger"),
        Arguments.of("FROM scratch\nONBUILD ONBUILD RUN x\n",
            "2:9: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"),
        Arguments.of("FROM scratch\nonbuild maintainer x\n",
            "2:9: MAINTAINER isn't allowed as an ONBUILD trigger"),
        Arguments.of("FROM scratch\nONBUILD\n", "2:1: ONBUILD requires at least one argument"),
        Arguments.of("FROM scratch\nONBUILD RUN --bogus x\n", "2:13: unknown flag for RUN: --bogus"),
        Arguments.of("FROM scratch\nONBUILD --bogus RUN x\n",
            "2:9: unknown flag for ONBUILD: --bogus (it takes no flags)"),
        Arguments.of("FROM scratch\nONBUILD FRM x\n", "2:9: unknown instruction: FRM"),
        Arguments.of("FROM a b\n", "1:6: FROM requires either one or three arguments"),
        Arguments.of("FROM\n", "1:1: FROM requires either one or three arguments"),
        Arguments.of("FROM a AS 1st\n", "1:11: invalid name for build stage: \"1st\","
            + " name can't start with a number or contain symbols"),
        Arguments.of("FROM as as b_c!\n", "1:12: invalid name for build stage: \"b_c!\","
            + " name can't start with a number or contain symbols"),
        Arguments.of("FROM --plaform=linux/amd64 a\n", "1:6: unknown flag for FROM: --plaform"),
        Arguments.of("FROM scratch\nHEALTHCHECK --interval=1 CMD x\n",
            "2:13: --interval: time: missing unit in duration \"1\""),
        Arguments.of("FROM scratch\nHEALTHCHECK --interval=5d CMD x\n",
            "2:13: --interval: time: unknown unit \"d\" in duration \"5d\""),
        Arguments.of("FROM scratch\nHEALTHCHECK --timeout=10us CMD x\n",
            "2:13: Interval \"timeout\" cannot be less than 1ms"),
        Arguments.of("FROM scratch\nHEALTHCHECK --retries=-1 CMD x\n",
            "2:13: --retries cannot be negative (-1)"),
        Arguments.of("FROM scratch\nHEALTHCHECK --retries=three CMD x\n",
            "2:13: --retries: not a 32-bit integer: three"),
        Arguments.of("FROM scratch\nHEALTHCHECK CONNECT x\n",
            "2:13: Unknown type \"CONNECT\" in HEALTHCHECK (try CMD)"),
        Arguments.of("FROM scratch\nHEALTHCHECK CMD\n",
            "2:13: Missing command after HEALTHCHECK CMD"),
        Arguments.of("FROM scratch\nHEALTHCHECK NONE x\n",
            "2:13: HEALTHCHECK NONE takes no arguments"),
        Arguments.of("FROM scratch\nHEALTHCHECK\n",
            "2:1: HEALTHCHECK requires at least one argument"),
        Arguments.of("FROM scratch\nWORKDIR\n", "2:1: WORKDIR requires exactly one argument"),
        Arguments.of("FROM scratch\nSTOPSIGNAL\n", "2:1: STOPSIGNAL requires exactly one argument"),
        Arguments.of("FROM scratch\nVOLUME [\"\"]\n",
            "2:8: VOLUME specified can not be an empty string"),
        Arguments.of("FROM scratch\nEXPOSE\n", "2:1: EXPOSE requires at least one argument"),
        Arguments.of("# escape=x\nFROM scratch\n",
            "1: invalid escape token 'x' does not match ` or \\"),
        Arguments.of("# syntax=a\n# SYNTAX=b\nFROM scratch\n",
            "2: only one syntax parser directive can be used"),
        Arguments.of("FROM scratch\nRUN <<EOF\nnever\n", "2: unterminated heredoc EOF (started here)"),
        Arguments.of("FROM scratch\nRUN <<A <<B\nbody a\nA\nbody b\n",
            "2: unterminated heredoc B (started here)"),
        Arguments.of("FROM scratch\nCMD [\"a\", 1]\n",
            "2:5: when using JSON array syntax, arrays must be comprised of strings only"));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void rejected(String text, String expected) {
    ContainerfileException e = assertThrows(ContainerfileException.class,
        () -> ContainerfileParser.parse(text, "Containerfile"));
    assertEquals("Containerfile" + (expected.startsWith(":") ? "" : ":") + expected,
        e.getMessage());
    assertEquals(-1, e.getMessage().indexOf('\n'));
  }

  @Test
  void exceptionCarriesItsParts() {
    ContainerfileException e = assertThrows(ContainerfileException.class,
        () -> ContainerfileParser.parse("FROM scratch\n\n  FRM x\n", "build/Containerfile"));
    assertEquals("build/Containerfile", e.file());
    assertEquals(3, e.line());
    assertEquals(3, e.column());
    assertEquals("unknown instruction: FRM", e.reason());
  }
}
