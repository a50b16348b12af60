package org.jsbi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.IllegalFormatException;
import java.util.List;
import java.util.Locale;
import org.jsbi.cli.PyloricCommandTest.Run;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * picocli passes every description through String.format: a bare '%' ("97.5% quantiles") makes it print a warning
 * where the help should be, on --help and after every option error, so each text must be a valid format.
 */
class HelpTextTest {

    @Test
    void everyDescriptionIsAValidFormat() {
        List<String> bad = new ArrayList<>();
        check(Jsbi.commandLine(), bad);
        assertTrue(bad.isEmpty(), "descriptions picocli cannot format (escape % as %%):\n" + String.join("\n", bad));
    }

    @Test
    void sampleHelpShowsTheQuantilesAndNamesTrain() {
        Run r = PyloricCommandTest.jsbi("sample", "--help");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("2.5/50/97.5% quantiles") && r.out().contains("jsbi train"), r.toString());
    }

    private static void check(CommandLine cl, List<String> bad) {
        CommandSpec spec = cl.getCommandSpec();
        for (String d : spec.usageMessage().description()) checkOne(spec.qualifiedName(), d, bad);
        for (OptionSpec o : spec.options()) {
            for (String d : o.description()) checkOne(spec.qualifiedName() + " " + o.longestName(), d, bad);
        }
        for (CommandLine sub : cl.getSubcommands().values()) check(sub, bad);
    }

    private static void checkOne(String where, String text, List<String> bad) {
        try {
            String.format(Locale.ROOT, text);
        } catch (IllegalFormatException e) {
            bad.add(where + ": " + e.getMessage() + " in '" + text + "'");
        }
    }
}
