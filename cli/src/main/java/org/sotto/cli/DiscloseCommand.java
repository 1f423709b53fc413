package org.sotto.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.sotto.server.ServerConfig;
import org.sotto.server.admin.Disclosure;
import org.sotto.server.http.Json;
import org.sotto.server.store.StoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sotto server disclose ACCOUNT}: prints everything the server holds about one account
 * (account id, creation date, last-seen day, device count, handle), as text or {@code --json}.
 * Unknown accounts exit with 1.
 */
@Command(
    name = "disclose",
    mixinStandardHelpOptions = true,
    description = "Print everything the server holds about one account (by UUID or handle).")
final class DiscloseCommand implements Callable<Integer> {
  /** The JSON form of a report: dates as ISO strings. */
  record ReportJson(
      String accountId, String created, String lastSeen, int deviceCount, String handle) {
    static ReportJson from(Disclosure.Report r) {
      return new ReportJson(
          r.accountId().toString(),
          r.created().toString(),
          r.lastSeen().toString(),
          r.deviceCount(),
          r.handle());
    }
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin DatabaseOptions database = new DatabaseOptions();

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "Data folder (default: ${DEFAULT-VALUE}).",
      defaultValue = "sotto-data")
  Path data;

  @Option(names = "--json", description = "Print JSON instead of text.")
  boolean json;

  @Parameters(paramLabel = "ACCOUNT", description = "Account UUID or handle.")
  String account;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    Optional<Disclosure.Report> report;
    try {
      report = Disclosure.of(database.applyTo(ServerConfig.builder(data)).build(), account);
    } catch (IllegalArgumentException e) {
      err.println("sotto server disclose: " + e.getMessage());
      err.flush();
      return SottoMain.EXIT_USER_ERROR;
    } catch (StoreException e) {
      err.println("sotto server disclose: " + e.getMessage());
      err.flush();
      return SottoMain.EXIT_IO;
    }
    if (report.isEmpty()) {
      err.println("sotto server disclose: no such account on this server");
      err.flush();
      return SottoMain.EXIT_USER_ERROR;
    }
    Disclosure.Report r = report.get();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(new String(Json.write(ReportJson.from(r)), StandardCharsets.UTF_8));
    } else {
      out.println("account id: " + r.accountId());
      out.println("created:    " + r.created());
      out.println("last seen:  " + r.lastSeen());
      out.println("devices:    " + r.deviceCount());
      out.println("handle:     " + (r.handle() == null ? "(none)" : r.handle()));
    }
    out.flush();
    return 0;
  }
}
