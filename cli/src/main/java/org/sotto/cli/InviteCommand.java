package org.sotto.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.sotto.server.ServerConfig;
import org.sotto.server.admin.Invites;
import org.sotto.server.store.StoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sotto server invite}: prints new invite codes for {@code --registration invite}, one a
 * line. Works on the data folder directly, whether or not the server is running.
 */
@Command(
    name = "invite",
    mixinStandardHelpOptions = true,
    description = "Print new single-use invite codes (stored hashed in the data folder or --db).")
final class InviteCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin DatabaseOptions database = new DatabaseOptions();

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "Data folder (default: ${DEFAULT-VALUE}).",
      defaultValue = "sotto-data")
  Path data;

  @Option(
      names = "--count",
      paramLabel = "N",
      description = "How many codes, 1..1000 (default: ${DEFAULT-VALUE}).",
      defaultValue = "1")
  int count;

  @Override
  public Integer call() {
    if (count < 1 || count > Invites.MAX_PER_CALL) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--count must be 1.." + Invites.MAX_PER_CALL);
    }
    List<String> codes;
    try {
      codes = Invites.issue(database.applyTo(ServerConfig.builder(data)).build(), count);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    } catch (StoreException e) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("sotto server invite: " + e.getMessage());
      err.flush();
      return SottoMain.EXIT_IO;
    }
    PrintWriter out = spec.commandLine().getOut();
    codes.forEach(out::println);
    out.flush();
    return 0;
  }
}
