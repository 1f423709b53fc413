package org.sotto.cli.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Turns the {@code params} object of a JSON-RPC call into the arguments of a verb, from the verb's
 * own picocli model, so that every verb (also one added later) is callable without a line of code
 * here. A key names an option by any of its names without dashes ({@code "m"}, {@code "message"},
 * {@code "verifiedSafetyNumber"} or {@code "verified-safety-number"}: case, dashes and underscores
 * do not matter) or a positional parameter by its label ({@code RECIPIENT} → {@code "recipient"}).
 * Values are strings, numbers or booleans; an array repeats the option (or gives several positional
 * values). A boolean {@code true} sets a flag and {@code false} leaves it out. Values are given as
 * {@code --name=value} and positionals after {@code --}, so a value that looks like an option stays
 * a value, provided the command line allows options as option parameters ({@link
 * picocli.CommandLine#setAllowOptionsAsOptionParameters}). Stateless.
 */
public final class RpcParams {
  private RpcParams() {}

  /** The params do not fit the verb; the message says why (shown to the caller). */
  public static final class InvalidParamsException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidParamsException(String message) {
      super(message);
    }
  }

  /**
   * The arguments for {@code verb} (not including the verb's name) from {@code params}, which is an
   * object or absent (null or JSON null).
   *
   * @throws InvalidParamsException not an object, an unknown key, a value of the wrong kind
   */
  public static List<String> toArgs(CommandSpec verb, JsonNode params)
      throws InvalidParamsException {
    List<String> options = new ArrayList<>();
    List<String> positionals = new ArrayList<>();
    if (params == null || params.isNull() || params.isMissingNode()) {
      return options;
    }
    if (!params.isObject()) {
      throw new InvalidParamsException("params must be an object of option names and values");
    }
    List<PositionalParamSpec> sortedPositionals = new ArrayList<>(verb.positionalParameters());
    sortedPositionals.sort((a, b) -> a.index().min() - b.index().min());
    String[][] positionalValues = new String[sortedPositionals.size()][];
    Iterator<Map.Entry<String, JsonNode>> fields = params.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String key = field.getKey();
      JsonNode value = field.getValue();
      OptionSpec option = option(verb, key);
      if (option != null) {
        addOption(options, option, key, value);
        continue;
      }
      int p = positional(sortedPositionals, key);
      if (p < 0) {
        throw new InvalidParamsException("unknown parameter '" + key + "' for " + verb.name());
      }
      positionalValues[p] = values(key, value, sortedPositionals.get(p)).toArray(String[]::new);
    }
    for (String[] v : positionalValues) {
      if (v != null) {
        positionals.addAll(List.of(v));
      }
    }
    if (!positionals.isEmpty()) {
      // Everything after "--" is positional, so a value starting with a dash stays a value.
      options.add("--");
      options.addAll(positionals);
    }
    return options;
  }

  private static void addOption(List<String> out, OptionSpec option, String key, JsonNode value)
      throws InvalidParamsException {
    String name = option.longestName();
    if (option.arity().max() == 0) {
      if (!value.isBoolean()) {
        throw new InvalidParamsException("'" + key + "' is a flag: give true or false");
      }
      if (value.booleanValue()) {
        out.add(name);
      }
      return;
    }
    for (String v : values(key, value, option)) {
      // The attached form "name=value" keeps a value that starts with a dash a value.
      out.add(name + "=" + v);
    }
  }

  private static List<String> values(String key, JsonNode value, ArgSpec arg)
      throws InvalidParamsException {
    List<String> out = new ArrayList<>();
    if (value.isArray()) {
      if (!arg.isMultiValue()) {
        throw new InvalidParamsException("'" + key + "' takes one value, not an array");
      }
      for (JsonNode v : value) {
        out.add(scalar(key, v));
      }
    } else {
      out.add(scalar(key, value));
    }
    return out;
  }

  private static String scalar(String key, JsonNode v) throws InvalidParamsException {
    if (v.isTextual()) {
      return v.textValue();
    }
    if (v.isNumber() || v.isBoolean()) {
      return v.asText();
    }
    throw new InvalidParamsException("'" + key + "' must be a string, a number or a boolean");
  }

  private static OptionSpec option(CommandSpec verb, String key) {
    String k = normalize(key);
    for (OptionSpec o : verb.options()) {
      if (o.usageHelp() || o.versionHelp()) {
        continue; // Help output is not a result.
      }
      for (String n : o.names()) {
        if (normalize(n).equals(k)) {
          return o;
        }
      }
    }
    return null;
  }

  private static int positional(List<PositionalParamSpec> positionals, String key) {
    String k = normalize(key);
    for (int i = 0; i < positionals.size(); i++) {
      if (normalize(positionals.get(i).paramLabel()).equals(k)) {
        return i;
      }
    }
    return -1;
  }

  /** Lower case without dashes, underscores or angle brackets: how names are compared. */
  static String normalize(String name) {
    return name.replaceAll("[-_<>]", "").toLowerCase(Locale.ROOT);
  }
}
