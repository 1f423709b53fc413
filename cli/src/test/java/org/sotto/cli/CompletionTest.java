package org.sotto.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The hidden {@code generate-completion} verb and the verb list of {@code sotto} alone. */
class CompletionTest {
  private record Run(int exit, String out) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cmd = SottoMain.commandLine(Map.of());
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(new StringWriter()));
    return new Run(cmd.execute(args), out.toString());
  }

  @Test
  void generateCompletion_printsABashScriptKnowingTheVerbsAndOptions() {
    Run r = run("generate-completion");

    assertEquals(0, r.exit());
    assertTrue(r.out().startsWith("#!/usr/bin/env bash"), r.out());
    assertTrue(r.out().contains("complete -F"), "registers a completion function");
    for (String word :
        new String[] {"listContacts", "listIdentities", "daemon", "chat", "--http"}) {
      assertTrue(r.out().contains(word), word);
    }
  }

  @Test
  void noArguments_listsTheNewVerbsButNotTheCompletionGenerator() {
    Run r = run();

    assertEquals(0, r.exit());
    for (String verb : new String[] {"listContacts", "listIdentities", "daemon", "chat"}) {
      assertTrue(r.out().contains("  " + verb + " "), verb + " in\n" + r.out());
    }
    assertFalse(r.out().contains("generate-completion"), r.out());
  }
}
