package org.sotto.cli.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Mapping JSON-RPC params onto a verb's options and parameters, from its picocli model. */
class RpcParamsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Command(name = "sample", mixinStandardHelpOptions = true)
  static final class Sample implements Runnable {
    @Option(names = {"-m", "--message"})
    String message;

    @Option(names = "--attachment")
    List<String> attachments;

    @Option(names = "--verified-safety-number")
    String number;

    @Option(names = "--all-known-keys")
    boolean all;

    @Option(names = "-d")
    int device;

    @Parameters(index = "0", paramLabel = "RECIPIENT")
    String recipient;

    @Parameters(index = "1..*", paramLabel = "MORE")
    List<String> more;

    @Override
    public void run() {}
  }

  private static final CommandSpec SPEC = new CommandLine(new Sample()).getCommandSpec();

  private static List<String> args(String json) throws Exception {
    JsonNode params = JSON.readTree(json);
    return RpcParams.toArgs(SPEC, params);
  }

  /** Parses {@code args} as picocli would, proving the mapped arguments mean what was asked. */
  private static Sample parse(List<String> args) {
    Sample s = new Sample();
    new CommandLine(s)
        .setAllowOptionsAsOptionParameters(true)
        .parseArgs(args.toArray(String[]::new));
    return s;
  }

  @Test
  void longAndShortNames_andPositionalLabel_mapToTheOptions() throws Exception {
    Sample a = parse(args("{\"message\":\"hi\",\"recipient\":\"bob\"}"));
    Sample b = parse(args("{\"m\":\"hi\",\"RECIPIENT\":\"bob\"}"));

    assertEquals("hi", a.message);
    assertEquals("bob", a.recipient);
    assertEquals("hi", b.message);
    assertEquals("bob", b.recipient);
  }

  @Test
  void camelCaseAndDashedNames_bothMatch() throws Exception {
    assertEquals(
        "123", parse(args("{\"verifiedSafetyNumber\":\"123\",\"recipient\":\"x\"}")).number);
    assertEquals(
        "123", parse(args("{\"verified-safety-number\":\"123\",\"recipient\":\"x\"}")).number);
  }

  @Test
  void booleans_setOrOmitFlags() throws Exception {
    assertTrue(parse(args("{\"allKnownKeys\":true,\"recipient\":\"x\"}")).all);
    assertEquals(List.of("--", "x"), args("{\"allKnownKeys\":false,\"recipient\":\"x\"}"));
  }

  @Test
  void arrays_repeatTheOption_andFillMultiValuePositionals() throws Exception {
    Sample s =
        parse(
            args(
                "{\"attachment\":[\"a.png\",\"b.pdf\"],\"recipient\":\"x\",\"more\":[\"y\",\"z\"]}"));

    assertEquals(List.of("a.png", "b.pdf"), s.attachments);
    assertEquals(List.of("y", "z"), s.more);
  }

  @Test
  void numbers_becomeText() throws Exception {
    assertEquals(3, parse(args("{\"d\":3,\"recipient\":\"x\"}")).device);
  }

  @Test
  void valuesStartingWithDashes_stayValues() throws Exception {
    Sample s = parse(args("{\"message\":\"--all-known-keys\",\"recipient\":\"-m\"}"));

    assertEquals("--all-known-keys", s.message);
    assertEquals("-m", s.recipient);
    assertEquals(false, s.all);
  }

  @Test
  void nullOrAbsentParams_giveNoArguments() throws Exception {
    assertEquals(List.of(), RpcParams.toArgs(SPEC, null));
    assertEquals(List.of(), args("null"));
    assertEquals(List.of(), args("{}"));
  }

  @Test
  void badParams_areRefusedWithTheirName() {
    RpcParams.InvalidParamsException unknown =
        assertThrows(RpcParams.InvalidParamsException.class, () -> args("{\"colour\":\"red\"}"));
    assertTrue(unknown.getMessage().contains("colour"), unknown.getMessage());
    assertThrows(RpcParams.InvalidParamsException.class, () -> args("{\"message\":[\"a\",\"b\"]}"));
    assertThrows(RpcParams.InvalidParamsException.class, () -> args("{\"message\":{\"x\":1}}"));
    assertThrows(RpcParams.InvalidParamsException.class, () -> args("{\"message\":null}"));
    assertThrows(RpcParams.InvalidParamsException.class, () -> args("{\"allKnownKeys\":\"yes\"}"));
    assertThrows(RpcParams.InvalidParamsException.class, () -> args("{\"help\":true}"));
    assertThrows(RpcParams.InvalidParamsException.class, () -> args("[\"bob\"]"));
  }
}
